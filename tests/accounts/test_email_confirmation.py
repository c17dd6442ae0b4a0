"""A couple's address is confirmed by an emailed link before their registry can be published.

The draft can be edited at once; publishing (by any way: the editor, the admin API, a schedule) waits for
the link, which the editor explains and the account page sends again. A new address is used only once its
own link is followed.
"""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory, make_couple
from accounts.models import User
from accounts.services import partner_invite
from registries.factories import registry_index
from registries.models import RegistryPage
from tests.registries.editor import publish_in_editor

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-orchard-velvet-42"
CONFIRM_LINK = re.compile(r"https?://\S+/account/confirm-email/[^/\s]+/")


def sign_up(client, capture, email="robin@example.com"):
    registry_index()
    data = {
        "email": email,
        "password": PASSWORD,
        "partner_one": "Robin",
        "partner_two": "Kim",
        "wedding_date": "2031-06-01",
        "currency": "GBP",
        "slug": "robin-and-kim",
    }
    with capture(execute=True):
        assert client.post(reverse("signup"), data).status_code == 302
    return RegistryPage.objects.get(slug="robin-and-kim")


def link_sent_to(address: str) -> str:
    (*_, email) = [message for message in mail.outbox if message.to == [address]]
    return CONFIRM_LINK.search(email.body).group(0)


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def is_live(registry) -> bool:
    return RegistryPage.objects.get(pk=registry.pk).live


class TestANewCouple:
    def test_edits_their_draft_at_once_and_the_editor_says_why_publishing_waits(
        self, client, django_capture_on_commit_callbacks
    ):
        registry = sign_up(client, django_capture_on_commit_callbacks)

        editor = client.get(reverse("wagtailadmin_pages:edit", args=[registry.pk]))
        assert editor.status_code == 200
        assert "Publishing waits for your email address" in text(editor)
        assert "the email we sent to robin@example.com" in text(editor)

        refused = publish_in_editor(client, registry)
        assert refused.status_code == 200
        assert "Please confirm your email address before you publish" in text(refused)
        assert not is_live(registry)
        assert client.get("/registries/robin-and-kim/").status_code == 404  # nothing for guests to reserve

    def test_the_welcome_email_carries_the_link_and_following_it_lets_them_publish(
        self, client, django_capture_on_commit_callbacks
    ):
        registry = sign_up(client, django_capture_on_commit_callbacks)

        confirmed = client.get(link_sent_to("robin@example.com"), follow=True)

        assert confirmed.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[registry.pk])
        assert "Thank you: robin@example.com is confirmed." in text(confirmed)
        assert "Publishing waits" not in text(confirmed)
        assert publish_in_editor(client, registry).status_code == 302
        assert is_live(registry)

    def test_the_link_works_in_a_browser_that_is_not_logged_in(self, client, django_capture_on_commit_callbacks):
        sign_up(client, django_capture_on_commit_callbacks)
        link = link_sent_to("robin@example.com")
        client.logout()

        page = client.get(link)

        assert page.status_code == 200 and "robin@example.com is confirmed" in text(page)
        assert page["Referrer-Policy"] == "no-referrer"
        assert User.objects.get(email="robin@example.com").email_confirmed_at is not None

    def test_an_expired_or_altered_link_says_so_and_changes_nothing(self, client, django_capture_on_commit_callbacks):
        sign_up(client, django_capture_on_commit_callbacks)
        link = link_sent_to("robin@example.com")

        with time_machine.travel(timezone.now() + timedelta(days=4)):
            expired = client.get(link)
        altered = client.get(link[:-3] + "xx/")

        assert expired.status_code == altered.status_code == 410
        assert "This link has expired" in text(expired)
        assert "This link isn't valid" in text(altered)
        assert User.objects.get(email="robin@example.com").email_confirmed_at is None

    def test_the_account_page_sends_the_link_again_a_few_times_an_hour(
        self, client, django_capture_on_commit_callbacks
    ):
        sign_up(client, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        resend = reverse("couple_account:email_confirmation_resend")

        with django_capture_on_commit_callbacks(execute=True):
            answers = [text(client.post(resend, follow=True)) for _ in range(6)]

        assert all("We've sent a new link to robin@example.com" in answer for answer in answers[:5])
        assert "We've sent you several links this hour" in answers[5]
        assert len(mail.outbox) == 5
        assert client.get(link_sent_to("robin@example.com")).status_code == 302

    def test_the_invited_partner_confirms_the_address_by_accepting(self, client, django_capture_on_commit_callbacks):
        registry = sign_up(client, django_capture_on_commit_callbacks)
        robin = User.objects.get(email="robin@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            partner_invite(registry=registry, invited_by=robin, email="kim@example.com")
        (invitation,) = [message for message in mail.outbox if message.to == ["kim@example.com"]]
        accept = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)
        kim = type(client)()

        kim.post(accept, {"first_name": "Kim", "password": PASSWORD})

        assert User.objects.get(email="kim@example.com").email_confirmed_at is not None
        assert publish_in_editor(kim, registry).status_code == 302
        assert is_live(registry)


class TestEveryWayToPublishWaits:
    @pytest.fixture
    def unconfirmed(self):
        couple = make_couple("Robin", "Kim", email="robin@example.com", email_confirmed=False)
        page = couple.registry.get_latest_revision_as_object()
        return couple, page

    def test_staff_publishing_through_the_admin_api_get_a_400_that_says_why(self, client, unconfirmed):
        couple, page = unconfirmed
        page.save_revision(user=couple.user)
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))
        client.raise_request_exception = False

        response = client.post(
            f"/admin/api/main/pages/{couple.registry.pk}/action/publish/", content_type="application/json"
        )

        assert response.status_code == 400
        assert "Please confirm your email address before you publish" in response.json()["__all__"][0]
        assert not is_live(couple.registry)

    def test_a_scheduled_publish_is_not_made_and_the_history_says_why(self, client, unconfirmed):
        couple, page = unconfirmed
        an_hour_ago = timezone.now() - timedelta(hours=1)
        page.go_live_at = an_hour_ago
        page.save_revision(user=couple.user, approved_go_live_at=an_hour_ago)

        call_command("publish_scheduled", stdout=io.StringIO())

        assert not is_live(couple.registry)
        client.force_login(couple.user)
        history = text(client.get(f"/admin/pages/{couple.registry.pk}/history/"))
        assert "Scheduled publishing refused: Please confirm your email address" in history


