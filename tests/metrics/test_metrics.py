"""The staff's daily figures: counted right, compared with the week before, emailed once, charted for staff only."""

import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import UserFactory, make_couple
from accounts.services import partner_invitation_accept, partner_invite
from metrics.selectors import figures_for_day, series_for_days
from metrics.services import metrics_email_daily
from registries.factories import RegistryPageFactory, gift
from registries.models import Gift, Reservation

DAY = date(2027, 3, 10)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def reservation_on(gift_row, day: date, *, bought: date | None = None, released: date | None = None):
    reservation = Reservation.objects.create(
        gift=gift_row, quantity=1, name="Guest", email="guest@example.com", idempotency_key=uuid.uuid4()
    )
    Reservation.objects.filter(pk=reservation.pk).update(
        created_at=at(day), bought_at=bought and at(bought), released_at=released and at(released)
    )


@pytest.fixture
def known_data(db):
    """In the week before DAY: 7 reservations (one a day), 2 sign-ups, 14 gifts. On DAY: 3, 0, 2, plus 1 bought."""
    registry = RegistryPageFactory(gifts=[gift(title=f"Gift {n}", quantity_wanted=50) for n in range(16)])
    gifts = list(Gift.objects.filter(registry=registry).order_by("title"))
    for index, row in enumerate(gifts):
        created = DAY if index < 2 else DAY - timedelta(days=1 + index % 7)
        Gift.objects.filter(pk=row.pk).update(created_at=at(created))
    for days_before in range(1, 8):
        reservation_on(gifts[0], DAY - timedelta(days=days_before))
    for hour in (0, 12, 23):
        reservation_on(gifts[1], DAY, bought=DAY if hour == 12 else None)
    reservation_on(gifts[2], DAY - timedelta(days=20), released=DAY + timedelta(days=1))  # outside the window
    for days_before in (2, 5):
        couple = make_couple(f"Partner{days_before}", "Other")
        type(couple.user).objects.filter(pk=couple.user.pk).update(date_joined=at(DAY - timedelta(days=days_before)))
    UserFactory(is_staff=True, email="staff@whispergifts.localhost", date_joined=at(DAY))  # staff aren't sign-ups


@pytest.mark.django_db
def test_the_days_figures_and_their_change_against_the_7_day_average(known_data):
    figures = {figure.key: figure for figure in figures_for_day(DAY)}

    assert figures["reservations"].value == 3
    assert figures["reservations"].average == 1.0
    assert figures["reservations"].change == "+200%"
    assert (figures["sign_ups"].value, figures["sign_ups"].change) == (0, "-100%")
    assert (figures["new_gifts"].value, figures["new_gifts"].average, figures["new_gifts"].change) == (2, 2.0, "+0%")
    assert (figures["bought"].value, figures["bought"].change) == (1, "new")


@pytest.mark.django_db
def test_upgrades_and_revenue_count_paid_orders_on_the_day_they_were_paid():
    from payments.models import Order
    from registries.models import Package

    registry = RegistryPageFactory()
    plus = Package.objects.get(name="Plus")
    for invoice, paid_on, status in [
        ("WG-1", DAY, Order.Status.PAID),
        ("WG-2", DAY, Order.Status.REFUNDED),  # paid that day; the refund is its own event
        ("WG-3", DAY - timedelta(days=3), Order.Status.PAID),
        ("WG-4", DAY, Order.Status.GRANTED),  # staff gave it away: no money came in
    ]:
        order = Order.objects.create(
            registry=registry, package=plus, amount=plus.price, currency="GBP", invoice=invoice, status=status
        )
        Order.objects.filter(pk=order.pk).update(paid_at=at(paid_on))

    figures = {figure.key: figure for figure in figures_for_day(DAY)}

    assert figures["upgrades"].value == 2
    assert (figures["revenue_gbp"].label, figures["revenue_gbp"].display) == ("Revenue in GBP (face value)", "£58")
    assert (figures["released"].value, figures["released"].change) == (0, "no change")


