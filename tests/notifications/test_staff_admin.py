"""Staff can read every email's fate and the bounced addresses in the admin; couples cannot, and nobody edits them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.factories import UserFactory
from notifications.models import OutboxEmail, UndeliverableAddress


@pytest.fixture
def refused_email(db):
    return OutboxEmail.objects.create(
        key="reservation:1:reservation_guest:gone@example.com",
        kind="reservation_guest",
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


def editor():
    """A member of staff who runs the public site: in the admin, but not a superuser."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.django_db
def test_staff_who_are_not_superusers_are_refused_sent_emails_and_bounced_addresses(client, refused_email):
    UndeliverableAddress.objects.create(email="gone@example.com", reason=UndeliverableAddress.Reason.BOUNCED)
    client.force_login(editor())

    for url in [
        "/admin/sent_emails/",
        "/admin/sent_emails/?q=gone",
        f"/admin/sent_emails/inspect/{refused_email.pk}/",
        "/admin/bounced_addresses/",
    ]:
        response = client.get(url, follow=True)
        assert response.redirect_chain == [("/admin/", 302)], url
        assert "Sorry, you do not have permission to access this area." in response.content.decode(), url
        assert "gone@example.com" not in response.content.decode(), url
    dashboard = client.get("/admin/").content.decode()
    assert "Sent emails" not in dashboard and "Bounced addresses" not in dashboard


@pytest.mark.django_db
def test_staff_given_the_view_permissions_may_read_sent_emails_and_bounced_addresses(client, refused_email):
    UndeliverableAddress.objects.create(email="gone@example.com", reason=UndeliverableAddress.Reason.BOUNCED)
    support = Group.objects.create(name="Support")
    support.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="notifications", codename="view_outboxemail"),
        Permission.objects.get(content_type__app_label="notifications", codename="view_undeliverableaddress"),
    )
    member = UserFactory(is_staff=True)
    member.groups.add(support)
    client.force_login(member)

    assert b"gone@example.com" in client.get("/admin/sent_emails/").content
    assert b"gone@example.com: rejected" in client.get(f"/admin/sent_emails/inspect/{refused_email.pk}/").content
    assert b"The address bounced" in client.get("/admin/bounced_addresses/").content
    assert client.get(f"/admin/sent_emails/edit/{refused_email.pk}/").status_code == 302  # still read-only
