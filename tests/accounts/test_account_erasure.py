"""Deleting an account erases the couple's and their guests' personal data from every table that holds it.

One test fills every such table for a registry and searches the whole database afterwards; another
keeps the list of models that hold people's addresses, so a new one can't be forgotten.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from paypal.standard.ipn.models import PayPalIPN
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Comment

from accounts.emails import email_welcome
from accounts.factories import UserFactory, make_couple
from accounts.services import couple_payment_details_save, email_change_request, partner_invite
from notifications.models import DeliveryEvent, OutboxEmail, UndeliverableAddress
from payments.services import order_create, registry_reference
from registries.emails import reservation_reminder_email
from registries.factories import fund, gift, gift_row, make_image
from registries.models import Package, RegistryPage, ReminderOptOut, Reservation
from registries.reminders import reservation_reminders_run
from registries.services import pledge_create, reservation_create

from .conftest import COUPLE_PASSWORD

pytestmark = pytest.mark.django_db

# What a person may have typed or been given, as it would be stored (lowercase: PostgreSQL's search
# index keeps stemmed lowercase words, so these are stems).
COUPLE_WORDS = ["ottolin", "barnab", "little snoring", "our espresso machin"]
GUEST_WORDS = ["quennell", "enjoy your tea, love jo"]

# Every model with a field that holds an email address, and what deleting an account does with it.
PERSONAL_DATA = {
    "accounts.User": "the couple's users are deleted (staff helping them only leave the couple's group)",
    "accounts.PartnerInvitation": "deleted",
    "accounts.EmailConfirmation": "deleted with the couple's users",
    "registries.Reservation": "name, email and message erased; the gift's title and price stay",
    "registries.Pledge": "name, email and message erased; the fund or gift, the amount and its status stay",
    "notifications.OutboxEmail": "every email about the registry, its guests and the couple is deleted",
    "notifications.DeliveryEvent": "events about those emails and the couple's addresses are deleted",
    "notifications.UndeliverableAddress": "deleted, unless the address is still a guest's or a user's elsewhere",
    "ipn.PayPalIPN": "kept: the payment's record as PayPal sent it, which accounting must keep",
    "axes.AccessAttempt": "the couple's failed log-ins are deleted (each also expires after its pause)",
    "axes.AccessFailureLog": "never written (AXES_ENABLE_ACCESS_FAILURE_LOG is off)",
    "axes.AccessLog": "never written (AXES_DISABLE_ACCESS_LOG is on)",
}
KEPT_TABLES = {PayPalIPN._meta.db_table}


def holds_an_email_address(model) -> bool:
    """An EmailField, or text named like one (django-paypal's payer_email is a CharField) or like a login name
    (ours is the email address: django-axes keeps it as `username`)."""
    return any(
        isinstance(field, models.EmailField)
        or (isinstance(field, models.CharField) and {"email", "username"} & set(field.name.split("_")))
        and not field.choices
        for field in model._meta.get_fields()
        if field.concrete
    )


def test_every_model_holding_email_addresses_is_named_with_what_deletion_does_with_it():
    found = {model._meta.label for model in apps.get_models() if holds_an_email_address(model)}
    assert found == set(PERSONAL_DATA), (
        "a model holds email addresses: say in PERSONAL_DATA (and couple_delete) what deletion does with it"
    )


def whole_database_text() -> dict[str, str]:
    """Every table's rows as lowercase text, by table."""
    text = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own table names)
            text[table] = repr(cursor.fetchall()).lower()
    return text


