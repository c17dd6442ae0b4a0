"""The emails about couples' payments: the receipt, and a refund or reversal notice."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from core.currency import format_day, format_money
from notifications.emails import register_email_kind
from notifications.links import absolute_url
from notifications.models import OutboxEmail
from notifications.services import outbox_add
from registries.emails import registry_email_context
from registries.models import RegistryPage

PAYMENT_RECEIPT = register_email_kind(
    "payment_receipt", label="Payment receipt", templates="payments/email/payment_receipt"
)
PACKAGE_REFUNDED = register_email_kind(
    "package_refunded", label="Payment refunded or reversed (couple)", templates="payments/email/package_refunded"
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
        kind=PAYMENT_RECEIPT,
        to_email=to_email,
        context={
            **registry_email_context(registry),
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
        kind=PACKAGE_REFUNDED,
        to_email=to_email,
        context={
            **registry_email_context(registry),
            "outcome": outcome,
            "description": description,
            "amount": format_money(amount, currency),
            "package_now": package_now,
            "plan_url": absolute_url(plan_url),
        },
    )
