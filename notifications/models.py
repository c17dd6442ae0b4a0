"""Emails as rows: written with the event that causes them, sent by a task, never lost."""

from django.db import models
from django.db.models import Q

from .emails import email_kind_choices


class OutboxEmail(models.Model):
    """One email to one recipient. Its `key` names the (event, recipient, kind), so queueing twice is a no-op.

    What the email says is kept as `context` (JSON) and rendered when it is sent, so a retry sends
    the same words; a link that works without logging in is kept as a reference and built only then
    (`notifications.links`), so neither the context nor the key ever holds a token.
    `next_attempt_at` tells the sweeper when an unsent row may be queued again.
    """

    # Nothing in the admin asks what uses a reservation, and indexing every email would add queries to each one.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Refused: not sent"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=email_kind_choices)
    to_email = models.EmailField(max_length=254)
    context = models.JSONField(default=dict)
    # The reservation an email is about, for the registry's own queries (its emails, erasure): a reference by
    # name, so this app imports none of the apps that write emails.
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

    class Meta:
        verbose_name_plural = "undeliverable addresses"

    def __str__(self):
        return f"{self.email}: {self.get_reason_display()}"
