"""Errors reach Sentry once each, without guests' email addresses or reservation tokens."""

import json
import uuid

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from ops.sentry import scrub_text, sentry_init
from registries.factories import RegistryPageFactory, gift, registry_index
from registries.models import Gift
from registries.services import reservation_create
from whispergifts.celery_app import app as celery_app

GUEST_EMAIL = "jamie.guest+wedding@example.org"


class InMemoryTransport(Transport):
    """Sentry's transport seam: keeps envelopes instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    @property
    def events(self) -> list[dict]:
        return [envelope.get_event() for envelope in self.envelopes if envelope.get_event() is not None]


@pytest.fixture
def sentry_events():
    transport = InMemoryTransport()
    sentry_init(
        dsn="http://public@127.0.0.1:9/1", environment="test", release="whispergifts@test", transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.fixture
def teapot(db):
    registry_index()
    registry = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot", quantity_wanted=2)])
    return Gift.objects.get(registry=registry)


def reservation_token(teapot: Gift) -> str:
    result = reservation_create(
        gift=teapot, name="Jamie", email=GUEST_EMAIL, quantity=1, message="", idempotency_key=uuid.uuid4()
    )
    return result.reservation.manage_token


def event_text(event: dict) -> str:
    return json.dumps(event, default=str)


def test_a_view_exception_while_reserving_sends_one_event_without_the_guests_email(
    client, teapot, sentry_events, monkeypatch
):
    def broken_service(**details):
        raise RuntimeError(f"could not reserve for {details['email']}")

    monkeypatch.setattr("registries.views.reservation_create", broken_service)
    client.raise_request_exception = False

    response = client.post(
        f"/registries/alex-and-sam/reserve/{teapot.block_id}/",
        {"name": "Jamie", "email": GUEST_EMAIL, "quantity": 1, "idempotency_key": str(uuid.uuid4())},
    )

    assert response.status_code == 500
    [event] = sentry_events.events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "test"
    assert event["release"] == "whispergifts@test"
    assert event["request"]["data"]["email"] == "[Filtered]"
    assert event["request"]["data"]["name"] == "Jamie"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert "jamie.guest" not in event_text(event)
    assert "example.org" not in event_text(event)
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]
    assert "user" not in event or "ip_address" not in event["user"]


def test_a_view_exception_on_a_reservation_link_sends_one_event_without_the_token(
    client, teapot, sentry_events, monkeypatch
):
    token = reservation_token(teapot)

    def broken_context(reservation):
        raise RuntimeError(f"cannot show {reservation.manage_token} to {reservation.email}")

    monkeypatch.setattr("registries.views._manage_context", broken_context)
    client.raise_request_exception = False

    response = client.get(f"/reservations/{token}/")

    assert response.status_code == 500
    [event] = sentry_events.events
    assert token not in event_text(event)
    assert "jamie.guest" not in event_text(event)
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]


@celery_app.task(name="tests.ops.send_reservation_email")
def send_reservation_email(reservation_id: int, email: str, token: str):
    raise ConnectionError(f"Postmark refused the message to {email} about /reservations/{token}/")


def test_a_failing_celery_task_sends_one_event_without_the_email_or_token(teapot, sentry_events):
    token = reservation_token(teapot)

    result = send_reservation_email.apply(args=(1, GUEST_EMAIL, token))

    assert result.failed()
    [event] = sentry_events.events
    assert event["exception"]["values"][-1]["type"] == "ConnectionError"
    assert event["exception"]["values"][-1]["mechanism"]["type"] == "celery"
    assert event["extra"]["celery-job"]["task_name"] == "tests.ops.send_reservation_email"
    assert token not in event_text(event)
    assert "jamie.guest" not in event_text(event)


def test_nothing_is_sent_when_sentry_is_off(client, db, monkeypatch):
    monkeypatch.setattr("ops.views._database_ok", lambda: 1 / 0)
    client.raise_request_exception = False

    assert client.get("/healthz").status_code == 500
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("mail to pat.o'neil+x@mail.example.co.uk now", "mail to [Filtered] now"),
        ("/reservations/abc-DEF_123/thanks/", "/reservations/[Filtered]/thanks/"),
        ("GET /invitations/eyJpZCI6M30:1s2:abc/ failed", "GET /invitations/[Filtered]/ failed"),
        ("/emails/reservation/release/eJyrVspM:1tX:q_0/", "/emails/reservation/release/[Filtered]/"),
        (
            "/emails/registry/stop-reservation-emails/eJyr:1tX:q0/",
            "/emails/registry/stop-reservation-emails/[Filtered]/",
        ),
        ("/admin/password_reset/confirm/MQ/cx4v2a-0f1e2d3c4b5a6978/", "/admin/password_reset/confirm/MQ/[Filtered]/"),
        ("/account/confirm-email/eyJ1IjozfQ:1tX:abc/", "/account/confirm-email/[Filtered]/"),
        ("token Yq3kM0dQk1vP3mX9sJt2LrA7wBcD5eF6gH8iJ0kL1mN is secret", "token [Filtered] is secret"),
        ("registries.services.reservation_create failed", "registries.services.reservation_create failed"),
        ("block 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "block 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
    ],
)
def test_scrubbing_removes_emails_and_tokens_and_keeps_the_rest(text, scrubbed):
    assert scrub_text(text) == scrubbed
