"""Emails as rows: written with the event that causes them, sent by a task, never lost."""

from django.db import models
from django.db.models import Q


class OutboxEmail(models.Model):
    """One email to one recipient. Its `key` names the (event, recipient, kind), so queueing twice is a no-op.

    What the email says is kept as `context` (JSON) and rendered when it is sent, so a retry sends
    the same words; a link that works without logging in is kept as a reference and built only then
    (`notifications.links`), so neither the context nor the key ever holds a token.
    `next_attempt_at` tells the sweeper when an unsent row may be queued again.
    """

    # Nothing in the admin asks what uses a reservation; indexing every email would cost each reservation 5 queries.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        RESERVATION_GUEST = "reservation_guest", "Reservation confirmation (guest)"
        RESERVATION_COUPLE = "reservation_couple", "A gift was reserved (couple)"
        RESERVATION_RELEASED = "reservation_released", "Reservation released (guest)"
        RESERVATION_REMINDER = "reservation_reminder", "Did you buy it? (guest)"
        COUPLE_DIGEST = "couple_digest", "Daily reservations digest (couple)"
        WELCOME = "welcome", "Welcome (couple)"
        EMAIL_CONFIRMATION = "email_confirmation", "Confirm an email address"
        EMAIL_CHANGED = "email_changed", "Email address changed (the old address)"
        ACCOUNT_EXISTS = "account_exists", "Sign-up with an address that has an account"
        PARTNER_INVITATION = "partner_invitation", "Partner invitation"
        PASSWORD_RESET = "password_reset", "Password reset"
        PAYMENT_RECEIPT = "payment_receipt", "Payment receipt"
        PACKAGE_REFUNDED = "package_refunded", "Payment refunded or reversed (couple)"
        DAILY_METRICS = "daily_metrics", "Daily metrics (staff)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Refused: not sent"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    to_email = models.EmailField(max_length=254)
    context = models.JSONField(default=dict)
    reservation = models.ForeignKey(
        "registries.Reservation", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField()
    esp_message_id = models.CharField(max_length=100, blank=True)
    delivery_status = models.CharField(max_length=20, blank=True, help_text="The latest event Postmark reported.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="outbox_pending_due"),
            models.Index(fields=["esp_message_id"], name="outbox_esp_message_id"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to_email} ({self.status})"


class CoupleEmailPreferences(models.Model):
    """How a couple wants to hear about their registry, and how guests are nudged to confirm.

    Kept apart from RegistryPage so that email settings don't become page revisions.
    """

    class ReservationEmails(models.TextChoices):
        EACH = "each", "An email for each reservation"
        DAILY = "daily", "One daily digest"
        OFF = "off", "No reservation emails"

    registry = models.OneToOneField(
        "registries.RegistryPage", on_delete=models.CASCADE, related_name="email_preferences"
    )
    reservation_emails = models.CharField(
        max_length=5, choices=ReservationEmails.choices, default=ReservationEmails.EACH
    )
    reminders_enabled = models.BooleanField(
        default=True, help_text="Remind guests who reserved a gift to tell us whether they bought it."
    )
    first_reminder_days = models.PositiveSmallIntegerField(default=7)
    second_reminder_days = models.PositiveSmallIntegerField(default=14)
    auto_release_days = models.PositiveSmallIntegerField(
        default=21, help_text="Days after reserving when an unconfirmed gift becomes available again."
    )

    class Meta:
        verbose_name_plural = "couple email preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_reminder_days__gte=1)
                & Q(second_reminder_days__gt=models.F("first_reminder_days"))
                & Q(auto_release_days__gt=models.F("second_reminder_days")),
                name="reminder_days_in_order",
            ),
        ]

    def __str__(self):
        return f"Email preferences of {self.registry}"


class ReminderOptOut(models.Model):
    """A guest asked us to stop reminding them about one reservation (List-Unsubscribe)."""

    reservation = models.OneToOneField(
        "registries.Reservation", on_delete=models.CASCADE, related_name="reminder_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"No reminders for reservation {self.reservation_id}"


class DeliveryEvent(models.Model):
    """A bounce or complaint Postmark told us about, once per event id."""

    event_id = models.CharField(max_length=100, unique=True)
    event_type = models.CharField(max_length=30)
    esp_type = models.CharField(max_length=40, blank=True, help_text="Postmark's own type, e.g. HardBounce.")
    recipient = models.EmailField(max_length=254)
    esp_message_id = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.esp_type or self.event_type} for {self.recipient}"


class UndeliverableAddress(models.Model):
    """An address that hard-bounced or complained: shown to the couple, and Postmark refuses it anyway."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "The address bounced"
        COMPLAINED = "complained", "Marked our email as spam"

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.email}: {self.get_reason_display()}"
