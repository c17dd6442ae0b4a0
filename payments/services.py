"""The rules of orders and upgrades. PayPal's module, the admin views and the tests all call these.

A registry changes package only here, and only through a conditional UPDATE of its order's status
plus a row in ProcessedTransaction (unique per transaction and status): the same notification
delivered twice, one after the other or at the same moment, changes the package once.
"""

import enum
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.currency import format_money
from registries.models import Package, RegistryPage
from registries.selectors import couple_recipients
from registries.services import registry_package_set

from .emails import email_package_refunded, email_payment_receipt
from .models import Order, PaymentEvent, ProcessedTransaction

logger = logging.getLogger(__name__)
Outcome = PaymentEvent.Outcome


class NotificationKind(enum.Enum):
    COMPLETED = "completed"
    PENDING = "pending"
    REFUNDED = "refunded"
    REVERSED = "reversed"
    REVERSAL_CANCELED = "reversal_canceled"
    OTHER = "other"


@dataclass(frozen=True)
class PaymentNotification:
    """A payment provider's message, in our words. Built by the provider's module."""

    provider: str
    kind: NotificationKind
    payment_status: str
    transaction_id: str
    parent_transaction_id: str = ""
    invoice: str = ""
    registry_reference: str = ""
    amount: Decimal | None = None
    currency: str = ""
    provider_reference: str = ""
    detail: str = ""
    # Provider-level reasons to refuse (wrong receiver, sandbox message in production...).
    problems: tuple[str, ...] = field(default_factory=tuple)


class PackageNotAnUpgrade(Exception):
    pass


def registry_reference(registry: RegistryPage) -> str:
    """What we send the provider as `custom`, and expect back: which registry an order is for."""
    return f"registry:{registry.pk}"


def order_create(*, registry: RegistryPage, package: Package, created_by) -> Order:
    """An order for `package` at today's price. Asking twice reuses the order still awaiting payment."""
    current = registry.effective_package
    if current is not None and not package.is_upgrade_from(current):
        raise PackageNotAnUpgrade(f"{package} is not an upgrade from {current}.")
    existing = Order.objects.filter(
        registry=registry,
        package=package,
        status=Order.Status.AWAITING_PAYMENT,
        amount=package.price,
        currency=package.currency,
    ).first()
    if existing is not None:
        return existing
    return Order.objects.create(
        registry=registry, package=package, amount=package.price, currency=package.currency, created_by=created_by
    )