class TestChangingTheAddress:
    @pytest.fixture
    def couple_client(self, client):
        couple = make_couple("Robin", "Kim", email="robin@example.com", password=PASSWORD)
        client.force_login(couple.user)
        return client

    def change(self, client, capture, new_email, password=PASSWORD):
        with capture(execute=True):
            return client.post(
                reverse("couple_account:email_change"), {"email": new_email, "password": password}, follow=True
            )

    def test_the_account_keeps_its_address_until_the_new_ones_link_is_followed(
        self, couple_client, django_capture_on_commit_callbacks
    ):
        answer = self.change(couple_client, django_capture_on_commit_callbacks, "Robin.New@Example.com")
        assert "Your account keeps robin@example.com until you follow it" in text(answer)
        assert User.objects.filter(email="robin@example.com").exists()
        assert "You asked to use robin.new@example.com instead" in text(
            couple_client.get(reverse("couple_account:index"))
        )

        with django_capture_on_commit_callbacks(execute=True):
            couple_client.get(link_sent_to("robin.new@example.com"))

        user = User.objects.get(email="robin.new@example.com")
        assert user.email_confirmed_at is not None
        (told,) = [message for message in mail.outbox if message.to == ["robin@example.com"]]
        assert "now uses robin.new@example.com" in told.body
        couple_client.logout()
        logged_in = couple_client.post("/admin/login/", {"username": "robin.new@example.com", "password": PASSWORD})
        assert logged_in.status_code == 302

    def test_a_wrong_password_is_said_next_to_the_field_and_nothing_is_sent(
        self, couple_client, django_capture_on_commit_callbacks
    ):
        answer = self.change(couple_client, django_capture_on_commit_callbacks, "new@example.com", password="nope")
        assert answer.status_code == 200 and "That password isn't right." in text(answer)
        assert not [message for message in mail.outbox if message.to == ["new@example.com"]]

    def test_only_the_latest_address_asked_for_can_be_confirmed(
        self, couple_client, django_capture_on_commit_callbacks
    ):
        self.change(couple_client, django_capture_on_commit_callbacks, "first@example.com")
        first_link = link_sent_to("first@example.com")
        self.change(couple_client, django_capture_on_commit_callbacks, "second@example.com")

        refused = couple_client.get(first_link)

        assert refused.status_code == 410 and "you've since replaced" in text(refused)
        assert User.objects.filter(email="robin@example.com").exists()

    def test_an_address_another_account_uses_is_never_taken_over(
        self, couple_client, django_capture_on_commit_callbacks
    ):
        UserFactory(email="taken@example.com")
        answer = self.change(couple_client, django_capture_on_commit_callbacks, "taken@example.com")
        assert "We've sent a link to taken@example.com" in text(answer)  # the asker learns nothing

        refused = couple_client.get(link_sent_to("taken@example.com"))

        assert refused.status_code == 410 and "Another account uses this address" in text(refused)
        assert User.objects.filter(email="robin@example.com").exists()
