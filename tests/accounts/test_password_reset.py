"""Forgotten password: nobody can flood an address with reset emails, or learn whether it has an account."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.views import (
    PASSWORD_RESET_CLIENT_WINDOW_SECONDS,
    PASSWORD_RESET_EMAILS_PER_ADDRESS,
    PASSWORD_RESET_REQUESTS_PER_CLIENT,
)

pytestmark = pytest.mark.django_db


def ask_for_reset(client, email: str, *, client_address: str = "198.51.100.7"):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": email}, REMOTE_ADDR=client_address)


@pytest.fixture
def couple_user():
    return UserFactory(email="robin@example.com")


def test_a_flood_of_resets_for_one_address_sends_only_a_few_emails(
    client, couple_user, django_capture_on_commit_callbacks
):
    # Each from another network and a few seconds apart, so each reset link would be a new one.
    with time_machine.travel(datetime(2031, 5, 1, 9, tzinfo=UTC), tick=False) as clock:
        for attempt in range(8):
            clock.shift(2)
            with django_capture_on_commit_callbacks(execute=True):
                response = ask_for_reset(client, "robin@example.com", client_address=f"203.0.113.{attempt}")
            assert response.status_code == 302
            assert response["Location"] == reverse("wagtailadmin_password_reset_done")

    assert len(mail.outbox) == PASSWORD_RESET_EMAILS_PER_ADDRESS
    assert {message.to[0] for message in mail.outbox} == {"robin@example.com"}


def test_the_limit_per_address_ignores_the_case_of_the_address(
    client, couple_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2031, 5, 1, 9, tzinfo=UTC), tick=False) as clock:
        for attempt, spelling in enumerate(["robin@example.com", "ROBIN@example.com", "Robin@Example.com"] * 2):
            clock.shift(2)
            with django_capture_on_commit_callbacks(execute=True):
                ask_for_reset(client, spelling, client_address=f"203.0.113.{attempt}")

    assert len(mail.outbox) == PASSWORD_RESET_EMAILS_PER_ADDRESS


def test_the_answer_never_says_whether_an_address_has_an_account(client, couple_user):
    answers = {}
    for email in ("robin@example.com", "nobody@example.com"):
        for attempt in range(PASSWORD_RESET_EMAILS_PER_ADDRESS + 2):  # within the limit and past it
            response = ask_for_reset(client, email, client_address=f"203.0.113.{attempt}")
            answers.setdefault(email, set()).add((response.status_code, response["Location"]))
    assert answers["robin@example.com"] == answers["nobody@example.com"] == {(302, "/admin/password_reset/done/")}


def test_one_client_asking_too_often_is_told_to_wait_and_when(client, couple_user):
    for number in range(PASSWORD_RESET_REQUESTS_PER_CLIENT):
        assert ask_for_reset(client, f"someone{number}@example.com").status_code == 302

    refused = ask_for_reset(client, "robin@example.com")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(PASSWORD_RESET_CLIENT_WINDOW_SECONDS)
    page = refused.content.decode()
    assert "Too many password reset requests" in page
    assert f"try again in {PASSWORD_RESET_CLIENT_WINDOW_SECONDS // 60} minutes" in page
    assert ask_for_reset(client, "robin@example.com", client_address="198.51.100.8").status_code == 302


def test_resets_still_arrive_when_the_cache_is_down(client, couple_user, settings, django_capture_on_commit_callbacks):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_reset(client, "robin@example.com")
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["robin@example.com"]]
