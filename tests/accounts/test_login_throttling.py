"""Log-ins to the admin (couples and staff) are paused after too many wrong passwords, never for good."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from accounts.factories import UserFactory

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery-staple"


def log_in(client, email, password, *, address="203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def message(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").select_one("main, body").get_text().split())


def fail_until_paused(client, email, *, address="203.0.113.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, email, "wrong-guess", address=address)


@pytest.mark.django_db
class TestWrongPasswordsForOneAccount:
    def test_a_few_typos_still_let_the_owner_in(self, client):
        user = UserFactory(email="ada@example.com")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, user.email, "typo").status_code == 200
        assert log_in(client, user.email, PASSWORD).status_code == 302

    def test_too_many_pause_log_ins_to_that_account_with_a_message_that_says_why_and_for_how_long(self, client):
        user = UserFactory(email="ada@example.com")
        fail_until_paused(client, user.email)

        paused = log_in(client, user.email, PASSWORD)

        assert paused.status_code == 429
        assert paused["Retry-After"] == str(15 * 60)
        text = message(paused)
        assert "too many wrong passwords for ada@example.com" in text
        assert "paused log-ins for 15 minutes" in text
        assert "choose a new one" in text
        assert "_auth_user_id" not in client.session

    def test_the_pause_is_for_the_account_whatever_the_address_or_the_case_it_is_typed_in(self, client):
        user = UserFactory(email="ada@example.com")
        fail_until_paused(client, "  ADA@Example.com ")
        assert log_in(client, user.email, PASSWORD, address="198.51.100.20").status_code == 429

    def test_the_pause_ends_by_itself(self, client):
        user = UserFactory(email="ada@example.com")
        fail_until_paused(client, user.email)
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            assert log_in(client, user.email, PASSWORD).status_code == 302

    def test_an_account_that_does_not_exist_is_paused_the_same_way(self, client):
        fail_until_paused(client, "nobody@example.com")
        paused = log_in(client, "nobody@example.com", "anything")
        assert paused.status_code == 429
        assert "too many wrong passwords for nobody@example.com" in message(paused)

    def test_other_accounts_keep_logging_in(self, client):
        UserFactory(email="ada@example.com")
        grace = UserFactory(email="grace@example.com")
        fail_until_paused(client, "ada@example.com")
        assert log_in(client, grace.email, PASSWORD, address="198.51.100.20").status_code == 302


@pytest.mark.django_db
class TestWrongPasswordsFromOneAddress:
    def test_guessing_many_accounts_from_one_address_pauses_that_address_only(self, client):
        grace = UserFactory(email="grace@example.com")
        for number in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, f"guess{number}@example.com", "wrong", address="203.0.113.7")

        assert log_in(client, grace.email, PASSWORD, address="203.0.113.7").status_code == 429
        assert log_in(client, grace.email, PASSWORD, address="198.51.100.20").status_code == 302


@pytest.mark.django_db
class TestStaffLiftAPause:
    def test_a_superuser_sees_the_pause_and_lifting_it_lets_the_owner_in_at_once(self, client):
        user = UserFactory(email="ada@example.com")
        fail_until_paused(client, user.email)
        admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
        staff = type(client)()
        staff.force_login(admin)

        listing = staff.get("/admin/login_pauses/")
        assert listing.status_code == 200
        assert "ada@example.com" in listing.content.decode()
        attempt = AccessAttempt.objects.get(username="ada@example.com")
        lifted = staff.post(f"/admin/login_pauses/delete/{attempt.pk}/")
        assert lifted.status_code == 302

        assert log_in(client, user.email, PASSWORD).status_code == 302

    def test_staff_who_are_not_superusers_cannot_see_or_lift_pauses(self, client):
        UserFactory(email="ada@example.com")
        fail_until_paused(client, "ada@example.com")
        attempt = AccessAttempt.objects.get(username="ada@example.com")
        editor = UserFactory(email="editor@example.com", is_staff=True)
        staff = type(client)()
        staff.force_login(editor)

        assert staff.get("/admin/login_pauses/").status_code in {302, 403}
        staff.post(f"/admin/login_pauses/delete/{attempt.pk}/")
        assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
