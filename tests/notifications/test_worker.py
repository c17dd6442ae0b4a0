"""End to end with a real Celery worker on the local Redis: a reservation's emails arrive, even after an outage."""

import email
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import outbox_requeue_due
from registries.models import Reservation
from tests.conftest import skip_or_fail_in_ci
from whispergifts.celery_app import app as celery_app

CLOSED_PORT = 8299  # in our loopback range, and nothing listens there
WORKER_TIMEOUT = 30

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail_in_ci("needs Redis (set REDIS_URL)")
    return url


@contextmanager
def broker(url: str):
    """Publish to `url` from this process (tests otherwise run tasks in-process)."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        celery_app._pool = celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(postgres, redis_url, tmp_path):
    """A `celery worker` process reading the test database; returns the folder its emails land in."""
    mail_dir = tmp_path / "sent"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with broker(redis_url):
        celery_app.control.purge()  # nothing left over from an earlier run
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "celery", "-A", "whispergifts", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(lambda: "ready." in log_path.read_text(), what="the worker to start", log=log_path)
        yield mail_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(condition, *, what: str, log: Path | None = None, timeout: float = WORKER_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    details = log.read_text()[-3000:] if log else ""
    pytest.fail(f"Timed out waiting for {what}.\n{details}")


def sent_emails(mail_dir: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        # The file backend appends each message followed by a line of dashes.
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(email.message_from_bytes(raw.lstrip(), policy=policy.default))
    return messages


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def reserve_through_the_form(client, couple, gift):
    form = {"name": "Jo Bloggs", "email": "jo@guests.localhost", "quantity": 1, "idempotency_key": str(uuid.uuid4())}
    return client.post(f"{couple.registry.url}reserve/{gift.block_id}/", form)


def test_a_real_worker_delivers_a_reservations_emails(client, couple, teapot, worker):
    with broker(os.environ["REDIS_URL"]):
        response = reserve_through_the_form(client, couple, teapot)

    assert response.status_code == 302
    _wait_for(lambda: len(sent_emails(worker)) == 3, what="three emails")
    reservation = Reservation.objects.get()
    to_guest = next(m for m in sent_emails(worker) if m["To"] == "jo@guests.localhost")
    assert to_guest["Subject"] == "You reserved Teapot for Alex & Sam"
    assert f"/reservations/{reservation.manage_token}/" in text_of(to_guest)
    assert to_guest.get_body(preferencelist=("html",)) is not None
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 3


def test_with_the_broker_down_a_reservation_succeeds_and_the_sweeper_sends_its_emails(client, couple, teapot, worker):
    started = time.monotonic()
    with broker(f"redis://127.0.0.1:{CLOSED_PORT}/0"):
        response = reserve_through_the_form(client, couple, teapot)
    took = time.monotonic() - started

    assert response.status_code == 302
    assert response.url.startswith("/reservations/")
    assert Reservation.objects.filter(status=Reservation.Status.RESERVED).count() == 1
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count() == 3
    assert took < 10, f"the guest waited {took:.1f} s for a broker that is down"
    assert sent_emails(worker) == []

    with broker(os.environ["REDIS_URL"]):
        assert outbox_requeue_due(now=timezone.now() + timedelta(minutes=3)) == 3

    _wait_for(lambda: len(sent_emails(worker)) == 3, what="the swept emails")
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 3
    assert {m["To"] for m in sent_emails(worker)} == {
        "jo@guests.localhost",
        "alex@couple.localhost",
        "sam@couple.localhost",
    }
