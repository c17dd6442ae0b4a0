"""Secret links (manage, one-click, invitation, password reset) reach only their recipient.

The outbox keeps which link an email carries, never the link: the sent email works, and nobody
reading the outbox (staff in the admin, a database dump) can use it.
"""

import json
from datetime import date, timedelta
from importlib import import_module
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.factories import UserFactory, make_couple
from accounts.services import invitation_token, partner_invite
from notifications.models import OutboxEmail
from notifications.services import outbox_send
from registries.emails import pledge_reminder_email, reservation_reminder_email
from registries.factories import fund, pledge, reserve

pytestmark = pytest.mark.django_db


def links_in(message) -> list[str]:
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]


def secret_links(messages) -> dict[str, str]:
    """Every link in `messages` whose page is reached by a token, by that token: what must stay secret."""
    found = {}
    for message in messages:
        for link in links_in(message):
            parts = urlsplit(link)
            if parts.netloc != "testserver":
                continue
            match = resolve(parts.path)
            if "token" in match.kwargs:
                found[match.kwargs["token"]] = parts.path
    return found


@pytest.fixture
def sent_with_secret_links(client, couple, django_capture_on_commit_callbacks):
    """A guest's confirmation and reminder (of a reservation and a pledge), the couple's reservation email, an
    invitation and a password reset."""
    other = make_couple("Robin", "Kim", email="robin@example.com")
    registry = couple.registry
    kind, value = fund(title="Honeymoon")
    registry.gifts.append((kind, registry.gifts.stream_block.child_blocks[kind].to_python(value)))
    registry.save_revision(user=couple.user).publish()
    with django_capture_on_commit_callbacks(execute=True):
        reservation = reserve(couple.registry, "Teapot", name="Jo Bloggs")
        reservation_reminder_email(reservation=reservation, number=1, release_on=date(2027, 3, 22))
        given = pledge(couple.registry, "Honeymoon", 50, name="Kim Bloggs")
        pledge_reminder_email(pledge=given, number=1, release_on=date(2027, 3, 22))
        partner_invite(registry=other.registry, invited_by=other.user, email="kim@example.com")
        client.post("/admin/password_reset/", {"email": "alex@couple.localhost"})
    assert OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).count() == 0
    return list(mail.outbox)


def test_every_kind_of_secret_link_is_in_the_emails_sent(sent_with_secret_links):
    views = {resolve(path).url_name for path in secret_links(sent_with_secret_links).values()}
    assert views == {
        "reservation_manage",
        "email_reservation_action",
        "pledge_manage",
        "email_pledge_action",
        "email_registry_action",
        "partner_invitation_accept",
        "wagtailadmin_password_reset_confirm",
    }


def test_the_outbox_holds_no_secret_link(sent_with_secret_links):
    rows = json.dumps(list(OutboxEmail.objects.values()), default=str)
    leaked = [token for token in secret_links(sent_with_secret_links) if token in rows]
    assert leaked == []


def test_superusers_see_no_secret_in_the_sent_emails_list_search_or_inspect_view(client, sent_with_secret_links):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pages = [client.get("/admin/sent_emails/")]
    pages += [client.get(f"/admin/sent_emails/inspect/{row.pk}/") for row in OutboxEmail.objects.all()]
    tokens = secret_links(sent_with_secret_links)
    searches = {token: client.get(f"/admin/sent_emails/?q={quote(token)}") for token in tokens}

    assert all(page.status_code == 200 for page in [*pages, *searches.values()])
    assert b"jo@example.com" in pages[0].content  # the listing does list the emails
    for token, search in searches.items():  # (the search box shows what was typed, of course)
        assert not search.context["object_list"], f"searching for the token of {tokens[token]} finds its email"
    shown = "".join(page.content.decode() for page in pages)
    assert [path for token, path in tokens.items() if token in shown] == []


def test_the_secret_links_sent_still_work(client, sent_with_secret_links):
    what_each_page_shows = {
        "reservation_manage": "Teapot",
        "email_reservation_action": "1 × Teapot for Alex &amp; Sam, reserved by Jo Bloggs",
        "email_registry_action": "Stop reservation emails for Alex &amp; Sam?",
        "pledge_manage": "£50 towards Honeymoon, pledged by Kim Bloggs",
        "email_pledge_action": "£50 towards Honeymoon for Alex &amp; Sam, pledged by Kim Bloggs",
        "partner_invitation_accept": "log in as <strong>kim@example.com</strong>",
        "wagtailadmin_password_reset_confirm": "new_password1",
    }
    for path in secret_links(sent_with_secret_links).values():
        page = client.get(path, follow=True)
        assert page.status_code == 200, path
        assert what_each_page_shows[resolve(path).url_name] in page.content.decode(), path


