"""The purchase-confirmation loop: reminders at 7 and 14 days, release at 21, from database timestamps.

Guests forget to say they bought a gift, which is how other registries end up with two toasters.
Each run looks at reservation ages and each couple's settings, so a restarted worker loses nothing,
and the outbox keys make a reminder once-only however often it runs.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .emails import reservation_reminder_email
from .models import RegistryPage, ReminderOptOut, Reservation
from .selectors import email_preferences
from .services import reservation_release


@dataclass
class ReminderRun:
    reminded: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)


def reservation_reminders_run(*, now: datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    run = ReminderRun()
    # A reservation whose guest was erased (the couple deleted their account) has no one to remind.
    waiting = Reservation.objects.filter(
        status=Reservation.Status.RESERVED, created_at__lte=now - timedelta(days=1)
    ).exclude(email="")
    registry_ids = waiting.exclude(gift__registry=None).values_list("gift__registry", flat=True).distinct()
    for registry in RegistryPage.objects.filter(pk__in=list(registry_ids)):
        preferences = email_preferences(registry)
        if not preferences.reminders_enabled:
            continue
        opted_out = set(ReminderOptOut.objects.filter(reservation__gift__registry=registry).values_list(
            "reservation_id", flat=True
        ))  # fmt: skip
        for reservation in waiting.filter(gift__registry=registry).select_related("gift__registry"):
            age = now - reservation.created_at
            release_on = timezone.localdate(reservation.created_at + timedelta(days=preferences.auto_release_days))
            if age >= timedelta(days=preferences.auto_release_days):
                if _release_if_still_unconfirmed(reservation):
                    run.released.append(reservation.pk)
                continue
            if reservation.pk in opted_out:
                continue
            number = _reminder_due(age, preferences)
            if number and reservation_reminder_email(reservation=reservation, number=number, release_on=release_on):
                run.reminded.append(reservation.pk)
    return run


def _reminder_due(age: timedelta, preferences) -> int | None:
    if age >= timedelta(days=preferences.second_reminder_days):
        return 2
    if age >= timedelta(days=preferences.first_reminder_days):
        return 1
    return None


@transaction.atomic
def _release_if_still_unconfirmed(reservation: Reservation) -> bool:
    """Release unless the guest confirmed (or released) at this very moment: the row lock decides."""
    current = Reservation.objects.select_for_update().filter(pk=reservation.pk, status=Reservation.Status.RESERVED)
    if not current.exists():
        return False
    reservation_release(reservation=reservation, automatic=True)
    return True
