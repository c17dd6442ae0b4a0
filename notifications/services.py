"""The outbox, and the emails each event writes into it.

An email is a row written in the transaction of the event that causes it. After the commit a task
is queued to send it; if the broker is down the row waits for the sweeper. The row's unique key
names (event, recipient, kind), so an event handled twice still writes one email.
"""

import hashlib
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from core.currency import format_money
from registries.models import Gift, RegistryPage, Reservation

from . import emails
from .links import LinkGone, absolute_url, email_link, links_resolved, one_click_link
from .models import DeliveryEvent, OutboxEmail, ReminderOptOut, UndeliverableAddress
from .selectors import couple_recipients

logger = logging.getLogger(__name__)

# A row nobody picked up this long after it was due is queued again by the sweeper.
SWEEP_AFTER = timedelta(minutes=2)
# How long a worker may hold a row while sending before another may try.
SEND_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 10
# Dates as people write them where each currency is used.
DATE_FORMATS = {"USD": "l, F j, Y", "CAD": "l, F j, Y"}
DEFAULT_DATE_FORMAT = "l j F Y"

Kind = OutboxEmail.Kind
# Anymail's normalised tracking events we keep, and Postmark's bounce types that mean "never again".
RECORDED_EVENT_TYPES = {"bounced", "deferred", "complained", "rejected"}
PERMANENT_BOUNCE_TYPES = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated", "SpamComplaint", "Blocked"}


class SendDeferred(Exception):
    """The email could not be sent this time and stays in the outbox for another attempt."""


# --- The outbox ---------------------------------------------------------------------------------


def outbox_add(
    *, key: str, kind: str, to_email: str, context: dict, reservation: Reservation | None = None
) -> OutboxEmail | None:
    """Write one email into the outbox, in the caller's transaction; None if that key was written before."""
    key = _fitting_key(key)
    now = timezone.now()
    with transaction.atomic():
        row, created = OutboxEmail.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "to_email": to_email,
                "context": context,
                "reservation": reservation,
                "next_attempt_at": now,
            },
        )
    if not created:
        return None
    transaction.on_commit(partial(outbox_queue, outbox_id=row.pk))
    return row


def _new_email(*, key: str, kind: str, to_email: str, context: dict, reservation: Reservation) -> OutboxEmail:
    return OutboxEmail(
        key=_fitting_key(key),
        kind=kind,
        to_email=to_email,
        context=context,
        reservation=reservation,
        next_attempt_at=timezone.now(),
    )


def _outbox_add_new(rows: list[OutboxEmail]) -> None:
    """Write the emails of a row this transaction just created (a new reservation), in one INSERT.

    Their keys name that row, so none can exist yet: unlike outbox_add, there is nothing to look up first.
    """
    if not rows:
        return
    OutboxEmail.objects.bulk_create(rows)
    for row in rows:
        transaction.on_commit(partial(outbox_queue, outbox_id=row.pk))


def _fitting_key(key: str) -> str:
    """Keys name the recipient, and an address may be 254 characters: keep long keys unique but short."""
    limit = OutboxEmail._meta.get_field("key").max_length
    if len(key) <= limit:
        return key
    digest = _digest(key)
    return f"{key[: limit - len(digest) - 1]}:{digest}"


def _digest(value: str) -> str:
    """Names `value` in a key without revealing it."""
    return hashlib.sha256(value.encode()).hexdigest()


def outbox_queue(*, outbox_id: int) -> bool:
    """Hand the row to a worker. A broker that is down only delays the email: the sweeper retries."""
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(outbox_id)
    except Exception:  # any broker failure (refused, timeout, auth) must not reach the guest
        logger.warning("Could not queue outbox email %s; the sweeper will retry.", outbox_id, exc_info=True)
        return False
    return True


