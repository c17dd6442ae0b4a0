"""The outbox: every email is a row written with the event that causes it, sent by a task, never lost.

An email is a row written in the transaction of the event that causes it. After the commit a task
is queued to send it; if the broker is down the row waits for the sweeper. The row's unique key
names (event, recipient, kind), so an event handled twice still writes one email. The apps compose
their own emails (`registries/emails.py`, `accounts/emails.py`...) and write them here.
"""

import hashlib
import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import emails
from .links import LinkGone, links_resolved
from .models import DeliveryEvent, OutboxEmail, UndeliverableAddress

logger = logging.getLogger(__name__)

# A row nobody picked up this long after it was due is queued again by the sweeper.
SWEEP_AFTER = timedelta(minutes=2)
# How long a worker may hold a row while sending before another may try.
SEND_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 10
# Anymail's normalised tracking events we keep, and Postmark's bounce types that mean "never again".
RECORDED_EVENT_TYPES = {"bounced", "deferred", "complained", "rejected"}
PERMANENT_BOUNCE_TYPES = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated", "SpamComplaint", "Blocked"}


class SendDeferred(Exception):
    """The email could not be sent this time and stays in the outbox for another attempt."""


# The outbox.
def outbox_add(*, key: str, kind: str, to_email: str, context: dict, reservation=None) -> OutboxEmail | None:
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


def outbox_add_for_each(*, recipients, key: str, kind: str, context: dict) -> int:
    """The same email to each of `recipients`, keyed `<key>:<address>`; returns how many were new."""
    return sum(
        outbox_add(key=f"{key}:{email}", kind=kind, to_email=email, context=context) is not None
        for email in recipients
    )


def outbox_email(*, key: str, kind: str, to_email: str, context: dict, reservation) -> OutboxEmail:
    """An email for `outbox_add_new`, not yet written."""
    return OutboxEmail(
        key=_fitting_key(key),
        kind=kind,
        to_email=to_email,
        context=context,
        reservation=reservation,
        next_attempt_at=timezone.now(),
    )


def outbox_add_new(rows: list[OutboxEmail]) -> None:
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
    hashed = digest(key)
    return f"{key[: limit - len(hashed) - 1]}:{hashed}"


def digest(value: str) -> str:
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


# Delivery events (Postmark's tracking webhook).
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


# Erasure.
def outbox_erase(*, emails, forgotten_addresses: set[str]) -> None:
    """Delete `emails` (a queryset of outbox rows), the delivery events about them, and what we know of
    `forgotten_addresses` (bounces, complaints): addresses that belong to nobody else any more."""
    message_ids = [message_id for message_id in emails.values_list("esp_message_id", flat=True) if message_id]
    DeliveryEvent.objects.filter(Q(esp_message_id__in=message_ids) | Q(recipient__in=forgotten_addresses)).delete()
    UndeliverableAddress.objects.filter(email__in=forgotten_addresses).delete()
    emails.delete()
