"""The confirmation loop: reminders at 7 and 14 days, release at 21, from database timestamps.

Reservations wait for "I bought it", pledges for "I've paid": the same loop serves both.

Guests forget to say they bought a gift, which is how other registries end up with two toasters.
Each run looks at reservation ages and each couple's settings, so a restarted worker loses nothing,
and the outbox keys make a reminder once-only however often it runs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from .emails import pledge_reminder_email, reservation_reminder_email
from .models import Pledge, RegistryPage, ReminderOptOut, Reservation
from .selectors import email_preferences
from .services import pledge_release, reservation_release


@dataclass
class ReminderRun:
    reminded: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)
    pledges_reminded: list[int] = field(default_factory=list)
    pledges_released: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Awaited:
    """A kind of guest promise that waits for the guest's answer (bought, paid), and what to do about it."""

    model: type[models.Model]
    waiting_status: str
    opted_out: Callable[[RegistryPage], set[int]]
    remind: Callable  # (promise, number, release_on) -> the email written, or None
    release: Callable  # (promise) -> None


RESERVATIONS = _Awaited(
    model=Reservation,
    waiting_status=Reservation.Status.RESERVED,
    opted_out=lambda registry: set(
        ReminderOptOut.objects.filter(reservation__gift__registry=registry).values_list("reservation_id", flat=True)
    ),
    remind=lambda reservation, number, release_on: reservation_reminder_email(
        reservation=reservation, number=number, release_on=release_on
    ),
    release=lambda reservation: reservation_release(reservation=reservation, automatic=True),
)
PLEDGES = _Awaited(
    model=Pledge,
    waiting_status=Pledge.Status.PLEDGED,
    opted_out=lambda registry: set(
        Pledge.objects.filter(gift__registry=registry, reminders_stopped_at__isnull=False).values_list("pk", flat=True)
    ),
    remind=lambda pledge, number, release_on: pledge_reminder_email(
        pledge=pledge, number=number, release_on=release_on
    ),
    release=lambda pledge: pledge_release(pledge=pledge, automatic=True),
)


def reservation_reminders_run(*, now: datetime | None = None) -> ReminderRun:
    """Remind, or release, every reservation and pledge still waiting for its guest's answer."""
    now = now or timezone.now()
    run = ReminderRun()
    _remind_and_release(RESERVATIONS, now=now, reminded=run.reminded, released=run.released)
    _remind_and_release(PLEDGES, now=now, reminded=run.pledges_reminded, released=run.pledges_released)
    return run


def _remind_and_release(awaited: _Awaited, *, now: datetime, reminded: list[int], released: list[int]) -> None:
    # A promise whose guest was erased (the couple deleted their account) has no one to remind.
    waiting = awaited.model.objects.filter(
        status=awaited.waiting_status, created_at__lte=now - timedelta(days=1)
    ).exclude(email="")
    registry_ids = waiting.exclude(gift__registry=None).values_list("gift__registry", flat=True).distinct()
    for registry in RegistryPage.objects.filter(pk__in=list(registry_ids)):
        preferences = email_preferences(registry)
        if not preferences.reminders_enabled:
            continue
        opted_out = awaited.opted_out(registry)
        for promise in waiting.filter(gift__registry=registry).select_related("gift__registry"):
            age = now - promise.created_at
            release_on = timezone.localdate(promise.created_at + timedelta(days=preferences.auto_release_days))
            if age >= timedelta(days=preferences.auto_release_days):
                if _release_if_still_unconfirmed(awaited, promise):
                    released.append(promise.pk)
                continue
            if promise.pk in opted_out:
                continue
            number = _reminder_due(age, preferences)
            if number and awaited.remind(promise, number, release_on):
                reminded.append(promise.pk)


def _reminder_due(age: timedelta, preferences) -> int | None:
    if age >= timedelta(days=preferences.second_reminder_days):
        return 2
    if age >= timedelta(days=preferences.first_reminder_days):
        return 1
    return None


@transaction.atomic
def _release_if_still_unconfirmed(awaited: _Awaited, promise) -> bool:
    """Release unless the guest answered (or released) at this very moment: the row lock decides."""
    current = awaited.model.objects.select_for_update().filter(pk=promise.pk, status=awaited.waiting_status)
    if not current.exists():
        return False
    awaited.release(promise)
    return True
