import uuid

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

GUEST_PASSWORD_MIN_LENGTH = 4


class RegistryPageForm(WagtailAdminPageForm):
    """The couple's editor: a gift's quantity may not drop below what guests already reserved;
    publishing stays within the package's gift limit; a password-protected registry needs a password;
    the address may not be one the site reserves."""

    def clean(self):
        cleaned_data = super().clean()
        self._clean_guest_password(cleaned_data)
        self._clean_reserved_slug(cleaned_data)
        self._clean_gift_quantities(cleaned_data)
        return cleaned_data

    def _clean_guest_password(self, cleaned_data):
        from .models import RegistryPage

        password = (cleaned_data.get("guest_password") or "").strip()
        if "guest_password" in cleaned_data:
            cleaned_data["guest_password"] = password
        if cleaned_data.get("visibility") != RegistryPage.Visibility.PASSWORD:
            return
        if not password:
            self.add_error("guest_password", "Choose a password for your guests, or pick another visibility.")
        elif len(password) < GUEST_PASSWORD_MIN_LENGTH:
            self.add_error(
                "guest_password", f"Please use at least {GUEST_PASSWORD_MIN_LENGTH} characters, so it's hard to guess."
            )

    def _clean_reserved_slug(self, cleaned_data):
        from .selectors import RESERVED_REGISTRY_SLUGS

        if cleaned_data.get("slug") in RESERVED_REGISTRY_SLUGS:
            self.add_error("slug", "This address is reserved for the site itself. Please choose another.")

    def _clean_gift_quantities(self, cleaned_data):
        from .selectors import gift_limit_problem

        gifts = cleaned_data.get("gifts")
        if gifts is not None and "action-publish" in self.data:
            problem = gift_limit_problem(registry=self.instance, gifts=gifts)
            if problem:
                self.add_error(None, ValidationError(problem, code="gift_limit"))
        if gifts is None or not self.instance.pk:
            return

        from .selectors import reserved_quantities_by_block

        reserved = reserved_quantities_by_block(registry=self.instance)
        block_errors = {}
        for index, block in enumerate(gifts):
            if block.block_type != "gift":
                continue
            taken = reserved.get(block.id, 0)
            if block.value["quantity_wanted"] < taken:
                block_errors[index] = StructBlockValidationError(
                    block_errors={
                        "quantity_wanted": ValidationError(
                            f"Guests have already reserved {taken} of this gift, "
                            f"so the quantity wanted can't be lower than {taken}."
                        )
                    }
                )
        if block_errors:
            self.add_error("gifts", StreamBlockValidationError(block_errors=block_errors))


class ReservationForm(forms.Form):
    """What a guest tells us when they whisper a gift. Plain text only."""

    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        help_text="We send your private link to manage this reservation here. The couple never sees it.",
    )
    quantity = forms.IntegerField(label="How many", min_value=1, initial=1)
    message = forms.CharField(
        label="A message for the couple (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, remaining: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.remaining = remaining
        self.fields["quantity"].widget.attrs["max"] = remaining
        self.fields["quantity"].validators.append(self._within_remaining)

    def _within_remaining(self, value):
        if value > self.remaining:
            raise ValidationError(
                f"Only {self.remaining} still wanted, please choose {self.remaining} or fewer.",
                code="too_many",
            )

    def clean_name(self):
        return _plain_single_line(self.cleaned_data["name"], field="name")

    def clean_message(self):
        message = self.cleaned_data["message"]
        if "<" in message and ">" in message:
            raise ValidationError("Please write your message as plain text, without HTML tags.")
        return message


def _plain_single_line(value: str, *, field: str) -> str:
    if any(ch in value for ch in "\r\n\x00"):
        raise ValidationError(f"Your {field} must fit on one line.")
    if "<" in value or ">" in value:
        raise ValidationError(f"Your {field} can't contain < or >.")
    return value.strip()


class OutsideGiftForm(forms.Form):
    """A gift the couple received outside the registry, for the thank-you list."""

    giver = forms.CharField(label="From", max_length=100)
    description = forms.CharField(label="Gift", max_length=200)
    received_on = forms.DateField(label="Received on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
