"""Every email a couple receives from their account: one function per email, all sent through `_send`.

Callers pass absolute URLs, so these work the same from a request or from a background task.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from registries.models import RegistryPage

from .models import User


def send_welcome(*, user: User, registry: RegistryPage, editor_url: str, login_url: str) -> None:
    _send(
        to=user.email,
        subject="Welcome to WhisperGifts: your registry is ready to fill",
        template_name="accounts/emails/welcome.txt",
        context={"user": user, "registry": registry, "editor_url": editor_url, "login_url": login_url},
    )


def send_partner_invitation(
    *, email: str, invited_by: User, registry: RegistryPage, accept_url: str, expires_at: datetime
) -> None:
    _send(
        to=email,
        subject=f"{invited_by.first_name or invited_by.email} invited you to your wedding registry on WhisperGifts",
        template_name="accounts/emails/partner_invitation.txt",
        context={"invited_by": invited_by, "registry": registry, "accept_url": accept_url, "expires_at": expires_at},
    )


def send_password_reset(*, user: User, reset_url: str) -> None:
    _send(
        to=user.email,
        subject="Reset your WhisperGifts password",
        template_name="accounts/emails/password_reset.txt",
        context={"user": user, "reset_url": reset_url},
    )


def _send(*, to: str, subject: str, template_name: str, context: dict) -> None:
    body = render_to_string(template_name, {"site_name": settings.WAGTAIL_SITE_NAME, **context})
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
