from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from core.currency import CURRENCY_CHOICES
from registries.addresses import REGISTRY_SLUG_MAX_LENGTH, registry_slug_problem, registry_slug_suggestion

from .emails import email_password_reset
from .models import CouplePaymentDetails, User

registry_slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, numbers and single hyphens, e.g. alex-and-sam.",
)


class SignupForm(forms.Form):
    """Everything a couple tells us to open a registry. The address is suggested when left empty."""

    email = forms.EmailField(
        label="Your email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    partner_one = forms.CharField(label="Your first name", max_length=60)
    partner_two = forms.CharField(label="Your partner's first name", max_length=60)
    wedding_date = forms.DateField(label="Wedding date", widget=forms.DateInput(attrs={"type": "date"}))
    currency = forms.ChoiceField(label="Currency for prices", choices=CURRENCY_CHOICES, initial="GBP")
    slug = forms.CharField(
        label="Your registry's address",
        required=False,
        max_length=REGISTRY_SLUG_MAX_LENGTH,
        min_length=3,
        validators=[registry_slug_validator],
        help_text="Guests will find your registry at this address. Leave it empty and we'll make one from your names.",
    )

    def clean_email(self):
        # An address that has an account is not an error here: the page must not tell anyone that it has one
        # (the sign-up view emails its owner instead).
        return self.cleaned_data["email"].strip().lower()

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        self._clean_password(cleaned_data)
        self._clean_slug_availability(cleaned_data)
        return cleaned_data

    def _clean_password(self, cleaned_data):
        password = cleaned_data.get("password")
        if not password:
            return
        # The similarity check compares against what the couple told us about themselves.
        would_be_user = User(
            email=cleaned_data.get("email", ""),
            first_name=cleaned_data.get("partner_one", ""),
            last_name=cleaned_data.get("partner_two", ""),
        )
        try:
            password_validation.validate_password(password, user=would_be_user)
        except ValidationError as error:
            self.add_error("password", error)

    def _clean_slug_availability(self, cleaned_data):
        if "slug" not in cleaned_data or not (cleaned_data.get("partner_one") and cleaned_data.get("partner_two")):
            return
        names = {"partner_one": cleaned_data["partner_one"], "partner_two": cleaned_data["partner_two"]}
        slug = cleaned_data["slug"]
        if not slug:
            cleaned_data["slug"] = registry_slug_suggestion(**names)
            return
        problem = registry_slug_problem(slug)
        if problem:
            suggestion = registry_slug_suggestion(**names, wanted=slug)
            self.add_error("slug", f"{problem} How about “{suggestion}”? We've filled it in for you.")
            self.data = self.data.copy()
            self.data[self.add_prefix("slug")] = suggestion

    @property
    def wedding_date_in_past(self) -> bool:
        wedding_date = self.cleaned_data.get("wedding_date")
        return wedding_date is not None and wedding_date < timezone.localdate()


class PartnerInviteForm(forms.Form):
    email = forms.EmailField(label="Your partner's email", max_length=254)


class InvitationNewAccountForm(forms.Form):
    """The invited partner has no account yet: they choose their name and a password."""

    first_name = forms.CharField(label="Your first name", max_length=60)
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        if password:
            would_be_user = User(email=self.email, first_name=cleaned_data.get("first_name", ""))
            try:
                password_validation.validate_password(password, user=would_be_user)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned_data


class InvitationExistingAccountForm(forms.Form):
    """The invited partner already has an account: their password proves it's them."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not (self.user.is_active and self.user.check_password(password)):
            raise ValidationError("That password isn't right. Forgotten it? Reset it from the login page.")
        return password


class PasswordConfirmedForm(forms.Form):
    """A change to the account itself, confirmed by typing its password again."""

    password = forms.CharField(
        label="Your password, to confirm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That password isn't right.")
        return password


class AccountDeleteForm(PasswordConfirmedForm):
    pass


class EmailChangeForm(PasswordConfirmedForm):
    email = forms.EmailField(
        label="Your new email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    field_order = ["email", "password"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if email == self.user.email.lower():
            raise ValidationError("This is already your address.")
        return email


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's password reset, sent through the outbox with our own templates."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        email_password_reset(user=context["user"], token=context["token"])


class CouplePaymentDetailsForm(forms.ModelForm):
    """Where guests pay the couple for funds and group gifts: a PayPal.me link, bank details, or both."""

    class Meta:
        model = CouplePaymentDetails
        fields = ["paypal_me_url", "bank_transfer_details"]
        widgets = {"bank_transfer_details": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "paypal_me_url": "Like https://paypal.me/yourname. Guests who pledge are sent to it to pay you.",
        }

    def clean_paypal_me_url(self):
        return self.cleaned_data["paypal_me_url"].strip()

    def clean_bank_transfer_details(self):
        details = self.cleaned_data["bank_transfer_details"].strip()
        if "<" in details and ">" in details:
            raise ValidationError("Please write your bank details as plain text, without HTML tags.")
        return details