def outbox_send(*, outbox_id: int, retry_in: timedelta) -> OutboxEmail | None:
    """Send one outbox row, once. Returns None if it was sent, refused, or is being sent elsewhere.

    A transient failure is recorded and raises SendDeferred (the caller retries after `retry_in`);
    a permanent refusal is recorded and not retried.
    """
    now = timezone.now()
    claimed = (
        OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + SEND_LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    row = OutboxEmail.objects.get(pk=outbox_id)
    try:
        message_id = emails.send(kind=row.kind, to_email=row.to_email, context=links_resolved(row.context))
    except (emails.PermanentSendError, LinkGone) as refused:
        _outbox_record(row, status=OutboxEmail.Status.FAILED, last_error=str(refused))
        logger.warning("Outbox email %s was refused: %s", row.pk, refused)
        return row
    except emails.TransientSendError as failure:
        if row.attempts >= MAX_ATTEMPTS:
            _outbox_record(
                row, status=OutboxEmail.Status.FAILED, last_error=f"Gave up after {row.attempts}: {failure}"
            )
            return row
        _outbox_record(row, last_error=str(failure), next_attempt_at=timezone.now() + retry_in)
        raise SendDeferred(str(failure)) from failure
    _outbox_record(row, status=OutboxEmail.Status.SENT, sent_at=timezone.now(), esp_message_id=message_id)
    return row


def _outbox_record(row: OutboxEmail, **fields) -> None:
    fields["claimed_until"] = None
    OutboxEmail.objects.filter(pk=row.pk).update(**fields)
    for name, value in fields.items():
        setattr(row, name, value)


def outbox_requeue_due(*, now: datetime | None = None) -> int:
    """Queue again every unsent row that nobody picked up in time (broker down, worker killed)."""
    now = now or timezone.now()
    due = (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now - SWEEP_AFTER)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)
    )
    queued = 0
    for outbox_id in list(due[:500]):
        # Not due again for another SWEEP_AFTER, so a slow queue isn't flooded with copies.
        OutboxEmail.objects.filter(pk=outbox_id).update(next_attempt_at=now)
        queued += outbox_queue(outbox_id=outbox_id)
    return queued


# --- Formatting ---------------------------------------------------------------------------------


def format_day(day: date, currency: str) -> str:
    return format_date(day, DATE_FORMATS.get(currency, DEFAULT_DATE_FORMAT))


def _registry_context(registry: RegistryPage) -> dict:
    return {
        "couple_names": registry.couple_names,
        "wedding_date": format_day(registry.wedding_date, registry.currency),
        "registry_url": absolute_url(registry.get_url() or "/"),
    }


def _gift_context(reservation: Reservation) -> dict:
    gift = reservation.gift
    registry = gift.registry
    return {
        "gift_title": gift.title,
        "quantity": reservation.quantity,
        "price": format_money(gift.price, registry.currency),
        "total": format_money(gift.price * reservation.quantity, registry.currency)
        if reservation.quantity > 1
        else "",
        "shop_name": gift.shop_name,
        "shop_url": gift.shop_url,
        "reserved_on": format_day(timezone.localdate(reservation.created_at), registry.currency),
    }


def _guest_context(reservation: Reservation) -> dict:
    registry = reservation.gift.registry
    return {
        **_registry_context(registry),
        **_gift_context(reservation),
        "guest_name": reservation.name,
        "manage_url": email_link("reservation-manage", reservation.pk),
    }


# --- Reservations -------------------------------------------------------------------------------


def reservation_guest_email(*, reservation: Reservation) -> None:
    """The guest's confirmation with their private link: written in the reservation's transaction."""
    _outbox_add_new(
        [
            _new_email(
                key=f"reservation:{reservation.pk}:reservation_guest:{reservation.email.lower()}",
                kind=Kind.RESERVATION_GUEST,
                to_email=reservation.email,
                context=_guest_context(reservation),
                reservation=reservation,
            )
        ]
    )


