import secrets
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class EmailUserManager(UserManager):
    """Users are identified by their email address; the username is not used."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person who logs in: a couple's partner or a member of staff. Logs in by email."""

    username = None
    email = models.EmailField("email address", unique=True)
    # When the address was proved (an emailed link followed, or an invitation accepted): a couple's registry
    # is published only once one of them has.
    email_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    def __str__(self):
        return self.get_full_name() or self.email


def _new_invitation_nonce() -> str:
    return secrets.token_urlsafe(16)


class PartnerInvitation(models.Model):
    """One partner asks the other to share their registry. The emailed link is signed, expires, and works once."""

    registry = models.ForeignKey("registries.RegistryPage", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("email address")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    nonce = models.CharField(max_length=32, default=_new_invitation_nonce, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class EmailConfirmation(models.Model):
    """A link we emailed to prove an address: the account's own after sign-up, or a new one it asked to use.

    A new address replaces the account's only when its link is followed; until then the account keeps its own.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_confirmations")
    email = models.EmailField("email address")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Confirmation of {self.email}"


def validate_paypal_me_url(value: str) -> None:
    """A PayPal.me link, and nothing else: guests follow it to pay, so it may not lead anywhere else."""
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/")
    on_paypal_me = host == "paypal.me" and path and "/" not in path
    on_paypal_com = host == "www.paypal.com" and path.startswith("paypalme/") and path.count("/") == 1
    if parts.scheme != "https" or parts.username or parts.port or not (on_paypal_me or on_paypal_com):
        raise ValidationError(
            "Please enter your PayPal.me link, like https://paypal.me/yourname or "
            "https://www.paypal.com/paypalme/yourname.",
            code="not_paypal_me",
        )


class CouplePaymentDetails(models.Model):
    """Where guests send money for funds and group gifts: the couple's own, entered once for their registry.

    WhisperGifts only shows these to guests who pledged; it never receives or forwards any money.
    """

    registry = models.OneToOneField(
        "registries.RegistryPage", on_delete=models.CASCADE, related_name="payment_details"
    )
    paypal_me_url = models.URLField("PayPal.me link", max_length=200, blank=True, validators=[validate_paypal_me_url])
    bank_transfer_details = models.TextField(
        "bank transfer details",
        max_length=500,
        blank=True,
        help_text="Account name, number and sort code or IBAN, and a reference. Shown only to guests who pledge.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "couple payment details"

    def __str__(self):
        return f"Payment details of {self.registry}"