@pytest.mark.django_db
def test_couples_signed_up_counts_each_couple_once_not_partners_staff_or_accounts_without_a_registry():
    couple = make_couple("Alex", "Sam")
    invitation = partner_invite(registry=couple.registry, invited_by=couple.user, email="kim@example.com")
    partner = partner_invitation_accept(invitation=invitation, first_name="Kim", password="correct-horse-battery")
    UserFactory(email="nobody@example.com")  # signed in once, never made a registry
    UserFactory(email="staff@whispergifts.localhost", is_staff=True)
    User = type(partner)
    User.objects.update(date_joined=at(DAY))

    figures = {figure.key: figure for figure in figures_for_day(DAY)}

    assert partner.pk != couple.user.pk and User.objects.count() == 4
    assert figures["sign_ups"].value == 1


@pytest.mark.django_db
def test_revenue_is_counted_and_shown_per_currency():
    from payments.models import Order
    from registries.models import Package

    registry = RegistryPageFactory()
    plus = Package.objects.get(name="Plus")
    for invoice, currency, amount in [("WG-1", "GBP", 29), ("WG-2", "EUR", 35), ("WG-3", "EUR", 35)]:
        order = Order.objects.create(
            registry=registry, package=plus, amount=amount, currency=currency, invoice=invoice, status="paid"
        )
        Order.objects.filter(pk=order.pk).update(paid_at=at(DAY))

    figures = {figure.key: figure for figure in figures_for_day(DAY)}

    assert (figures["revenue_eur"].display, figures["revenue_gbp"].display) == ("€70", "£29")


@pytest.mark.django_db
def test_the_90_day_series_has_a_value_for_every_day(known_data):
    series = {s.key: s for s in series_for_days(last_day=DAY, days=90)}

    assert len(series["reservations"].days) == 90
    assert series["reservations"].days[-1] == DAY
    assert sum(series["reservations"].values) == 11
    assert series["reservations"].values[-1] == 3


@pytest.mark.django_db
def test_staff_get_the_metrics_email_once_a_day(known_data, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        metrics_email_daily(day=DAY)
        metrics_email_daily(day=DAY)

    [message] = mail.outbox
    assert message.to == ["staff@whispergifts.localhost"]
    assert message.subject == "WhisperGifts on Wednesday 10 March 2027"
    lines = message.body.splitlines()
    assert any(line.split()[:2] == ["Gifts", "reserved"] and "3" in line and "+200%" in line for line in lines)
    assert "http://testserver/admin/" in message.body


@pytest.mark.django_db
def test_the_dashboard_panel_shows_staff_the_figures_and_charts(client, known_data):
    admin = UserFactory(is_staff=True, is_superuser=True, email="boss@whispergifts.localhost")
    client.force_login(admin)

    page = client.get("/admin/")

    assert page.status_code == 200
    assert b"data-metrics-panel" in page.content
    assert b"Gifts reserved" in page.content
    assert page.content.count(b'<svg viewBox="0 0 360 60"') == 8  # one chart per figure
    text = page.content.decode()
    # Each chart says what its axes are: days along the bottom, from when to when; count a day up the side.
    assert text.count('data-axis="x"') == 8 and text.count('data-axis="y"') == 8
    first_day = (timezone.localdate() - timedelta(days=89)).strftime("%-d %b %Y")
    assert f"Day, {first_day} to today" in text
    assert "Gifts reserved per day (0 to" in text
    assert "Revenue in GBP (face value) per day (£0 to" in text


@pytest.mark.django_db
def test_the_dashboard_panel_is_invisible_to_couples(client, known_data):
    couple = make_couple("Alex", "Sam", email="alex@couple.localhost", wedding_date=date(2027, 6, 12))
    client.force_login(couple.user)

    page = client.get("/admin/")

    assert page.status_code == 200
    assert b"data-metrics-panel" not in page.content
    assert b"Gifts reserved" not in page.content
