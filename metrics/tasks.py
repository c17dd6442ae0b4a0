from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .services import metrics_email_daily


@shared_task(ignore_result=True)
def send_daily_metrics() -> None:
    """Yesterday's figures. Beat runs this every few minutes; the outbox sends each day's email once."""
    metrics_email_daily(day=timezone.localdate() - timedelta(days=1))
