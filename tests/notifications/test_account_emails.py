"""Welcome, partner invitation, password reset and payment receipt: each sent once, with its links."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.emails import email_partner_invitation, email_welcome
from accounts.models import PartnerInvitation
from accounts.services import invitation_token
from notifications.models import OutboxEmail
from payments.emails import email_payment_receipt


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


@pytest.mark.django_db
def test_welcome_email_tells_the_couple_where_to_add_gifts_and_is_sent_once(
    couple, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_welcome(user=couple.user, registry=couple.registry)
        email_welcome(user=couple.user, registry=couple.registry)

    [message] = mail.outbox
    assert message.to == ["alex@couple.localhost"]
    assert message.subject == "Welcome to WhisperGifts, Alex & Sam"
    edit_url = f"http://testserver/admin/pages/{couple.registry.pk}/edit/"
    assert edit_url in message.body and edit_url in html_of(message)
    assert "Saturday 12 June 2027" in message.body
    assert "List-Unsubscribe" not in message.extra_headers  # a one-off, not a series


@pytest.fixture
def invitation(couple):
    return PartnerInvitation.objects.create(
        registry=couple.registry,
        email="sam.partner@example.com",
        invited_by=couple.user,
        expires_at=timezone.now() + timedelta(days=7),
    )


def email_the_invitation(invitation):
    email_partner_invitation(
        registry=invitation.registry,
        invited_by=invitation.invited_by,
        to_email=invitation.email,
        invitation_id=invitation.pk,
    )


@pytest.mark.django_db
def test_partner_invitation_carries_the_accept_link(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_the_invitation(invitation)

    [message] = mail.outbox
    assert message.to == ["sam.partner@example.com"]
    assert message.subject == "Alex invited you to your wedding registry on WhisperGifts"
    accept_url = f"http://testserver/invitations/{invitation_token(invitation)}/"
    assert accept_url in message.body
    assert f'href="{accept_url}"' in html_of(message)


@pytest.mark.django_db
def test_an_invitation_cancelled_before_its_email_went_out_is_not_sent(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_the_invitation(invitation)
        invitation.delete()

    assert mail.outbox == []
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.FAILED
    assert "partner-invitation link" in row.last_error


@pytest.mark.django_db
def test_payment_receipt_in_the_payments_currency_once_per_payment(couple, django_capture_on_commit_callbacks):
    receipt = {
        "registry": couple.registry,
        "to_email": "alex@couple.localhost",
        "payment_reference": "8MC585209K746392H",
        "description": "Premium package",
        "amount": Decimal("1249.5"),
        "currency": "USD",
        "paid_at": datetime(2027, 3, 1, 10, tzinfo=UTC),
    }
    with django_capture_on_commit_callbacks(execute=True):
        email_payment_receipt(**receipt)
        email_payment_receipt(**receipt)  # PayPal sends the same notification again

    [message] = mail.outbox
    assert message.subject == "Your WhisperGifts receipt: US$1,249.50 for Premium package"
    assert "Monday, March 1, 2027" in message.body  # written the American way for US dollars
    assert "8MC585209K746392H" in html_of(message)


@pytest.mark.django_db
def test_password_reset_from_the_admin_sends_our_email_with_a_working_link(
    client, couple, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/password_reset/", {"email": "alex@couple.localhost"})

    assert response.status_code == 302
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
    [message] = mail.outbox
    assert message.subject == "Reset your WhisperGifts password"
    reset_url = next(word for word in message.body.split() if "/admin/password_reset/confirm/" in word)
    assert reset_url.startswith("http://testserver/admin/password_reset/confirm/")
    confirm = client.get(reset_url.removeprefix("http://testserver"), follow=True)
    assert b"new_password1" in confirm.content


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(client, couple):
    client.post("/admin/password_reset/", {"email": "nobody@example.com"})

    assert not OutboxEmail.objects.exists()
