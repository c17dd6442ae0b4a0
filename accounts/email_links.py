"""The account links that emails carry, built when each email is sent (see notifications.links)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.links import register_email_link

from .models import EmailConfirmation, PartnerInvitation, User
from .services import email_confirmation_token, invitation_token


@register_email_link("partner-invitation")
def partner_invitation_path(invitation_id: int) -> str | None:
    invitation = PartnerInvitation.objects.filter(pk=invitation_id).first()
    return reverse("partner_invitation_accept", args=[invitation_token(invitation)]) if invitation else None


@register_email_link("password-reset")
def password_reset_path(user_id: int) -> str | None:
    """A fresh reset token, valid for PASSWORD_RESET_TIMEOUT from the moment the email is sent.

    Like the form's own token it stops working once the password changes (so it works once).
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@register_email_link("email-confirmation")
def email_confirmation_path(confirmation_id: int) -> str | None:
    confirmation = EmailConfirmation.objects.filter(pk=confirmation_id).first()
    return reverse("email_confirm", args=[email_confirmation_token(confirmation)]) if confirmation else None
