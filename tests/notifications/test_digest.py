"""Couples who prefer it get one digest a day instead of an email per reservation."""

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from registries.factories import gift_row
from registries.models import CoupleEmailPreferences
from registries.services import reservation_create
from registries.tasks import send_couple_digests

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.fromisoformat("2027-03-01 00:00+00:00")


def reserve(gift, name, at):
    with time_machine.travel(at, tick=False):
        reservation_create(
            gift=gift,
            name=name,
            email="guest@guests.localhost",
            quantity=1,
            message="With love",
            idempotency_key=uuid.uuid4(),
        )


@pytest.fixture
def daily(couple):
    CoupleEmailPreferences.objects.create(
        registry=couple.registry, reservation_emails=CoupleEmailPreferences.ReservationEmails.DAILY
    )
    return couple


def digests() -> list:
    return [m for m in mail.outbox if "reserved on" in m.subject]


def test_one_digest_per_partner_lists_the_days_reservations_once(daily, teapot):
    bench = gift_row(daily.registry, "Garden bench")
    reserve(teapot, "Jo Bloggs", DAY + timedelta(hours=9))
    reserve(bench, "Priya Shah", DAY + timedelta(hours=23, minutes=59))
    reserve(teapot, "Tomorrow's guest", DAY + timedelta(days=1, hours=1))
    mail.outbox.clear()

    for hours in (24.25, 24.5, 30):
        with time_machine.travel(DAY + timedelta(hours=hours), tick=False):
            send_couple_digests()

    assert sorted(m.to[0] for m in digests()) == ["alex@couple.localhost", "sam@couple.localhost"]
    digest = digests()[0]
    assert digest.subject == "2 gifts reserved on Monday 1 March 2027"
    assert "1 × Teapot (£45.50 each)" in digest.body and "1 × Garden bench (£1,260 each)" in digest.body
    assert "Tomorrow" not in digest.body
    assert "Jo Bloggs" not in digest.body and "With love" not in digest.body  # still a surprise
    assert "stays a surprise until Sunday 13 June 2027" in digest.body
    assert digest.extra_headers["List-Unsubscribe"].startswith("<http://testserver/emails/registry/")


def test_no_digest_on_a_quiet_day_or_for_couples_who_want_each_email(couple, teapot):
    with time_machine.travel(DAY + timedelta(days=1, hours=1), tick=False):
        send_couple_digests()
    CoupleEmailPreferences.objects.create(registry=couple.registry)
    reserve(teapot, "Jo Bloggs", DAY + timedelta(hours=9))
    with time_machine.travel(DAY + timedelta(days=1, hours=1), tick=False):
        send_couple_digests()

    assert digests() == []


def test_the_stop_link_turns_reservation_emails_off(client, daily, teapot):
    reserve(teapot, "Jo Bloggs", DAY + timedelta(hours=9))
    with time_machine.travel(DAY + timedelta(days=1, hours=1), tick=False):
        send_couple_digests()
    stop_url = digests()[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")

    assert b"Stop these emails" in client.get(stop_url).content
    client.post(stop_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    daily.registry.email_preferences.refresh_from_db()
    assert daily.registry.email_preferences.reservation_emails == CoupleEmailPreferences.ReservationEmails.OFF
    mail.outbox.clear()
    reserve(teapot, "Priya Shah", DAY + timedelta(days=2))
    assert [m.to for m in mail.outbox] == [["guest@guests.localhost"]]  # the guest still gets theirs