def reservation_couple_emails(*, reservation: Reservation, recipients: list[str]) -> None:
    """Tell each of `recipients` (selectors.reservation_email_recipients, read beforehand) that a gift was reserved.

    Written after the units are taken, in the same transaction, because it says how many are still wanted.
    """
    if not recipients:
        return
    registry = reservation.gift.registry
    remaining = Gift.objects.values_list(F("quantity_wanted") - F("quantity_reserved"), flat=True).get(
        pk=reservation.gift_id
    )
    context = {
        **_registry_context(registry),
        **_gift_context(reservation),
        **_couple_reveal_context(registry),
        "reservation": _reservation_summary(registry, reservation),
        "remaining": remaining,
        "unsubscribe_url": one_click_link(scope="registry", action="stop-reservation-emails", object_id=registry.pk),
    }
    _outbox_add_new(
        [
            _new_email(
                key=f"reservation:{reservation.pk}:reservation_couple:{email}",
                kind=Kind.RESERVATION_COUPLE,
                to_email=email,
                context=context,
                reservation=reservation,
            )
            for email in recipients
        ]
    )


def reservation_released_email(*, reservation: Reservation, automatic: bool) -> None:
    """Tell the guest their reservation ended, and why."""
    if reservation.gift.registry is None:
        return  # the registry was deleted: there is nothing left to point the guest to
    outbox_add(
        key=f"reservation:{reservation.pk}:reservation_released:{reservation.email.lower()}",
        kind=Kind.RESERVATION_RELEASED,
        to_email=reservation.email,
        context={**_guest_context(reservation), "automatic": automatic},
        reservation=reservation,
    )


def reservation_reminder_email(*, reservation: Reservation, number: int, release_on: date) -> OutboxEmail | None:
    """Reminder `number` (1 or 2): did you buy it? One click to say so, or to let it go."""
    registry = reservation.gift.registry
    return outbox_add(
        key=f"reservation:{reservation.pk}:reservation_reminder:{number}",
        kind=Kind.RESERVATION_REMINDER,
        to_email=reservation.email,
        context={
            **_guest_context(reservation),
            "number": number,
            "release_on": format_day(release_on, registry.currency),
            "bought_url": one_click_link(scope="reservation", action="bought", object_id=reservation.pk),
            "release_url": one_click_link(scope="reservation", action="release", object_id=reservation.pk),
            "unsubscribe_url": one_click_link(scope="reservation", action="stop-reminders", object_id=reservation.pk),
        },
        reservation=reservation,
    )


def reminders_stop(*, reservation: Reservation) -> None:
    ReminderOptOut.objects.get_or_create(reservation=reservation)


def couple_digest_email(*, registry: RegistryPage, day: date, reservations: list[Reservation]) -> int:
    """One email per partner listing `day`'s reservations. Returns how many were written."""
    if not reservations:
        return 0
    context = {
        **_registry_context(registry),
        **_couple_reveal_context(registry),
        "day": format_day(day, registry.currency),
        "reservations": [_reservation_summary(registry, reservation) for reservation in reservations],
        "unsubscribe_url": one_click_link(scope="registry", action="stop-reservation-emails", object_id=registry.pk),
    }
    written = 0
    for email in couple_recipients(registry):
        written += bool(
            outbox_add(
                key=f"registry:{registry.pk}:couple_digest:{day.isoformat()}:{email}",
                kind=Kind.COUPLE_DIGEST,
                to_email=email,
                context=context,
            )
        )
    return written


def _couple_reveal_context(registry: RegistryPage) -> dict:
    return {
        "revealed": registry.reservations_revealed(),
        "reveal_on": format_day(registry.wedding_date + timedelta(days=1), registry.currency),
        "admin_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[registry.pk])),
        "settings_url": absolute_url(reverse("notifications_email_settings", kwargs={"registry_id": registry.pk})),
    }


def _reservation_summary(registry: RegistryPage, reservation: Reservation) -> dict:
    """One reservation as the couple may see it: the giver and message only once revealed."""
    summary = {
        "gift_title": reservation.gift.title,
        "quantity": reservation.quantity,
        "price": format_money(reservation.gift.price, registry.currency),
    }
    if registry.reservations_revealed():
        summary.update(guest_name=reservation.name, message=reservation.message)
    return summary


# --- Accounts and payments (called by the sign-up, invitation and payment code) ------------------


