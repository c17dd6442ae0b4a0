"""Orders for package upgrades and the history of every payment notification about them.

Nothing here knows about PayPal: `payments/paypal.py` turns PayPal's messages into calls to
`payments/services.py`, which writes these rows.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.currency import CURRENCY_CHOICES, format_money


def new_invoice_id() -> str:
    return f"WG-{secrets.token_hex(8).upper()}"


class Order(models.Model):
    """A couple's request to move their registry to a package, priced when they asked."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded"
        REVERSED = "reversed", "Reversed (charged back)"
        GRANTED = "granted", "Granted by staff"

    registry = models.ForeignKey(
        "registries.RegistryPage", null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    package = models.ForeignKey("registries.Package", on_delete=models.PROTECT, related_name="orders")
    previous_package = models.ForeignKey(
        "registries.Package",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The registry's package before this order changed it; a refund returns to it.",
    )
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    invoice = models.CharField(max_length=40, unique=True, default=new_invoice_id, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    transaction_id = models.CharField(
        max_length=64, blank=True, help_text="The payment provider's id for the payment that completed this order."
    )
    reason = models.TextField(blank=True, help_text="Why staff granted this package by hand.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("grant_package", "Can grant a package to a registry by hand")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.invoice}: {self.package} for {self.registry or 'a deleted registry'}"

    @property
    def amount_display(self) -> str:
        return format_money(self.amount, self.currency)

    @property
    def package_before(self):
        """The package a refund returns the registry to."""
        from registries.models import Package

        return self.previous_package or Package.default()

    @property
    def is_awaiting_payment(self) -> bool:
        return self.status == self.Status.AWAITING_PAYMENT


class PaymentEvent(models.Model):
    """One thing that happened to an order: each notification received, and what we did with it.

    Refusals keep their reason here, so staff can see why a payment did not upgrade a registry.
    A notification naming no known order is kept too, with no order.
    """

    class Outcome(models.TextChoices):
        UPGRADED = "upgraded", "Upgraded"
        PENDING = "pending", "Payment pending"
        REFUSED = "refused", "Refused"
        DUPLICATE = "duplicate", "Duplicate, ignored"
        DOWNGRADED = "downgraded", "Refunded or reversed: package returned"
        RECORDED = "recorded", "Recorded, no change"
        RESTORED = "restored", "Reversal cancelled: upgrade restored"
        GRANTED = "granted", "Granted by staff"
        UNVERIFIED = "unverified", "Not verified by the provider"

    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    provider = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    payment_status = models.CharField(max_length=30, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    invoice = models.CharField(max_length=127, blank=True)
    provider_reference = models.CharField(
        max_length=60, blank=True, help_text="Where the provider's raw message is kept, e.g. 'PayPal IPN 12'."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.transaction_id or self.invoice}".strip()


class ProcessedTransaction(models.Model):
    """A provider transaction we have acted on. The unique constraint makes acting twice impossible.

    Keyed by transaction id *and* the status we acted on: PayPal keeps a payment's id when it moves
    from Pending to Completed, so the id alone would not tell those apart.
    """

    provider = models.CharField(max_length=20)
    transaction_id = models.CharField(max_length=64)
    payment_status = models.CharField(max_length=30)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="processed_transactions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id", "payment_status"], name="transaction_processed_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.transaction_id} ({self.payment_status})"
