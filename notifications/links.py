"""One-click links in emails: signed, single-purpose, usable without logging in.

Each purpose has its own salt, so a "stop reminders" link can never be replayed as "release it".
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

RESERVATION_ACTIONS = ("bought", "release", "stop-reminders")
REGISTRY_ACTIONS = ("stop-reservation-emails",)
MAX_AGE = 60 * 60 * 24 * 365  # a year: a wedding is long over by then


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reservation_action_url(*, reservation_id: int, action: str) -> str:
    if action not in RESERVATION_ACTIONS:
        raise ValueError(f"unknown reservation action {action!r}")
    token = signing.dumps(reservation_id, salt=f"notifications.reservation.{action}", compress=True)
    return absolute_url(reverse("email_reservation_action", kwargs={"action": action, "token": token}))


def registry_action_url(*, registry_id: int, action: str) -> str:
    if action not in REGISTRY_ACTIONS:
        raise ValueError(f"unknown registry action {action!r}")
    token = signing.dumps(registry_id, salt=f"notifications.registry.{action}", compress=True)
    return absolute_url(reverse("email_registry_action", kwargs={"action": action, "token": token}))


def object_id_from_token(*, token: str, scope: str, action: str) -> int | None:
    """The id a link was signed for, or None if it was altered, expired or meant for something else."""
    try:
        return int(signing.loads(token, salt=f"notifications.{scope}.{action}", max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