def email_welcome(*, user, registry: RegistryPage, confirmation_id: int | None = None) -> OutboxEmail | None:
    """Welcome a couple who just signed up: where their registry is, what to do next, and (when the address
    is still to be proved) the link that confirms it."""
    return outbox_add(
        key=f"user:{user.pk}:welcome",
        kind=Kind.WELCOME,
        to_email=user.email,
        context={
            **_registry_context(registry),
            "first_name": user.first_name,
            "admin_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[registry.pk])),
            "confirm_url": email_link("email-confirmation", confirmation_id) if confirmation_id else "",
        },
    )


def email_address_confirmation(*, user, to_email: str, confirmation_id: int, changing: bool) -> OutboxEmail | None:
    """The link that proves `to_email` is the account's: its own address, or the new one it asked to use."""
    return outbox_add(
        key=f"email-confirmation:{confirmation_id}:email_confirmation:{to_email.lower()}",
        kind=Kind.EMAIL_CONFIRMATION,
        to_email=to_email,
        context={
            "first_name": user.first_name,
            "email": to_email,
            "changing": changing,
            "confirm_url": email_link("email-confirmation", confirmation_id),
        },
    )


def email_address_changed(*, user, old_email: str, confirmation_id: int) -> OutboxEmail | None:
    """Tell the address an account used to have that it has moved, in case that wasn't its owner."""
    return outbox_add(
        key=f"email-confirmation:{confirmation_id}:email_changed:{old_email.lower()}",
        kind=Kind.EMAIL_CHANGED,
        to_email=old_email,
        context={"first_name": user.first_name, "old_email": old_email, "new_email": user.email},
    )


def email_account_exists(*, user, on: date) -> OutboxEmail | None:
    """Someone tried to sign up with the address of an existing account: tell its owner, once a day at most,
    what to do if it was them. The sign-up page itself says only that we sent an email."""
    return outbox_add(
        key=f"user:{user.pk}:account_exists:{on.isoformat()}",
        kind=Kind.ACCOUNT_EXISTS,
        to_email=user.email,
        context={
            "first_name": user.first_name,
            "email": user.email,
            "login_url": absolute_url(reverse("wagtailadmin_login")),
            "reset_url": absolute_url(reverse("wagtailadmin_password_reset")),
        },
    )


def email_partner_invitation(
    *, registry: RegistryPage, invited_by, to_email: str, invitation_id: int
) -> OutboxEmail | None:
    """Invite the other partner to manage the registry, with the invitation's own link."""
    return outbox_add(
        key=f"invitation:{invitation_id}:partner_invitation:{to_email.lower()}",
        kind=Kind.PARTNER_INVITATION,
        to_email=to_email,
        context={
            **_registry_context(registry),
            "inviter_name": invited_by.get_full_name() or invited_by.email,
            "accept_url": email_link("partner-invitation", invitation_id),
        },
    )


def email_password_reset(*, user, token: str) -> OutboxEmail | None:
    """A link to choose a new password, made when it is sent; `token` (the request's) only tells requests apart."""
    return outbox_add(
        key=f"user:{user.pk}:password_reset:{_digest(token)}",
        kind=Kind.PASSWORD_RESET,
        to_email=user.email,
        context={
            "first_name": user.first_name,
            "email": user.email,
            "reset_url": email_link("password-reset", user.pk),
        },
    )


def email_payment_receipt(
    *,
    registry: RegistryPage,
    to_email: str,
    payment_reference: str,
    description: str,
    amount: Decimal,
    currency: str,
    paid_at: datetime,
) -> OutboxEmail | None:
    """The receipt for a couple's payment. Call it in the transaction that records the payment.

    `payment_reference` (e.g. PayPal's txn_id) makes it once-only: a repeated notification writes nothing.
    """
    return outbox_add(
        key=f"payment:{payment_reference}:payment_receipt:{to_email.lower()}",
        kind=Kind.PAYMENT_RECEIPT,
        to_email=to_email,
        context={
            **_registry_context(registry),
            "payment_reference": payment_reference,
            "description": description,
            "amount": format_money(amount, currency),
            "paid_on": format_day(timezone.localdate(paid_at), currency),
        },
    )


