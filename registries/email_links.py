"""The registry links that emails carry, built when each email is sent (see notifications.links).

One-click links act on a reservation or a registry without logging in: each purpose signs with its own
salt. The salts keep the names the links were first signed with, so links in emails already sent still work.
"""

from functools import partial

from django.urls import reverse

from notifications.links import email_link, object_id_from_token, register_email_link, signed_token

from .models import Pledge, Reservation

RESERVATION_ACTIONS = ("bought", "release", "stop-reminders", "keep")
REGISTRY_ACTIONS = ("stop-reservation-emails",)
PLEDGE_ACTIONS = ("paid", "release", "stop-reminders")
ONE_CLICK_ACTIONS = {"reservation": RESERVATION_ACTIONS, "registry": REGISTRY_ACTIONS, "pledge": PLEDGE_ACTIONS}


@register_email_link("reservation-manage")
def reservation_manage_path(reservation_id: int) -> str | None:
    """The guest's private page for their reservation: its token is the guest's only key to it."""
    token = Reservation.objects.filter(pk=reservation_id).values_list("manage_token", flat=True).first()
    return reverse("reservation_manage", kwargs={"token": token}) if token else None


@register_email_link("pledge-manage")
def pledge_manage_path(pledge_id: int) -> str | None:
    """The guest's private page for their pledge: say they paid, or cancel."""
    token = Pledge.objects.filter(pk=pledge_id).values_list("manage_token", flat=True).first()
    return reverse("pledge_manage", kwargs={"token": token}) if token else None


def _salt(scope: str, action: str) -> str:
    return f"notifications.{scope}.{action}"


def one_click_link(*, scope: str, action: str, object_id: int) -> dict:
    """The one-click link doing `action` on the `scope` ("reservation", "pledge" or "registry") with that id."""
    return email_link(f"{scope}-{action}", object_id)


def one_click_object_id(*, token: str, scope: str, action: str) -> int | None:
    """The id a one-click link was signed for, or None if it was altered, expired or meant for something else."""
    return object_id_from_token(token, salt=_salt(scope, action))


def _one_click_path(object_id: int, *, scope: str, action: str) -> str:
    token = signed_token(object_id, salt=_salt(scope, action))
    return reverse(f"email_{scope}_action", kwargs={"action": action, "token": token})


for _scope, _actions in ONE_CLICK_ACTIONS.items():
    for _action in _actions:
        register_email_link(f"{_scope}-{_action}")(partial(_one_click_path, scope=_scope, action=_action))
