"""Pledges email the guest how to pay the couple, thank them, remind them, and tell the couple without spoiling it."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail

from accounts.services import couple_payment_details_save
from registries.factories import fund, gift, gift_row
from registries.models import Gift, Pledge
from registries.services import pledge_create, pledge_mark_paid, reservations_reveal
from registries.tasks import send_reservation_reminders

PLEDGED_AT = datetime.fromisoformat("2027-03-01 10:00+00:00")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry(couple):
    registry = couple.registry
    registry.gifts = [
        gift(title="Sofa", price=Decimal("900"), group_gift=True),
        fund(title="Honeymoon", goal=Decimal("2000")),
    ]
    registry.save_revision(user=couple.user).publish()
    couple_payment_details_save(
        registry=registry,
        paypal_me_url="https://paypal.me/alexandsam",
        bank_transfer_details="A & S Smith, sort code 12-34-56, account 12345678, reference WEDDING",
    )
    return registry


def give(registry, title="Honeymoon", amount="75", **overrides):
    fields = {"name": "Jo Bloggs", "email": "jo@guests.localhost", "message": "Enjoy Lisbon!"}
    fields.update(overrides)
    with time_machine.travel(PLEDGED_AT, tick=False):
        return pledge_create(
            gift=gift_row(registry, title), amount=Decimal(amount), idempotency_key=uuid.uuid4(), **fields
        ).pledge


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def links_in(message) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in BeautifulSoup(html_of(message), "html.parser").find_all("a")}


def test_the_guest_gets_how_to_pay_the_couple_and_their_private_link(registry):
    pledge = give(registry)
    [message] = to("jo@guests.localhost")
    assert message.subject == "You pledged £75 towards Honeymoon for Alex & Sam"
    for part in (message.body, html_of(message)):
        assert "https://paypal.me/alexandsam" in part
        assert "sort code 12-34-56" in part
        assert f"http://testserver/pledges/{pledge.manage_token}/" in part
        assert "WhisperGifts never receives or forwards any money" in part
    assert links_in(message)["Pay with PayPal"] == "https://paypal.me/alexandsam"


def test_the_couple_hear_of_a_pledge_but_not_who_before_the_reveal(registry):
    give(registry)
    to_couple = to("alex@couple.localhost") + to("sam@couple.localhost")
    assert len(to_couple) == 2
    for message in to_couple:
        assert message.subject == "A guest pledged £75 towards Honeymoon"
        assert "Pledged so far: £75 of £2,000" in message.body
        assert "Jo" not in message.body and "Enjoy Lisbon" not in message.body
        assert "/pledges/" not in message.body  # the guest's key, never the couple's


def test_after_the_reveal_the_couple_hear_who_and_their_message(registry):
    reservations_reveal(registry=registry)
    give(registry)
    [message] = to("alex@couple.localhost")
    assert message.subject == "Jo Bloggs pledged £75 towards Honeymoon"
    assert "Enjoy Lisbon!" in message.body


def test_saying_ive_paid_thanks_the_guest_once(registry):
    pledge = give(registry)
    pledge_mark_paid(pledge=pledge)
    pledge_mark_paid(pledge=pledge)
    thanks = [m for m in to("jo@guests.localhost") if m.subject == "Thank you for your gift to Alex & Sam"]
    assert len(thanks) == 1
    assert "never sees the money" in thanks[0].body


def reminders():
    return [m for m in mail.outbox if m.subject.startswith("Have you paid")]


def run_reminders_on(*days):
    for day in days:
        with time_machine.travel(PLEDGED_AT + timedelta(days=day), tick=False):
            send_reservation_reminders()


def test_reminders_at_7_and_14_days_then_release_at_21_with_the_guest_told(registry):
    give(registry, "Sofa", "300")
    sent = []
    for days in ((1, 6.9), (7, 8), (14, 15)):
        run_reminders_on(*days)
        sent.append(len(reminders()))
    assert sent == [0, 1, 2]
    first = reminders()[0]
    assert first.subject == "Have you paid your £300 towards Sofa?"
    assert "cancel your pledge on Monday 22 March 2027" in first.body and "https://paypal.me/alexandsam" in first.body
    assert {"I've paid", "Cancel my pledge", "Stop these reminders"} <= set(links_in(first))
    run_reminders_on(21)
    assert Pledge.objects.get().status == Pledge.Status.RELEASED
    assert Gift.objects.get(registry=registry, title="Sofa").amount_pledged == 0
    [released] = [m for m in mail.outbox if m.subject == "Your pledge towards Sofa is cancelled"]
    assert "didn't hear that you paid" in released.body


def test_the_one_click_paid_link_asks_first_and_stops_the_reminders(client, registry):
    give(registry)
    run_reminders_on(7)
    paid_url = links_in(reminders()[0])["I've paid"].removeprefix("http://testserver")
    assert b"Yes, I&#x27;ve paid" in client.get(paid_url).content
    assert Pledge.objects.get().status == Pledge.Status.PLEDGED
    client.post(paid_url)
    assert Pledge.objects.get().status == Pledge.Status.PAID
    run_reminders_on(14, 21, 30)
    assert len(reminders()) == 1 and Pledge.objects.get().status == Pledge.Status.PAID


def test_list_unsubscribe_stops_pledge_reminders_but_not_the_release(client, registry):
    give(registry)
    run_reminders_on(7)
    unsubscribe = reminders()[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    client.post(unsubscribe)
    run_reminders_on(14)
    assert len(reminders()) == 1
    run_reminders_on(21)
    assert Pledge.objects.get().status == Pledge.Status.RELEASED
