"""Postmark's tracking webhook: bounces and complaints are recorded once, and bad addresses are marked.

The payloads are Postmark's documented samples (as used in anymail's own tests).
"""

import base64
import json

import pytest
from django.utils import timezone

from notifications.models import DeliveryEvent, OutboxEmail, UndeliverableAddress
from notifications.selectors import undeliverable_addresses

WEBHOOK_URL = "/anymail/postmark/tracking/"
WEBHOOK_SECRET = "postmark:test-webhook-secret"  # as in whispergifts/settings/test.py

HARD_BOUNCE = {
    "RecordType": "Bounce",
    "ID": 901542550,
    "Type": "HardBounce",
    "TypeCode": 1,
    "ServerID": 23,
    "Name": "Hard bounce",
    "MessageID": "2706ee8a-737c-4285-b032-ccd317af53ed",
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "Bounce@Example.com",
    "From": "sender@example.com",
    "BouncedAt": "2016-04-27T16:28:50.3963933-04:00",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Postmark event test",
    "Content": "...",
}
SOFT_BOUNCE = {
    **HARD_BOUNCE,
    "ID": 901542551,
    "Type": "SoftBounce",
    "TypeCode": 4096,
    "Name": "Soft bounce",
    "Description": "Unable to temporarily deliver this email.",
    "Details": "smtp;452 4.2.2 The email account that you tried to reach is over quota.",
    "Email": "full@example.com",
    "Inactive": False,
}
SPAM_COMPLAINT = {
    "RecordType": "SpamComplaint",
    "ID": 901542552,
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Tag": "Test",
    "MessageID": "2706ee8a-737c-4285-b032-ccd317af53ee",
    "ServerID": 1234,
    "Description": "",
    "Details": "Test spam complaint details",
    "Email": "spam@example.com",
    "From": "sender@example.com",
    "BouncedAt": "2016-04-27T16:28:50.3963933-04:00",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": False,
    "Subject": "Postmark event test",
}


def post_event(client, payload, secret=WEBHOOK_SECRET):
    credentials = base64.b64encode(secret.encode()).decode()
    return client.post(
        WEBHOOK_URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


@pytest.mark.django_db
def test_a_hard_bounce_marks_the_address_and_the_email_it_answers(client):
    sent = OutboxEmail.objects.create(
        key="reservation:1:reservation_guest:bounce@example.com",
        kind="reservation_guest",
        to_email="bounce@example.com",
        status=OutboxEmail.Status.SENT,
        esp_message_id=HARD_BOUNCE["MessageID"],
        next_attempt_at=timezone.now(),
    )

    response = post_event(client, HARD_BOUNCE)

    assert response.status_code == 200
    event = DeliveryEvent.objects.get()
    assert (event.event_id, event.event_type, event.esp_type) == ("901542550", "bounced", "HardBounce")
    assert event.recipient == "bounce@example.com"
    assert undeliverable_addresses(["BOUNCE@example.com", "other@example.com"]) == {
        "bounce@example.com": "The address bounced"
    }
    sent.refresh_from_db()
    assert sent.delivery_status == "bounced"


@pytest.mark.django_db
def test_a_soft_bounce_is_recorded_but_the_address_stays_good(client):
    assert post_event(client, SOFT_BOUNCE).status_code == 200

    assert DeliveryEvent.objects.get().esp_type == "SoftBounce"
    assert not UndeliverableAddress.objects.exists()


@pytest.mark.django_db
def test_a_spam_complaint_marks_the_address(client):
    assert post_event(client, SPAM_COMPLAINT).status_code == 200

    assert UndeliverableAddress.objects.get().reason == UndeliverableAddress.Reason.COMPLAINED
    assert undeliverable_addresses(["spam@example.com"]) == {"spam@example.com": "Marked our email as spam"}


@pytest.mark.django_db
def test_the_same_event_delivered_twice_is_recorded_once(client):
    post_event(client, HARD_BOUNCE)
    post_event(client, HARD_BOUNCE)

    assert DeliveryEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_and_nothing_is_recorded(client):
    response = post_event(client, HARD_BOUNCE, secret="postmark:guessed")

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists() and not UndeliverableAddress.objects.exists()


@pytest.mark.django_db
def test_no_credentials_at_all_are_refused(client):
    response = client.post(WEBHOOK_URL, data=json.dumps(HARD_BOUNCE), content_type="application/json")

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()
