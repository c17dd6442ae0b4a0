"""Celery tasks: thin wrappers that take ids, call services, and own their retry policy."""

import random
from datetime import timedelta

from celery import shared_task

from . import services

RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 30 * 60


def retry_delay(retries: int) -> timedelta:
    """Exponential backoff with jitter: 30 s, 1 min, 2 min... capped at 30 min, each 50-100 % of that."""
    ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2**retries)
    return timedelta(seconds=ceiling * random.uniform(0.5, 1.0))  # noqa: S311 (jitter, not security)


@shared_task(bind=True, max_retries=6, acks_late=True, ignore_result=True)
def send_outbox_email(self, outbox_id: int) -> None:
    delay = retry_delay(self.request.retries)
    try:
        services.outbox_send(outbox_id=outbox_id, retry_in=delay)
    except services.SendDeferred as deferred:
        if self.request.retries < self.max_retries:
            raise self.retry(countdown=delay.total_seconds(), exc=deferred) from deferred
        # Out of quick retries: the row keeps its next_attempt_at and the sweeper tries later.


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    return services.outbox_requeue_due()
