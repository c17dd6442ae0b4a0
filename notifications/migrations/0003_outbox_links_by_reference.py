"""Rows written before emails kept their links as references: take the tokens out.

Each secret link in a row's context becomes the reference the sender builds it from
(notifications.links.email_link), so a pending email still sends a working link; a password
reset's key keeps a digest of its token instead of the token. A link that can't be traced back
to its object any more is dropped, and a pending email that carried one is not sent.

The paths and salts are written out here as they were when those rows were written.
"""

import hashlib
import re
from urllib.parse import urlsplit

from django.core import signing
from django.db import migrations
from django.utils.http import urlsafe_base64_decode

SECRET_PATHS = [
    ("reservation-manage", re.compile(r"^/reservations/(?P<token>[^/]+)/$")),
    ("reservation-", re.compile(r"^/emails/reservation/(?P<action>[^/]+)/(?P<token>[^/]+)/$")),
    ("registry-", re.compile(r"^/emails/registry/(?P<action>[^/]+)/(?P<token>[^/]+)/$")),
    ("partner-invitation", re.compile(r"^/invitations/(?P<token>[^/]+)/$")),
    ("password-reset", re.compile(r"^/admin/password_reset/confirm/(?P<uidb64>[^/]+)/(?P<token>[^/]+)/$")),
]
PASSWORD_RESET_KEY = re.compile(r"^(?P<prefix>user:\d+:password_reset:)(?P<token>.+)$")


def _object_id(name: str, match: re.Match, apps) -> int | None:
    token = match["token"]
    try:
        if name == "reservation-manage":
            Reservation = apps.get_model("registries", "Reservation")
            return Reservation.objects.filter(manage_token=token).values_list("pk", flat=True).first()
        if name in ("reservation-", "registry-"):
            return int(signing.loads(token, salt=f"notifications.{name[:-1]}.{match['action']}"))
        if name == "partner-invitation":
            return int(signing.loads(token, salt="accounts.partner-invitation")["id"])
        return int(urlsafe_base64_decode(match["uidb64"]).decode())
    except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeDecodeError):
        return None


def _reference(value, apps) -> tuple[bool, dict | None]:
    """(is it a secret link, its reference or None if it can't be traced back)."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return False, None
    path = urlsplit(value).path
    for name, pattern in SECRET_PATHS:
        match = pattern.match(path)
        if match:
            link = name + match["action"] if name.endswith("-") else name
            object_id = _object_id(name, match, apps)
            return True, None if object_id is None else {"email_link": link, "id": object_id}
    return False, None


def links_by_reference(apps, schema_editor):
    OutboxEmail = apps.get_model("notifications", "OutboxEmail")
    for row in OutboxEmail.objects.iterator():
        changed, untraceable = False, False
        context = dict(row.context)
        for key, value in row.context.items():
            secret, reference = _reference(value, apps)
            if secret:
                changed = True
                if reference is None:
                    untraceable = True
                    del context[key]
                else:
                    context[key] = reference
        reset_key = PASSWORD_RESET_KEY.match(row.key)
        if reset_key and not re.fullmatch(r"[0-9a-f]{64}", reset_key["token"]):
            row.key = reset_key["prefix"] + hashlib.sha256(reset_key["token"].encode()).hexdigest()
            changed = True
        if not changed:
            continue
        row.context = context
        if untraceable and row.status == "pending":
            row.status = "failed"
            row.last_error = "Not sent: its link's object no longer exists."
        row.save(update_fields=["context", "key", "status", "last_error"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_package_refunded_kind"),
        ("registries", "0008_gift_shop"),
    ]

    operations = [
        migrations.RunPython(links_by_reference, migrations.RunPython.noop),
    ]
