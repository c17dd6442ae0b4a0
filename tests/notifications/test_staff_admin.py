"""Staff can read every email's fate and the bounced addresses in the admin; couples cannot, and nobody edits them."""

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from notifications.models import OutboxEmail, UndeliverableAddress


@pytest.fixture
def refused_email(db):
    return OutboxEmail.objects.create(
        key="reservation:1:reservation_guest:gone@example.com",
        kind=OutboxEmail.Kind.RESERVATION_GUEST,
        to_email="gone@example.com",
        status=OutboxEmail.Status.FAILED,
        attempts=1,
        last_error="All message recipients were rejected or invalid (gone@example.com: rejected)",
        next_attempt_at=timezone.now(),
    )


@pytest.mark.django_db
def test_staff_see_why_an_email_was_not_sent(client, refused_email):
    UndeliverableAddress.objects.create(email="gone@example.com", reason=UndeliverableAddress.Reason.BOUNCED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/admin/sent_emails/")
    inspect = client.get(f"/admin/sent_emails/inspect/{refused_email.pk}/")
    bounced = client.get("/admin/bounced_addresses/")

    assert listing.status_code == inspect.status_code == bounced.status_code == 200
    assert b"gone@example.com" in listing.content
    assert b"gone@example.com: rejected" in inspect.content
    assert b"The address bounced" in bounced.content
    assert client.get("/admin/sent_emails/new/").status_code == 302  # read-only: sent back to the dashboard
    assert client.get(f"/admin/sent_emails/edit/{refused_email.pk}/").status_code == 302


@pytest.mark.django_db
def test_couples_cannot_see_other_peoples_emails(client, couple, refused_email):
    client.force_login(couple.user)

    # The couples' lockdown answers 404 for any admin URL not meant for them.
    assert client.get("/admin/sent_emails/").status_code == 404
    assert client.get(f"/admin/sent_emails/inspect/{refused_email.pk}/").status_code == 404
    assert b"Sent emails" not in client.get("/admin/").content
