"""The emails about couples' accounts: welcome, address confirmation, partner invitation, password reset."""

from datetime import date

from django.urls import reverse

from notifications.emails import register_email_kind
from notifications.links import absolute_url, email_link
from notifications.models import OutboxEmail
from notifications.services import digest, outbox_add
from registries.emails import registry_email_context
from registries.models import RegistryPage

WELCOME = register_email_kind("welcome", label="Welcome (couple)", templates="accounts/email/welcome")
EMAIL_CONFIRMATION = register_email_kind(
    "email_confirmation", label="Confirm an email address", templates="accounts/email/email_confirmation"
)
EMAIL_CHANGED = register_email_kind(
    "email_changed", label="Email address changed (the old address)", templates="accounts/email/email_changed"
)
ACCOUNT_EXISTS = register_email_kind(
    "account_exists", label="Sign-up with an address that has an account", templates="accounts/email/account_exists"
)
PARTNER_INVITATION = register_email_kind(
    "partner_invitation", label="Partner invitation", templates="accounts/email/partner_invitation"
)
PASSWORD_RESET = register_email_kind(
    "password_reset", label="Password reset", templates="accounts/email/password_reset"
)


def email_welcome(*, user, registry: RegistryPage, confirmation_id: int | None = None) -> OutboxEmail | None:
    """Welcome a couple who just signed up: where their registry is, what to do next, and (when the address
    is still to be proved) the link that confirms it."""
    return outbox_add(
        key=f"user:{user.pk}:welcome",
        kind=WELCOME,
        to_email=user.email,
        context={
            **registry_email_context(registry),
            "first_name": user.first_name,
            "admin_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[registry.pk])),
            "confirm_url": email_link("email-confirmation", confirmation_id) if confirmation_id else "",
        },
    )


def email_address_confirmation(*, user, to_email: str, confirmation_id: int, changing: bool) -> OutboxEmail | None:
    """The link that proves `to_email` is the account's: its own address, or the new one it asked to use."""
    return outbox_add(
        key=f"email-confirmation:{confirmation_id}:email_confirmation:{to_email.lower()}",
        kind=EMAIL_CONFIRMATION,
        to_email=to_email,
        context={
            "first_name": user.first_name,
            "email": to_email,
            "changing": changing,
            "confirm_url": email_link("email-confirmation", confirmation_id),
        },
    )


def email_address_changed(*, user, old_email: str, confirmation_id: int) -> OutboxEmail | None:
    """Tell the address an account used to have that it has moved, in case that wasn't its owner."""
    return outbox_add(
        key=f"email-confirmation:{confirmation_id}:email_changed:{old_email.lower()}",
        kind=EMAIL_CHANGED,
        to_email=old_email,
        context={"first_name": user.first_name, "old_email": old_email, "new_email": user.email},
    )


def email_account_exists(*, user, on: date) -> OutboxEmail | None:
    """Someone tried to sign up with the address of an existing account: tell its owner, once a day at most,
    what to do if it was them. The sign-up page itself says only that we sent an email."""
    return outbox_add(
        key=f"user:{user.pk}:account_exists:{on.isoformat()}",
        kind=ACCOUNT_EXISTS,
        to_email=user.email,
        context={
            "first_name": user.first_name,
            "email": user.email,
            "login_url": absolute_url(reverse("wagtailadmin_login")),
            "reset_url": absolute_url(reverse("wagtailadmin_password_reset")),
        },
    )


def email_partner_invitation(
    *, registry: RegistryPage, invited_by, to_email: str, invitation_id: int
) -> OutboxEmail | None:
    """Invite the other partner to manage the registry, with the invitation's own link."""
    return outbox_add(
        key=f"invitation:{invitation_id}:partner_invitation:{to_email.lower()}",
        kind=PARTNER_INVITATION,
        to_email=to_email,
        context={
            **registry_email_context(registry),
            "inviter_name": invited_by.get_full_name() or invited_by.email,
            "accept_url": email_link("partner-invitation", invitation_id),
        },
    )


def email_password_reset(*, user, token: str) -> OutboxEmail | None:
    """A link to choose a new password, made when it is sent; `token` (the request's) only tells requests apart."""
    return outbox_add(
        key=f"user:{user.pk}:password_reset:{digest(token)}",
        kind=PASSWORD_RESET,
        to_email=user.email,
        context={
            "first_name": user.first_name,
            "email": user.email,
            "reset_url": email_link("password-reset", user.pk),
        },
    )
