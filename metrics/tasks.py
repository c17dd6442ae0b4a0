from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from notifications.tasks import retry_delay

from .mixpanel import TransientExportError
from .services import metrics_email_daily, metrics_export_day


@shared_task(ignore_result=True)
def send_daily_metrics() -> None:
    """Yesterday's figures. Beat runs this every few minutes; the outbox sends each day's email once."""
    metrics_email_daily(day=timezone.localdate() - timedelta(days=1))


@shared_task(bind=True, max_retries=6, acks_late=True, ignore_result=True)
def export_daily_metrics(self, day: str | None = None) -> None:
    """Yesterday's figures to Mixpanel, when MIXPANEL_TOKEN is set; beat runs this every few minutes.

    Retried like an email (30 s, 1 min, 2 min... with jitter) for the same day, even past midnight; out of
    retries, the next beat tries again, since the day isn't marked sent.
    """
    day = day or (timezone.localdate() - timedelta(days=1)).isoformat()
    try:
        metrics_export_day(day=date.fromisoformat(day))
    except TransientExportError as error:
        if self.request.retries < self.max_retries:
            countdown = retry_delay(self.request.retries).total_seconds()
            raise self.retry(args=[day], countdown=countdown, exc=error) from error
