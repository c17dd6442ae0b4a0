"""A reservation emails the guest their private link, and tells the couple without spoiling the surprise."""

import uuid

import pytest
import time_machine
from bs4 import BeautifulSoup

from notifications.models import OutboxEmail
from registries.models import CoupleEmailPreferences, Gift, Reservation
from registries.services import reservation_create, reservation_release, reservations_reveal

from .conftest import WEDDING_DAY

BEFORE_THE_WEDDING = "2027-03-01 10:00 +0000"


def reserve(gift, **overrides):
    fields = {
        "name": "Jo Bloggs",
        "email": "Jo@Guests.localhost",
        "quantity": 1,
        "message": "Enjoy your tea!",
        "idempotency_key": uuid.uuid4(),
    }
    fields.update(overrides)
    return reservation_create(gift=gift, **fields).reservation


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def inline_image_cids(message) -> list[str]:
    return [part["Content-ID"].strip("<>") for part in message.attachments if hasattr(part, "get")]


@pytest.fixture(autouse=True)
def before_the_wedding():
    with time_machine.travel(BEFORE_THE_WEDDING, tick=False):
        yield


@pytest.mark.django_db(transaction=True)
def test_guest_gets_a_confirmation_with_gift_price_shop_and_private_manage_link(teapot, outbox):
    reservation = reserve(teapot, quantity=2)

    to_guest = [m for m in outbox if m.to == ["Jo@Guests.localhost"]]
    assert len(to_guest) == 1
    message = to_guest[0]
    assert message.subject == "You reserved Teapot for Alex & Sam"
    manage_url = f"http://testserver/reservations/{reservation.manage_token}/"
    for part in (message.body, html_of(message)):
        assert manage_url in part
        assert "£45.50" in part and "£91" in part  # price each and in total, in the couple's currency
        assert "Saturday 12 June 2027" in part  # the wedding day, written the British way for GBP
        assert "http://testserver/registries/alex-and-sam/" in part
    assert "Tea &amp; Co" in html_of(message) and "Tea & Co" in message.body
    assert "stays a surprise" not in message.body  # (that's the couple's email)


@pytest.mark.django_db(transaction=True)
def test_every_email_embeds_the_header_image_inline(teapot, outbox):
    reserve(teapot)

    for message in outbox:
        cids = inline_image_cids(message)
        assert len(cids) == 1
        assert f'src="cid:{cids[0]}"' in html_of(message)
        assert message.attachments[0].get_content_type() == "image/png"
        assert message.anymail_test_params["tags"] == [message.tags[0]]


@pytest.mark.django_db(transaction=True)
def test_both_partners_hear_a_gift_was_reserved_but_not_who_gave_it_before_the_wedding(teapot, outbox):
    reserve(teapot)

    to_couple = sorted((m for m in outbox if m.to != ["Jo@Guests.localhost"]), key=lambda m: m.to)
    assert [m.to for m in to_couple] == [["alex@couple.localhost"], ["sam@couple.localhost"]]
    for message in to_couple:
        assert message.subject == "A guest reserved Teapot"
        for part in (message.body, html_of(message)):
            assert "Jo Bloggs" not in part and "Enjoy your tea" not in part
            assert "stays a surprise until Sunday 13 June 2027" in part
            assert "Still wanted: 1" in part
        assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/emails/registry/")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db(transaction=True)
def test_after_the_wedding_the_couple_sees_the_giver_and_their_message(teapot, outbox):
    day_after = WEDDING_DAY.replace(day=WEDDING_DAY.day + 1)
    with time_machine.travel(f"{day_after.isoformat()} 09:00 +0000", tick=False):
        reserve(teapot)

    to_alex = next(m for m in outbox if m.to == ["alex@couple.localhost"])
    assert to_alex.subject == "Jo Bloggs reserved Teapot"
    assert "Enjoy your tea!" in to_alex.body and "Enjoy your tea!" in html_of(to_alex)


@pytest.mark.django_db(transaction=True)
def test_a_couple_who_reveal_early_see_who_gave_the_very_next_gift(client, couple, teapot, outbox):
    url = f"{couple.registry.url}reserve/{teapot.block_id}/"

    def form(name):
        return {"name": name, "email": "guest@guests.localhost", "quantity": 1, "idempotency_key": uuid.uuid4()}

    assert client.post(url, form("Jo Bloggs")).status_code == 302  # the site knows the registry from now on
    reservations_reveal(registry=couple.registry)
    outbox.clear()
    assert client.post(url, form("Kim Lee")).status_code == 302

    assert next(m for m in outbox if m.to == ["alex@couple.localhost"]).subject == "Kim Lee reserved Teapot"