@pytest.fixture
def full_account(client, django_capture_on_commit_callbacks):
    """A renamed, published registry with a photo, a reserved gift, emails sent and pending, a bounce,
    an invitation, a password reset and a payment: everything that can hold the couple's or a guest's data.
    """
    couple = make_couple(
        "Ottoline", "Barnaby", slug="ottoline-and-barnaby", email="ottoline@example.com", password=COUPLE_PASSWORD
    )
    photo = make_image(title="Our espresso machine")
    photo.collection = couple.collection
    photo.save()
    registry = couple.registry
    registry.place = "Little Snoring"
    registry.gifts = [gift(title="Espresso machine", image=photo), fund(title="Honeymoon")]
    with django_capture_on_commit_callbacks(execute=True):
        registry.save_revision(user=couple.user).publish()
        email_welcome(user=couple.user, registry=registry)
    log(instance=photo, action="wagtail.create", user=couple.user)  # as the admin logs an upload
    Comment.objects.create(
        page=registry, user=UserFactory(is_staff=True), text="Barnaby asked for a second photo", contentpath="title"
    )
    registry = RegistryPage.objects.get(pk=registry.pk)
    registry.slug = "barnaby-and-ottoline"
    with django_capture_on_commit_callbacks(execute=True):
        registry.save_revision(user=couple.user).publish()  # Wagtail keeps the old address as a redirect
    assert Redirect.objects.filter(old_path="/registries/ottoline-and-barnaby").exists()

    with django_capture_on_commit_callbacks(execute=True):
        reservation = reservation_create(
            gift=gift_row(registry, "Espresso machine"),
            name="Jo Quennell",
            email="Jo.Quennell@guests.example",
            quantity=1,
            message="Enjoy your tea, love Jo",
            idempotency_key=uuid.uuid4(),
        ).reservation
        pledge_create(
            gift=gift_row(registry, "Honeymoon"),
            name="Jo Quennell",
            email="Jo.Quennell@guests.example",
            amount=Decimal("50"),
            message="For the ferry, love Jo",
            idempotency_key=uuid.uuid4(),
        )
        couple_payment_details_save(
            registry=registry, paypal_me_url="https://paypal.me/ottoline", bank_transfer_details="Ottoline B, 12-34-56"
        )
        partner_invite(registry=registry, invited_by=couple.user, email="barnaby@example.com")
        client.post("/admin/password_reset/", {"email": "ottoline@example.com"})
        email_change_request(user=couple.user, new_email="ottoline.new@example.com")
    reservation_reminder_email(reservation=reservation, number=1, release_on=timezone.localdate())  # still pending
    ReminderOptOut.objects.create(reservation=reservation)
    confirmation = OutboxEmail.objects.get(kind="reservation_guest")
    OutboxEmail.objects.filter(pk=confirmation.pk).update(esp_message_id="postmark-1")
    DeliveryEvent.objects.create(
        event_id="bounce-1",
        event_type="bounced",
        esp_type="HardBounce",
        recipient="jo.quennell@guests.example",
        esp_message_id="postmark-1",
        description="The server couldn't find jo.quennell@guests.example",
    )
    UndeliverableAddress.objects.create(email="jo.quennell@guests.example", reason="bounced")
    order = order_create(registry=registry, package=Package.objects.get(name="Plus"), created_by=couple.user)
    PayPalIPN.objects.create(
        txn_id="61E67681CH0000001",
        invoice=order.invoice,
        custom=registry_reference(registry),
        item_name="WhisperGifts Plus package: Ottoline & Barnaby",
        payer_email="ottoline@example.com",
        first_name="Ottoline",
        payment_status="Completed",
    )
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() >= 4
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count() == 1
    client.force_login(couple.user)
    # Someone elsewhere guessing the couple's password: django-axes keeps the failure.
    type(client)().post(
        "/admin/login/", {"username": "ottoline@example.com", "password": "guess"}, REMOTE_ADDR="198.51.100.9"
    )
    return couple, reservation


def delete_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
    assert response["Location"] == "/"


def test_after_deletion_no_table_holds_the_couples_or_their_guests_names_emails_or_links(
    client, full_account, django_capture_on_commit_callbacks
):
    couple, reservation = full_account
    words = [*COUPLE_WORDS, *GUEST_WORDS, couple.user.email, "ottoline.new@example.com", "jo.quennell@guests.example"]
    manage_token = reservation.manage_token.lower()
    before = whole_database_text()
    for word in [*words, manage_token]:
        assert any(word in rows for rows in before.values()), f"the test never stored {word!r}"

    delete_account(client, django_capture_on_commit_callbacks)

    after = whole_database_text()
    left = {word: sorted(table for table, rows in after.items() if word in rows) for word in words}
    assert {word: tables for word, tables in left.items() if set(tables) - KEPT_TABLES} == {}
    assert "ottoline@example.com" in after[PayPalIPN._meta.db_table]  # the payment's record stays
    # The guest's manage link still shows what they reserved (without their name): it lives on in their
    # reservation alone, and nowhere it could be read by anyone else.
    assert [table for table, rows in after.items() if manage_token in rows] == [Reservation._meta.db_table]


def test_after_deletion_the_registrys_old_addresses_answer_404(
    client, full_account, django_capture_on_commit_callbacks
):
    delete_account(client, django_capture_on_commit_callbacks)
    client.logout()

    for address in ["/registries/ottoline-and-barnaby/", "/registries/barnaby-and-ottoline/"]:
        assert client.get(address).status_code == 404, address
    assert not Redirect.objects.exists()


def test_guests_whose_details_were_erased_get_no_more_reminders(
    client, full_account, django_capture_on_commit_callbacks
):
    delete_account(client, django_capture_on_commit_callbacks)

    run = reservation_reminders_run(now=timezone.now() + timedelta(days=15))

    assert run.reminded == [] and run.released == []
    assert not OutboxEmail.objects.exists()
    assert Reservation.objects.get().status == Reservation.Status.RESERVED


def test_a_guest_of_another_registry_keeps_their_emails_and_bounce_there(
    client, full_account, django_capture_on_commit_callbacks
):
    other = make_couple("Wilhelmina", "Ptolemy", slug="wilhelmina-and-ptolemy", email="wil@example.com")
    other.registry.gifts = [gift(title="Canoe")]
    other.registry.save_revision(user=other.user).publish()
    with django_capture_on_commit_callbacks(execute=True):
        reservation_create(
            gift=gift_row(other.registry, "Canoe"),
            name="Jo Quennell",
            email="jo.quennell@guests.example",
            quantity=1,
            message="",
            idempotency_key=uuid.uuid4(),
        )
    theirs = set(OutboxEmail.objects.filter(reservation__gift__registry=other.registry).values_list("pk", flat=True))

    delete_account(client, django_capture_on_commit_callbacks)

    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == theirs
    assert UndeliverableAddress.objects.filter(email="jo.quennell@guests.example").exists()