@transaction.atomic
def package_grant(*, registry: RegistryPage, package: Package, reason: str, granted_by) -> Order:
    """Staff move a registry to a package by hand. The reason and who did it stay on the order."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required to grant a package.")
    registry = RegistryPage.objects.select_for_update().get(pk=registry.pk)
    order = Order.objects.create(
        registry=registry,
        package=package,
        previous_package_id=registry.package_id,
        amount=Decimal("0"),
        currency=package.currency,
        status=Order.Status.GRANTED,
        reason=reason,
        created_by=granted_by,
        paid_at=timezone.now(),
    )
    registry_package_set(registry_id=registry.pk, package_id=package.pk)
    PaymentEvent.objects.create(
        order=order,
        provider="staff",
        outcome=Outcome.GRANTED,
        reason=f"{granted_by} granted {package}: {reason}",
        invoice=order.invoice,
    )
    return order


@transaction.atomic
def payment_notification_apply(*, notification: PaymentNotification) -> PaymentEvent:
    """Act on a verified notification: upgrade, downgrade, restore, or record why not.

    Call inside the transaction that stores the provider's message, so a crash here leaves
    nothing behind and the provider's retry is processed afresh.
    """
    order = _order_named_by(notification)
    if notification.problems:
        return _record(notification, order, Outcome.REFUSED, " ".join(notification.problems))
    handlers = {
        NotificationKind.COMPLETED: _complete,
        NotificationKind.PENDING: _pending,
        NotificationKind.REFUNDED: _reverse,
        NotificationKind.REVERSED: _reverse,
        NotificationKind.REVERSAL_CANCELED: _restore,
    }
    handler = handlers.get(notification.kind)
    if handler is None:
        return _record(
            notification, order, Outcome.RECORDED, f"Payment status {notification.payment_status}: nothing to do."
        )
    return handler(notification, order)


def payment_notification_record_unverified(*, notification: PaymentNotification, reason: str) -> PaymentEvent:
    """Keep a notification we could not trust or act on (unverified, duplicate), for staff to see."""
    return _record(notification, _order_named_by(notification), Outcome.UNVERIFIED, reason)


def payment_notification_record_duplicate(*, notification: PaymentNotification, reason: str) -> PaymentEvent:
    return _record(notification, _order_named_by(notification), Outcome.DUPLICATE, reason)


def _order_named_by(notification: PaymentNotification) -> Order | None:
    if notification.parent_transaction_id:
        order = Order.objects.filter(transaction_id=notification.parent_transaction_id).first()
        if order is not None:
            return order
    if notification.invoice:
        return Order.objects.filter(invoice=notification.invoice).first()
    return None


def _record(notification: PaymentNotification, order: Order | None, outcome: str, reason: str) -> PaymentEvent:
    if outcome in (Outcome.REFUSED, Outcome.UNVERIFIED):
        logger.warning("Payment notification %s refused: %s", notification.transaction_id, reason)
    return PaymentEvent.objects.create(
        order=order,
        provider=notification.provider,
        outcome=outcome,
        reason=reason,
        transaction_id=notification.transaction_id,
        payment_status=notification.payment_status,
        amount=notification.amount,
        currency=notification.currency,
        invoice=notification.invoice,
        provider_reference=notification.provider_reference,
    )


class _AlreadyProcessed(Exception):
    pass


def _claim(notification: PaymentNotification, order: Order, *, from_status: str, to_status: str, **changes) -> bool:
    """Move the order from one status to another exactly once for this transaction.

    Both the unique ProcessedTransaction row and the conditional UPDATE must succeed; whichever
    of two concurrent deliveries loses sees False and changes nothing.
    """
    try:
        with transaction.atomic():
            ProcessedTransaction.objects.create(
                provider=notification.provider,
                transaction_id=notification.transaction_id,
                payment_status=notification.payment_status,
                order=order,
            )
            moved = Order.objects.filter(pk=order.pk, status=from_status).update(
                status=to_status, updated_at=timezone.now(), **changes
            )
            if not moved:
                raise _AlreadyProcessed
    except (IntegrityError, _AlreadyProcessed):
        return False
    order.refresh_from_db()
    return True


def _complete(notification: PaymentNotification, order: Order | None) -> PaymentEvent:
    refusal = _completion_refusal(notification, order)
    if refusal:
        return _record(notification, order, Outcome.REFUSED, refusal)
    registry = RegistryPage.objects.select_for_update().get(pk=order.registry_id)
    claimed = _claim(
        notification,
        order,
        from_status=Order.Status.AWAITING_PAYMENT,
        to_status=Order.Status.PAID,
        transaction_id=notification.transaction_id,
        previous_package_id=registry.package_id,
        paid_at=timezone.now(),
    )
    if not claimed:
        return _record(notification, order, Outcome.DUPLICATE, "This payment was already processed.")
    registry_package_set(registry_id=registry.pk, package_id=order.package_id)
    _queue_receipt_email(order)
    return _record(notification, order, Outcome.UPGRADED, f"Paid {order.amount_display}: now on {order.package}.")


def _completion_refusal(notification: PaymentNotification, order: Order | None) -> str:
    if order is None:
        return f"No order has the invoice id {notification.invoice!r}."
    if order.registry_id is None:
        return "The order's registry no longer exists."
    if notification.registry_reference != registry_reference(order.registry):
        return (
            f"The payment names {notification.registry_reference!r}, but invoice {order.invoice} belongs to "
            f"{registry_reference(order.registry)!r}."
        )
    if notification.currency != order.currency:
        return f"Paid in {notification.currency or 'no currency'}, but the order is in {order.currency}."
    if notification.amount != order.amount:
        paid = format_money(notification.amount, notification.currency) if notification.amount is not None else "?"
        return f"Paid {paid}, but the order is for {order.amount_display}."
    if order.transaction_id == notification.transaction_id:
        return ""  # A repeat of the payment that completed this order: _claim records the duplicate.
    if not order.is_awaiting_payment:
        return f"The order is {order.get_status_display().lower()}, not awaiting payment: refund this payment."
    current = order.registry.effective_package
    if current is not None and not order.package.is_upgrade_from(current):
        return f"The registry is already on {current}, which includes {order.package}: refund this payment."
    return ""


def _pending(notification: PaymentNotification, order: Order | None) -> PaymentEvent:
    reason = f"Payment pending ({notification.detail or 'no reason given'}); the upgrade waits for completion."
    return _record(notification, order, Outcome.PENDING, reason)


def _reverse(notification: PaymentNotification, order: Order | None) -> PaymentEvent:
    if not notification.parent_transaction_id:
        return _record(notification, order, Outcome.REFUSED, "A refund or reversal must name the payment it undoes.")
    if order is None or order.transaction_id != notification.parent_transaction_id:
        return _record(
            notification, order, Outcome.REFUSED, f"No order was paid by {notification.parent_transaction_id}."
        )
    if order.registry_id is None:
        return _record(notification, order, Outcome.RECORDED, "The order's registry no longer exists.")
    taken_back = -(notification.amount or Decimal("0"))
    if taken_back < order.amount:
        return _record(
            notification,
            order,
            Outcome.RECORDED,
            f"Partial refund of {format_money(taken_back, order.currency)}: the package stays as it is.",
        )
    registry = RegistryPage.objects.select_for_update().get(pk=order.registry_id)
    to_status = Order.Status.REVERSED if notification.kind == NotificationKind.REVERSED else Order.Status.REFUNDED
    if not _claim(notification, order, from_status=Order.Status.PAID, to_status=to_status):
        return _record(
            notification, order, Outcome.DUPLICATE, f"The order is {order.get_status_display().lower()} already."
        )
    if registry.package_id != order.package_id:
        return _record(
            notification,
            order,
            Outcome.RECORDED,
            "The registry has moved to another package since; its package is left as it is.",
        )
    registry_package_set(registry_id=registry.pk, package_id=order.previous_package_id)
    previous = order.previous_package or Package.default()
    _queue_downgrade_email(
        order, notification=notification, outcome=Order.Status(to_status).label.lower(), now_on=previous
    )
    return _record(notification, order, Outcome.DOWNGRADED, f"{order.get_status_display()}: back on {previous}.")


def _restore(notification: PaymentNotification, order: Order | None) -> PaymentEvent:
    if order is None or order.transaction_id != notification.parent_transaction_id:
        return _record(
            notification, order, Outcome.REFUSED, f"No order was paid by {notification.parent_transaction_id!r}."
        )
    if order.registry_id is None:
        return _record(notification, order, Outcome.RECORDED, "The order's registry no longer exists.")
    registry = RegistryPage.objects.select_for_update().get(pk=order.registry_id)
    if not _claim(notification, order, from_status=Order.Status.REVERSED, to_status=Order.Status.PAID):
        return _record(notification, order, Outcome.DUPLICATE, "The order is not reversed; nothing to restore.")
    registry_package_set(registry_id=registry.pk, package_id=order.package_id)
    return _record(notification, order, Outcome.RESTORED, f"Reversal cancelled: back on {order.package}.")


def _queue_receipt_email(order: Order) -> None:
    """The receipt goes into the outbox in this same transaction, once per PayPal transaction."""
    for address in couple_recipients(order.registry):
        email_payment_receipt(
            registry=order.registry,
            to_email=address,
            payment_reference=order.transaction_id or order.invoice,
            description=f"WhisperGifts {order.package} package (invoice {order.invoice})",
            amount=order.amount,
            currency=order.currency,
            paid_at=timezone.now(),
        )


def _queue_downgrade_email(order: Order, *, notification: PaymentNotification, outcome: str, now_on) -> None:
    """Tell the couple, through the outbox in this same transaction, once per refund or reversal."""
    for address in couple_recipients(order.registry):
        email_package_refunded(
            registry=order.registry,
            to_email=address,
            payment_reference=notification.transaction_id,
            outcome=outcome,
            description=f"the {order.package} package (invoice {order.invoice})",
            amount=order.amount,
            currency=order.currency,
            package_now=str(now_on),
            plan_url=reverse("couple_plan"),
        )
