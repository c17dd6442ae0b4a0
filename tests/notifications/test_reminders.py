"""The purchase-confirmation loop: reminders at 7 and 14 days, release at 21, one-click answers."""

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail

from registries.models import CoupleEmailPreferences, Gift, Reservation
from registries.services import reservation_create, reservation_mark_bought, reservation_release
from registries.tasks import send_reservation_reminders

RESERVED_AT = datetime.fromisoformat("2027-03-01 10:00+00:00")

pytestmark = pytest.mark.django_db(transaction=True)


def days_later(days: float):
    return time_machine.travel(RESERVED_AT + timedelta(days=days), tick=False)


@pytest.fixture
def reservation(teapot):
    with time_machine.travel(RESERVED_AT, tick=False):
        reservation = reservation_create(
            gift=teapot,
            name="Jo Bloggs",
            email="jo@guests.localhost",
            quantity=1,
            message="",
            idempotency_key=uuid.uuid4(),
        ).reservation
    mail.outbox.clear()
    return reservation


def reminders_sent() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Did you buy")]


def run_reminders_on(*days: float) -> None:
    for day in days:
        with days_later(day):
            send_reservation_reminders()


def links_in(message) -> dict[str, str]:
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return {a.get_text(strip=True): a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")}


def test_reminders_at_7_and_14_days_then_release_at_21_with_the_guest_told(reservation, teapot):
    run_reminders_on(1, 6.9)
    assert reminders_sent() == []

    run_reminders_on(7, 7.5, 8)
    assert len(reminders_sent()) == 1
    first = reminders_sent()[0]
    assert first.to == ["jo@guests.localhost"]
    assert first.subject == "Did you buy Teapot for Alex & Sam?"
    assert "available to other guests on Monday 22 March 2027" in first.body
    assert {"I bought it", "Release it for another guest", "Stop these reminders"} <= set(links_in(first))

    run_reminders_on(14, 15)
    assert len(reminders_sent()) == 2

    run_reminders_on(20.9)
    assert Reservation.objects.get().status == Reservation.Status.RESERVED
    run_reminders_on(21, 22)
    assert Reservation.objects.get().status == Reservation.Status.RELEASED
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 0
    released = [m for m in mail.outbox if m.subject == "We released Teapot for other guests"]
    assert len(released) == 1
    assert "didn't hear whether you bought it" in released[0].body


def test_a_guest_who_says_they_bought_it_hears_no_more(reservation):
    run_reminders_on(7)
    reservation_mark_bought(reservation=reservation)

    run_reminders_on(14, 21, 30)

    assert len(reminders_sent()) == 1
    assert Reservation.objects.get().status == Reservation.Status.BOUGHT


def test_the_couple_can_turn_the_loop_off(couple, reservation):
    CoupleEmailPreferences.objects.create(registry=couple.registry, reminders_enabled=False)

    run_reminders_on(7, 14, 21, 40)

    assert reminders_sent() == []
    assert Reservation.objects.get().status == Reservation.Status.RESERVED


def test_the_couple_can_change_the_intervals(couple, reservation):
    CoupleEmailPreferences.objects.create(
        registry=couple.registry, first_reminder_days=3, second_reminder_days=5, auto_release_days=10
    )

    run_reminders_on(2)
    assert reminders_sent() == []
    run_reminders_on(3, 5)
    assert len(reminders_sent()) == 2
    run_reminders_on(10)
    assert Reservation.objects.get().status == Reservation.Status.RELEASED


def test_the_one_click_bought_link_asks_first_and_acts_only_on_post(client, reservation):
    run_reminders_on(7)
    bought_url = links_in(reminders_sent()[0])["I bought it"].removeprefix("http://testserver")

    page = client.get(bought_url)  # what a mail scanner does
    assert page.status_code == 200
    assert b"Yes, I bought it" in page.content
    assert Reservation.objects.get().status == Reservation.Status.RESERVED

    done = client.post(bought_url)
    assert b"We&#x27;ve noted that you bought it" in done.content
    assert Reservation.objects.get().status == Reservation.Status.BOUGHT
    run_reminders_on(14, 21)
    assert len(reminders_sent()) == 1


def test_the_one_click_release_link_gives_the_gift_back(client, reservation, teapot):
    run_reminders_on(7)
    release_url = links_in(reminders_sent()[0])["Release it for another guest"].removeprefix("http://testserver")

    client.post(release_url)

    assert Reservation.objects.get().status == Reservation.Status.RELEASED
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 0


def test_list_unsubscribe_one_click_post_stops_reminders(client, reservation):
    run_reminders_on(7)
    first = reminders_sent()[0]
    unsubscribe_url = first.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    assert first.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail provider POSTs this body, with no cookies and no CSRF token.
    response = client.post(
        unsubscribe_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    run_reminders_on(14)
    assert len(reminders_sent()) == 1


def test_a_link_for_one_purpose_cannot_be_used_for_another(client, reservation):
    run_reminders_on(7)
    bought_url = links_in(reminders_sent()[0])["I bought it"]
    forged = bought_url.replace("/reservation/bought/", "/reservation/release/").removeprefix("http://testserver")
    tampered = bought_url[:-3].removeprefix("http://testserver") + "xx/"

    assert client.post(forged).status_code == 404
    assert client.post(tampered).status_code == 404
    assert Reservation.objects.get().status == Reservation.Status.RESERVED


def released_emails() -> list:
    return [m for m in mail.outbox if m.subject == "We released Teapot for other guests"]


def test_the_release_email_lets_a_guest_who_bought_it_keep_it_without_telling_the_couple(client, reservation, teapot):
    run_reminders_on(21)
    released = released_emails()[0]
    assert "tell the couple" not in released.body
    keep_url = links_in(released)["I did buy it — keep it mine"].removeprefix("http://testserver")
    assert "I did buy it — keep it mine: http://testserver/emails/reservation/keep/" in released.body

    question = client.get(keep_url)  # what a mail scanner does: nothing changes
    assert b"Did you buy it after all?" in question.content
    assert Reservation.objects.get().status == Reservation.Status.RELEASED

    done = client.post(keep_url)
    assert "It's yours again" in BeautifulSoup(done.content, "html.parser").h1.text
    kept = Reservation.objects.get()
    assert (kept.status, kept.lapsed, kept.released_at) == (Reservation.Status.BOUGHT, False, None)
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 1

    again = client.post(keep_url)  # a second click changes nothing
    assert b"You already told us you bought it" in again.content
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 1
    run_reminders_on(30)
    assert len(released_emails()) == 1 and len(reminders_sent()) == 0


def test_when_other_guests_took_a_lapsed_gift_the_keep_link_says_so_and_changes_nothing(client, reservation, teapot):
    run_reminders_on(21)
    keep_url = links_in(released_emails()[0])["I did buy it — keep it mine"].removeprefix("http://testserver")
    reservation_create(
        gift=Gift.objects.get(pk=teapot.pk),
        name="Robin",
        email="robin@guests.localhost",
        quantity=2,
        message="",
        idempotency_key=uuid.uuid4(),
    )

    done = BeautifulSoup(client.post(keep_url).content, "html.parser")

    assert done.h1.text == "Another guest chose it meanwhile"
    assert "return it and choose another gift from the registry" in done.get_text()
    assert Reservation.objects.get(email="jo@guests.localhost").status == Reservation.Status.RELEASED
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 2


def test_a_guest_who_cancelled_themselves_gets_no_keep_link(reservation):
    reservation_release(reservation=reservation)

    cancelled = mail.outbox[-1]
    assert cancelled.subject == "Your reservation of Teapot is cancelled"
    assert "keep it mine" not in cancelled.body


def test_the_one_click_release_link_leaves_a_bought_gift_bought(client, reservation, teapot):
    run_reminders_on(7)
    release_url = links_in(reminders_sent()[0])["Release it for another guest"].removeprefix("http://testserver")
    reservation_mark_bought(reservation=reservation)

    done = client.post(release_url)

    assert b"You already told us you bought it" in done.content
    assert Reservation.objects.get().status == Reservation.Status.BOUGHT
    assert Gift.objects.get(pk=teapot.pk).quantity_reserved == 1
