"""Either partner invites the other by email to share the registry: a signed link that works once, for a week."""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory, make_couple
from accounts.models import PartnerInvitation, User

pytestmark = pytest.mark.django_db

PARTNER_PASSWORD = "meadow-compass-ribbon-77"


def invite(client, email="kim@example.com", capture=None):
    with capture(execute=True):
        return client.post(reverse("couple_account:index"), {"email": email})


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def accept_link(message) -> str:
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def invited(couple_client, django_capture_on_commit_callbacks):
    invite(couple_client, capture=django_capture_on_commit_callbacks)
    couple_client.logout()
    [message] = mail.outbox
    return accept_link(message)


def test_the_invitation_email_names_the_inviter_and_the_registry(couple_client, django_capture_on_commit_callbacks):
    response = invite(couple_client, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["kim@example.com"]
    assert "Robin invited you" in message.subject
    assert "Robin & Kim" in message.body
    assert "/invitations/" in message.body


def test_a_new_partner_sets_a_password_and_lands_in_the_shared_editor(client, couple, invited):
    page = client.get(invited)
    assert "You'll log in as" in text(page)
    response = client.post(invited, {"first_name": "Kim", "password": PARTNER_PASSWORD})

    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[couple.registry.pk])
    kim = User.objects.get(email="kim@example.com")
    assert kim.check_password(PARTNER_PASSWORD) and kim.first_name == "Kim"
    assert couple.group in kim.groups.all()
    assert couple.registry.permissions_for_user(kim).can_publish()
    assert client.get(response["Location"]).status_code == 200


def test_the_link_works_only_once(client, couple, invited):
    client.post(invited, {"first_name": "Kim", "password": PARTNER_PASSWORD})
    client.logout()
    again = client.get(invited)
    assert again.status_code == 410
    assert "already been used" in text(again)


def test_the_link_expires_after_a_week(client, couple, invited):
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.post(invited, {"first_name": "Kim", "password": PARTNER_PASSWORD})
    assert response.status_code == 410
    assert "expired" in text(response)
    assert not User.objects.filter(email="kim@example.com").exists()


def test_a_tampered_link_is_refused(client, couple, invited):
    response = client.get(invited.replace("/invitations/", "/invitations/x"))
    assert response.status_code == 410
    assert "isn't valid" in text(response)


def test_a_cancelled_invitation_link_no_longer_works(couple_client, couple, django_capture_on_commit_callbacks):
    invite(couple_client, capture=django_capture_on_commit_callbacks)
    invitation = PartnerInvitation.objects.get()
    link = accept_link(mail.outbox[0])
    couple_client.post(reverse("couple_account:invitation_cancel", args=[invitation.pk]))
    couple_client.logout()
    assert "cancelled" in text(couple_client.get(link))


def test_a_weak_password_is_refused_for_the_partner_too(client, couple, invited):
    response = client.post(invited, {"first_name": "Kim", "password": "password1"})
    assert response.status_code == 200
    assert "too common" in text(response)
    assert not User.objects.filter(email="kim@example.com").exists()


def test_a_partner_with_an_account_logs_in_with_their_password_to_join(client, couple, invited):
    kim = UserFactory(email="kim@example.com")
    assert "already have an account" in text(client.get(invited))

    wrong = client.post(invited, {"password": "not-it"})
    assert "isn't right" in text(wrong)
    assert couple.group not in kim.groups.all()

    client.post(invited, {"password": "correct-horse-battery-staple"})
    assert couple.group in kim.groups.all()


def test_someone_with_their_own_registry_cannot_be_invited(couple_client, django_capture_on_commit_callbacks):
    make_couple("Kim", "Lee", email="kim@example.com")
    response = invite(couple_client, capture=django_capture_on_commit_callbacks)
    assert "already has a registry of their own" in text(response)
    assert not mail.outbox


def test_a_registry_is_shared_by_two_people_at_most(client, couple, invited):
    client.post(invited, {"first_name": "Kim", "password": PARTNER_PASSWORD})
    page = client.get(reverse("couple_account:index"))
    assert "Send invitation" not in text(page)
    refused = client.post(reverse("couple_account:index"), {"email": "third@example.com"})
    assert "already shared by two people" in text(refused)


def test_the_account_page_lists_pending_invitations(couple_client, django_capture_on_commit_callbacks):
    invite(couple_client, capture=django_capture_on_commit_callbacks)
    soup = BeautifulSoup(couple_client.get(reverse("couple_account:index")).content, "html.parser")
    assert "kim@example.com" in soup.get_text()
    assert soup.find("button", string=re.compile("Cancel invitation"))
