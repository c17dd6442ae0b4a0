"""The couples' daily digest: yesterday's reservations in one email, for couples who prefer it."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from .emails import couple_digest_email
from .models import CoupleEmailPreferences, RegistryPage, Reservation


def couple_digests_run(*, now: datetime | None = None) -> int:
    """Write yesterday's digest for every couple who chose one. Safe to run every few minutes."""
    now = now or timezone.now()
    day = timezone.localdate(now) - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    written = 0
    registries = RegistryPage.objects.filter(
        email_preferences__reservation_emails=CoupleEmailPreferences.ReservationEmails.DAILY
    )
    for registry in registries:
        reservations = list(
            Reservation.objects.filter(
                gift__registry=registry, created_at__gte=start, created_at__lt=start + timedelta(days=1)
            )
            .select_related("gift")
            .order_by("created_at")
        )
        written += couple_digest_email(registry=registry, day=day, reservations=reservations)
    return written
