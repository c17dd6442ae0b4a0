"""Postmark's delivery events, as anymail's tracking webhook hands them to us."""

from anymail.signals import tracking
from django.dispatch import receiver

from .services import delivery_event_record


@receiver(tracking, dispatch_uid="notifications.delivery_event")
def record_delivery_event(sender, event, esp_name, **kwargs):
    delivery_event_record(event=event)