@pytest.mark.django_db(transaction=True)
def test_a_couple_who_chose_the_digest_gets_no_email_per_reservation(couple, teapot, outbox):
    CoupleEmailPreferences.objects.create(
        registry=couple.registry, reservation_emails=CoupleEmailPreferences.ReservationEmails.DAILY
    )
    reserve(teapot)

    assert [m.to for m in outbox] == [["Jo@Guests.localhost"]]


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_form_sends_each_email_exactly_once(client, couple, teapot, outbox):
    form = {
        "name": "Jo Bloggs",
        "email": "jo@guests.localhost",
        "quantity": 1,
        "message": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    url = f"{couple.registry.url}reserve/{teapot.block_id}/"
    first = client.post(url, form)
    second = client.post(url, form)

    assert first.status_code == second.status_code == 302
    assert sorted(m.to[0] for m in outbox) == ["alex@couple.localhost", "jo@guests.localhost", "sam@couple.localhost"]
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_guest_who_cancels_gets_a_short_confirmation_once(teapot, outbox):
    reservation = reserve(teapot)
    outbox.clear()

    reservation_release(reservation=reservation)
    reservation_release(reservation=reservation)

    assert len(outbox) == 1
    assert outbox[0].subject == "Your reservation of Teapot is cancelled"
    assert "available to other guests again" in outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_guest_input_cannot_inject_headers_or_html(teapot, outbox):
    # The reservation form refuses line breaks and tags; the emails must hold even if something bypasses it.
    with time_machine.travel("2027-06-20 09:00 +0000", tick=False):  # revealed: the name is in the subject
        reserve(teapot, name="Jo\r\nBcc: everyone@example.com", message="<script>alert(1)</script>")

    to_alex = next(m for m in outbox if m.to == ["alex@couple.localhost"])
    assert to_alex.subject == "Jo Bcc: everyone@example.com reserved Teapot"
    assert not to_alex.bcc and "Bcc" not in to_alex.extra_headers
    assert all("\n" not in value and "\r" not in value for value in to_alex.extra_headers.values())
    soup = BeautifulSoup(html_of(to_alex), "html.parser")
    assert soup.find("script") is None
    assert "<script>alert(1)</script>" in soup.get_text()


@pytest.mark.django_db(transaction=True)
def test_a_reservation_on_a_deleted_registry_can_still_be_cancelled(couple, teapot, outbox):
    reservation = reserve(teapot)
    outbox.clear()
    Gift.objects.filter(pk=teapot.pk).update(registry=None)  # what deleting the page leaves behind

    released = reservation_release(reservation=Reservation.objects.get(pk=reservation.pk))

    assert released.status == Reservation.Status.RELEASED
    assert outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_longest_allowed_email_address_still_gets_its_confirmation(teapot, outbox):
    longest = f"{'j' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 51}.localhost"
    assert len(longest) == 254

    reserve(teapot, email=longest)

    assert [m.to for m in outbox if m.to == [longest]] == [[longest]]
    assert all(len(row.key) <= 200 for row in OutboxEmail.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_guest_confirmation_says_whether_other_guests_can_still_choose_the_gift(teapot, outbox):
    reserve(teapot, email="first@guests.localhost")
    teapot.refresh_from_db()  # as the next guest's request reads it
    reserve(teapot, email="last@guests.localhost")

    first = next(m for m in outbox if m.to == ["first@guests.localhost"])
    last = next(m for m in outbox if m.to == ["last@guests.localhost"])
    for part in (first.body, html_of(first)):
        assert "1 more is still wanted, so other guests can still choose this gift" in part
        assert "Nobody else can choose this gift now" not in part
    for part in (last.body, html_of(last)):
        assert "That was the last one wanted: nobody else can choose this gift now" in part


@pytest.mark.django_db(transaction=True)
def test_guests_are_greeted_by_first_name_or_as_a_household(teapot, outbox):
    reserve(teapot, name="Jo Bloggs", email="jo@guests.localhost")
    reserve(teapot, name="The Okafor family", email="okafor@guests.localhost")

    jo = next(m for m in outbox if m.to == ["jo@guests.localhost"])
    okafor = next(m for m in outbox if m.to == ["okafor@guests.localhost"])
    assert jo.body.startswith("Hello Jo,\n") and "<p>Hello Jo,</p>" in html_of(jo)
    assert okafor.body.startswith("Hello to the Okafor family,\n")
    assert "<p>Hello to the Okafor family,</p>" in html_of(okafor)
