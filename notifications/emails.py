"""Rendering and sending one email: the only module that talks to the email backend (Postmark in production).

The apps that write emails name each kind they send with `register_email_kind` when they are loaded: a
label for the admin, and where its three templates are (`<templates>_subject.txt`, `<templates>.txt` and
`<templates>.html`, e.g. `registries/email/reservation_guest`). The HTML shows the header image embedded
in the message itself, and extends `notifications/email/base.html`.
"""

import smtplib
from dataclasses import dataclass
from functools import cache

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from anymail.message import AnymailMessage
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

HEADER_IMAGE = "notifications/email-header.png"
# Status codes worth another try: the request or the server had a bad moment, or we were throttled.
TRANSIENT_STATUSES = {401, 403, 408, 409, 425, 429}


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    templates: str


_kinds: dict[str, EmailKind] = {}


def register_email_kind(name: str, *, label: str, templates: str) -> str:
    """Name a kind of email an app sends (an outbox row's `kind`); returns the name, for the app's own constant."""
    _kinds[name] = EmailKind(name=name, label=label, templates=templates)
    return name


def email_kind_choices() -> list[tuple[str, str]]:
    """The kinds registered so far, for the outbox's `kind` field and the admin's filter."""
    return [(kind.name, kind.label) for kind in sorted(_kinds.values(), key=lambda kind: kind.label)]


class TransientSendError(Exception):
    """Postmark (or the network) failed this time; the same email may well go through later."""


class PermanentSendError(Exception):
    """Postmark refused this email for good (e.g. 422: inactive recipient, invalid address)."""


def render(*, kind: str, context: dict, header_cid: str = "") -> tuple[str, str, str]:
    """(subject, text, html) for `kind`. The subject is folded onto one line whatever the context holds."""
    templates = _kinds[kind].templates
    subject = render_to_string(f"{templates}_subject.txt", context)
    text = render_to_string(f"{templates}.txt", context)
    html = render_to_string(f"{templates}.html", {**context, "header_cid": header_cid})
    return _one_line(subject), text, html


def send(*, kind: str, to_email: str, context: dict) -> str:
    """Send one email now and return the provider's message id, or raise a *SendError."""
    message = AnymailMessage(from_email=settings.DEFAULT_FROM_EMAIL, to=[to_email], tags=[kind])
    header_cid = message.attach_inline_image(_header_image(), filename="whispergifts.png")
    message.subject, message.body, html = render(kind=kind, context=context, header_cid=header_cid)
    message.attach_alternative(html, "text/html")
    if context.get("unsubscribe_url"):
        # RFC 8058: mail apps show "Unsubscribe" and POST to the link themselves.
        message.extra_headers["List-Unsubscribe"] = f"<{_one_line(context['unsubscribe_url'])}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    try:
        message.send()
    except AnymailRecipientsRefused as refused:
        recipients = message.anymail_status.recipients or {}
        statuses = ", ".join(f"{email}: {status.status}" for email, status in recipients.items())
        raise PermanentSendError(f"{refused} ({statuses})") from refused
    except AnymailError as error:
        status = error.status_code
        if status is None or status >= 500 or status in TRANSIENT_STATUSES:
            raise TransientSendError(str(error)) from error
        raise PermanentSendError(str(error)) from error
    except (OSError, smtplib.SMTPException) as error:
        raise TransientSendError(str(error)) from error
    status = message.anymail_status
    return str(status.message_id or "") if status else ""


@cache
def _header_image() -> bytes:
    with open(finders.find(HEADER_IMAGE), "rb") as image:
        return image.read()


def _one_line(value: str) -> str:
    """Header values built from guest input can't carry a line break (header injection)."""
    return " ".join(value.split())
