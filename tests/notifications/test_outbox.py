"""The outbox: every email is sent once, transient failures are retried, refusals are recorded."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import outbox_requeue_due
from notifications.tasks import retry_delay, send_outbox_email

from .fake_postmark import (
    INACTIVE_RECIPIENT,
    INVALID_TO,
    RATE_LIMITED,
    SERVER_ERROR,
    SERVER_TOKEN,
    UNAVAILABLE,
    FakePostmark,
)


@pytest.fixture
def postmark(settings):
    """Anymail's real Postmark backend, talking to a fake Postmark on loopback."""
    with FakePostmark() as fake:
        settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
        settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": SERVER_TOKEN, "POSTMARK_API_URL": fake.url}
        yield fake


def pending_email(**overrides) -> OutboxEmail:
    fields = {
        "key": "user:1:password_reset:abc",
        "kind": "password_reset",
        "to_email": "jo@guests.localhost",
        "context": {"first_name": "Jo", "email": "jo@guests.localhost", "reset_url": "http://testserver/reset/"},
        "next_attempt_at": timezone.now(),
    }
    fields.update(overrides)
    return OutboxEmail.objects.create(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize("failure", [SERVER_ERROR, UNAVAILABLE, RATE_LIMITED], ids=["500", "503", "429"])
def test_a_send_that_fails_transiently_is_retried_and_sent_once(postmark, failure):
    row = pending_email()
    postmark.script = [failure, failure]

    send_outbox_email.delay(row.pk)

    row.refresh_from_db()
    assert [request["status"] for request in postmark.requests] == [failure[0], failure[0], 200]
    assert len(postmark.delivered) == 1
    assert row.status == OutboxEmail.Status.SENT
    assert row.attempts == 3
    assert row.esp_message_id == "msg-3"
    assert postmark.delivered[0]["payload"]["Subject"] == "Reset your WhisperGifts password"


@pytest.mark.django_db
@pytest.mark.parametrize("refusal", [INACTIVE_RECIPIENT, INVALID_TO], ids=["inactive", "invalid-address"])
def test_a_422_refusal_is_recorded_on_the_row_and_not_retried(postmark, refusal):
    row = pending_email()
    postmark.script = [refusal]

    send_outbox_email.delay(row.pk)
    outbox_requeue_due(now=timezone.now() + timedelta(hours=1))

    row.refresh_from_db()
    assert len(postmark.requests) == 1
    assert row.status == OutboxEmail.Status.FAILED
    assert row.attempts == 1
    assert "jo@guests.localhost" in row.last_error


@pytest.mark.django_db
def test_a_task_run_twice_sends_once(postmark):
    row = pending_email()

    send_outbox_email.delay(row.pk)
    send_outbox_email.delay(row.pk)

    assert len(postmark.requests) == 1
    row.refresh_from_db()
    assert row.attempts == 1 and row.status == OutboxEmail.Status.SENT


@pytest.mark.django_db
def test_an_email_another_worker_is_sending_is_left_alone(postmark):
    row = pending_email(claimed_until=timezone.now() + timedelta(minutes=1))

    send_outbox_email.delay(row.pk)

    assert postmark.requests == []


@pytest.mark.django_db
def test_when_postmark_is_unreachable_the_email_waits_and_the_sweeper_sends_it_later(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": SERVER_TOKEN, "POSTMARK_API_URL": "http://127.0.0.1:9/"}
    row = pending_email()

    send_outbox_email.delay(row.pk)  # connection refused, every quick retry too

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.PENDING
    assert row.attempts == 7 and "Error posting" in row.last_error
    assert row.next_attempt_at > timezone.now()

    with FakePostmark() as postmark, time_machine.travel(timezone.now() + timedelta(hours=1)):
        settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": SERVER_TOKEN, "POSTMARK_API_URL": postmark.url}
        assert outbox_requeue_due() == 1
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert len(postmark.delivered) == 1


@pytest.mark.django_db
def test_the_sweeper_resends_an_email_whose_worker_died_mid_send(postmark):
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        row = pending_email(claimed_until=timezone.now() + timedelta(minutes=5), attempts=1)

    assert outbox_requeue_due() == 1

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert len(postmark.delivered) == 1


@pytest.mark.django_db
def test_the_sweeper_leaves_fresh_and_finished_rows_alone(postmark):
    pending_email(key="fresh")
    pending_email(key="sent", status=OutboxEmail.Status.SENT, next_attempt_at=timezone.now() - timedelta(hours=1))
    pending_email(key="refused", status=OutboxEmail.Status.FAILED, next_attempt_at=timezone.now() - timedelta(hours=1))

    assert outbox_requeue_due() == 0
    assert postmark.requests == []


def test_retries_back_off_exponentially_with_jitter_up_to_half_an_hour():
    for retries, ceiling in [(0, 30), (1, 60), (2, 120), (5, 960), (6, 1800), (12, 1800)]:
        delays = {retry_delay(retries).total_seconds() for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jitter: workers that failed together don't retry together