def test_emails_written_before_links_were_references_lose_their_tokens_and_pending_ones_still_work(
    client, couple, django_capture_on_commit_callbacks
):
    reservation = reserve(couple.registry, "Teapot", name="Jo Bloggs")
    OutboxEmail.objects.all().delete()
    other = make_couple("Robin", "Kim", email="robin@example.com")
    invitation = partner_invite(registry=other.registry, invited_by=other.user, email="kim@example.com")
    OutboxEmail.objects.filter(kind="partner_invitation").delete()
    manage_token = reservation.manage_token
    bought_token = signing.dumps(reservation.pk, salt="notifications.reservation.bought", compress=True)
    accept_token = invitation_token(invitation)
    reset_token = default_token_generator.make_token(couple.user)
    uid = urlsafe_base64_encode(force_bytes(couple.user.pk))
    as_written_before = [
        (f"reservation:{reservation.pk}:reservation_guest:jo@guests.localhost", "reservation_guest", {
            "manage_url": f"http://testserver/reservations/{manage_token}/",
        }),
        (f"reservation:{reservation.pk}:reservation_reminder:1", "reservation_reminder", {
            "bought_url": f"http://testserver/emails/reservation/bought/{bought_token}/",
        }),
        (f"invitation:{invitation.pk}:partner_invitation:kim@example.com", "partner_invitation", {
            "accept_url": f"http://testserver/invitations/{accept_token}/",
        }),
        (f"user:{couple.user.pk}:password_reset:{reset_token}", "password_reset", {
            "reset_url": f"http://testserver/admin/password_reset/confirm/{uid}/{reset_token}/",
        }),
        ("reservation:999:reservation_guest:gone@example.com", "reservation_guest", {
            "manage_url": "http://testserver/reservations/a-reservation-deleted-since/",
        }),
    ]  # fmt: skip
    for key, kind, links in as_written_before:
        OutboxEmail.objects.create(
            key=key,
            kind=kind,
            to_email="jo@guests.localhost",
            context={**links, "couple_names": "Alex & Sam", "gift_title": "Teapot", "first_name": "Alex"},
            reservation=reservation if key.startswith("reservation:") else None,
            next_attempt_at=timezone.now(),
        )
    sent_before = OutboxEmail.objects.create(
        key="reservation:1:reservation_guest:long-ago@example.com",
        kind="reservation_guest",
        to_email="long-ago@example.com",
        context={"manage_url": f"http://testserver/reservations/{manage_token}/", "guest_name": "Jo"},
        status=OutboxEmail.Status.SENT,
        next_attempt_at=timezone.now(),
    )

    import_module("notifications.migrations.0003_outbox_links_by_reference").links_by_reference(apps, None)

    rows = json.dumps(list(OutboxEmail.objects.values()), default=str)
    assert [token for token in (manage_token, bought_token, accept_token, reset_token) if token in rows] == []
    sent_before.refresh_from_db()
    assert sent_before.status == OutboxEmail.Status.SENT and sent_before.context["guest_name"] == "Jo"
    gone = OutboxEmail.objects.get(key="reservation:999:reservation_guest:gone@example.com")
    assert gone.status == OutboxEmail.Status.FAILED and "manage_url" not in gone.context

    for row in OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING):
        outbox_send(outbox_id=row.pk, retry_in=timedelta(minutes=1))
    assert len(mail.outbox) == 4
    what_each_page_shows = {
        "reservation_manage": "Teapot",
        "email_reservation_action": "Did you buy it?",
        "partner_invitation_accept": "log in as <strong>kim@example.com</strong>",
        "wagtailadmin_password_reset_confirm": "new_password1",
    }
    paths = secret_links(mail.outbox).values()
    assert {resolve(path).url_name for path in paths} == set(what_each_page_shows)
    for path in paths:
        page = client.get(path, follow=True)
        assert what_each_page_shows[resolve(path).url_name] in page.content.decode(), path