def email_package_refunded(
    *,
    registry: RegistryPage,
    to_email: str,
    payment_reference: str,
    outcome: str,
    description: str,
    amount: Decimal,
    currency: str,
    package_now: str,
    plan_url: str,
) -> OutboxEmail | None:
    """Tell the couple a payment was refunded or reversed and their registry is back on `package_now`.

    Once per (payment notification, recipient): PayPal's repeated notification writes nothing.
    """
    return outbox_add(
        key=f"payment:{payment_reference}:package_refunded:{to_email.lower()}",
        kind=Kind.PACKAGE_REFUNDED,
        to_email=to_email,
        context={
            **_registry_context(registry),
            "outcome": outcome,
            "description": description,
            "amount": format_money(amount, currency),
            "package_now": package_now,
            "plan_url": absolute_url(plan_url),
        },
    )


# --- Delivery events (Postmark's tracking webhook) ----------------------------------------------


def delivery_event_record(*, event) -> DeliveryEvent | None:
    """Record a bounce or complaint once per event id; mark addresses that must not be mailed again.

    A hard bounce or spam complaint marks the address (the couple's admin shows it beside the
    reservation); a soft bounce or a delay is recorded only, as Postmark keeps trying.
    """
    if event.event_type not in RECORDED_EVENT_TYPES or not event.recipient:
        return None
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    # Bounces carry a Type; a suppression (SubscriptionChange) says why in SuppressionReason.
    esp_type = str(esp_event.get("Type") or esp_event.get("SuppressionReason") or "")
    event_id = event.event_id or f"{event.message_id}:{event.event_type}:{event.recipient}"
    recipient = event.recipient.lower()
    with transaction.atomic():
        row, created = DeliveryEvent.objects.get_or_create(
            event_id=event_id,
            defaults={
                "event_type": event.event_type,
                "esp_type": esp_type,
                "recipient": recipient,
                "esp_message_id": event.message_id or "",
                "description": event.description or "",
                "occurred_at": event.timestamp,
            },
        )
        if not created:
            return None
        if event.message_id:
            OutboxEmail.objects.filter(esp_message_id=event.message_id).update(delivery_status=event.event_type)
        reason = None
        if event.event_type == "complained":
            reason = UndeliverableAddress.Reason.COMPLAINED
        elif event.event_type == "bounced" and esp_type in PERMANENT_BOUNCE_TYPES:
            reason = UndeliverableAddress.Reason.BOUNCED
        if reason:
            UndeliverableAddress.objects.update_or_create(email=recipient, defaults={"reason": reason})
    return row


# --- Erasure (a couple deleting their account) --------------------------------------------------


def registry_emails_erase(
    *, registry: RegistryPage, invitation_ids: list[int], couple_addresses: set[str], forgotten_addresses: set[str]
) -> None:
    """Delete every email about `registry`, the delivery events about them, and what we know of
    `forgotten_addresses` (bounces, complaints): addresses that belong to nobody else any more.

    An email is about the registry when it is about one of its reservations (guests' and the couple's),
    its digest, one of its invitations, or is to the couple with no reservation (welcome, password
    reset, receipts). A couple's address that is also a guest of another registry keeps those emails.
    """
    about_registry = (
        Q(reservation__gift__registry=registry)
        | Q(key__startswith=f"registry:{registry.pk}:")
        | Q(to_email__in=couple_addresses, reservation=None)
    )
    for invitation_id in invitation_ids:
        about_registry |= Q(key__startswith=f"invitation:{invitation_id}:")
    emails = OutboxEmail.objects.filter(about_registry)
    message_ids = [message_id for message_id in emails.values_list("esp_message_id", flat=True) if message_id]
    DeliveryEvent.objects.filter(Q(esp_message_id__in=message_ids) | Q(recipient__in=forgotten_addresses)).delete()
    UndeliverableAddress.objects.filter(email__in=forgotten_addresses).delete()
    ReminderOptOut.objects.filter(reservation__gift__registry=registry).delete()
    emails.delete()
