import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError, StreamValue, StructBlockValidationError, StructValue

from core.currency import format_money
from core.forms import RichTextFormField
from core.permissions import images_user_may_choose

GUEST_PASSWORD_MIN_LENGTH = 4
OWN_PHOTOS_ONLY = "Please choose one of your own photos."


class RegistryPageForm(WagtailAdminPageForm):
    """The couple's editor: a gift's quantity may not drop below what guests already reserved;
    publishing stays within the package's gift limit; a password-protected registry needs a password;
    the address may not be one the site reserves.

    For a couple, every photo must be one they may choose (their own collection) and every page link
    one of the pages they can see; anything else is refused, and not shown back, since the image
    chooser and the rich text editor would show what that id stands for.
    """

    IMAGE_FIELDS = ("hero_image", "social_image")

    def __init__(self, *args, **kwargs):
        from .selectors import is_couple  # selectors import the models, which name this form

        super().__init__(*args, **kwargs)
        self._choosable_image_ids = None  # None: any image (staff)
        if self.for_user is not None and is_couple(self.for_user):
            self._narrow_for_couple(self.for_user)

    def _narrow_for_couple(self, user):
        from .selectors import couple_page_ids_in_sight

        choosable = images_user_may_choose(user)
        self._choosable_image_ids = frozenset(str(pk) for pk in choosable.values_list("pk", flat=True))
        for name in self.IMAGE_FIELDS:
            if name in self.fields:
                self.fields[name].queryset = choosable
                self.fields[name].error_messages["invalid_choice"] = OWN_PHOTOS_ONLY
                self.fields[name].bound_field_class = _ShowsOnlyChoosableImages
        if "gifts" in self.fields:
            self.fields["gifts"].bound_field_class = _ShowsOnlyChoosableImages
        linkable = couple_page_ids_in_sight(user)
        for field in self.fields.values():
            if isinstance(field, RichTextFormField):
                field.linkable_page_ids = linkable

    def may_choose_image(self, image) -> bool:
        """`image` is an image or its id, as posted or stored."""
        return self._choosable_image_ids is None or str(getattr(image, "pk", image)) in self._choosable_image_ids

    def clean(self):
        cleaned_data = super().clean()
        self._clean_guest_password(cleaned_data)
        self._clean_reserved_slug(cleaned_data)
        self._clean_gifts(cleaned_data)
        self._name_gifts_with_errors()
        return cleaned_data

    def _name_gifts_with_errors(self):
        """Say which gift needs fixing in the message at the top: the block's own error may be far down
        a long list, folded away."""
        errors = self.errors.get("gifts")
        if not errors or "gifts" not in self.fields:
            return
        posted = list(self["gifts"].data or [])
        gift_numbers = {}
        for index, child in enumerate(posted):
            if child.block_type == "gift":
                gift_numbers[index] = len(gift_numbers) + 1
        for error in errors.as_data():
            for index, block_error in sorted(getattr(error, "block_errors", {}).items()):
                if index in gift_numbers:
                    self.add_error(None, _gift_problem(gift_numbers[index], posted[index], block_error))

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
        from .addresses import RESERVED_REGISTRY_SLUGS

        if cleaned_data.get("slug") in RESERVED_REGISTRY_SLUGS:
            self.add_error("slug", "This address is reserved for the site itself. Please choose another.")

    def _clean_gifts(self, cleaned_data):
        from .publishing import publish_problems
        from .selectors import reserved_quantities_by_block

        gifts = cleaned_data.get("gifts")
        if gifts is None:
            return
        if "action-publish" in self.data:
            for problem in publish_problems(registry=self.instance, gifts=gifts):
                self.add_error(None, problem)

        reserved = reserved_quantities_by_block(registry=self.instance) if self.instance.pk else {}
        block_errors = {}
        for index, block in enumerate(gifts):
            if block.block_type != "gift":
                continue
            errors = {}
            taken = reserved.get(block.id, 0)
            if block.value["quantity_wanted"] < taken:
                errors["quantity_wanted"] = ValidationError(
                    f"Guests have already reserved {taken} of this gift, "
                    f"so the quantity wanted can't be lower than {taken}."
                )
            if block.value["image"] is not None and not self.may_choose_image(block.value["image"]):
                errors["image"] = ValidationError(OWN_PHOTOS_ONLY)
            if errors:
                block_errors[index] = StructBlockValidationError(block_errors=errors)
        if block_errors:
            self.add_error("gifts", StreamBlockValidationError(block_errors=block_errors))


def _gift_problem(number: int, child, error) -> str:
    """ "Gift 4: the title is missing", "Gift 2 (Teapot): the price: Ensure this value is ..."."""
    title = (child.value.get("title") or "").strip()
    name = f"Gift {number} ({title})" if title else f"Gift {number}"
    problems = []
    for field, field_error in getattr(error, "block_errors", {}).items():
        label = child.block.child_blocks[field].label.lower() if field in child.block.child_blocks else field
        for item in field_error.error_list if hasattr(field_error, "error_list") else [field_error]:
            if item.code == "required":
                problems.append(f"the {label} is missing")
            else:
                problems.append(f"the {label}: {' '.join(item.messages)}")
    return f"{name}: {'; '.join(problems) or 'please check it'}."


class _ShowsOnlyChoosableImages(BoundField):
    """Shows a refused photo back as no photo: its chooser would show the photo and its title."""

    def value(self):
        value = super().value()
        if isinstance(value, StreamValue):
            return StreamValue(
                value.stream_block,
                [(block.block_type, self._without_refused_image(block.value), block.id) for block in value],
            )
        return value if value in (None, "") or self.form.may_choose_image(value) else None

    def _without_refused_image(self, value):
        image = value.get("image") if isinstance(value, StructValue) else None
        if image is None or self.form.may_choose_image(image):
            return value
        return StructValue(value.block, [(name, None if name == "image" else v) for name, v in value.items()])


class GuestForm(forms.Form):
    """Who a guest is, and their message for the couple: what every gift form asks. Plain text only."""

    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(
        label="Your email",
        max_length=254,
        help_text="We send your private link to manage this reservation here. The couple never sees it.",
    )
    message = forms.CharField(
        label="A message for the couple (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_name(self):
        return _plain_single_line(self.cleaned_data["name"], field="name")

    def clean_message(self):
        message = self.cleaned_data["message"]
        if "<" in message and ">" in message:
            raise ValidationError("Please write your message as plain text, without HTML tags.")
        return message


class ReservationForm(GuestForm):
    """What a guest tells us when they whisper a gift."""

    quantity = forms.IntegerField(label="How many", min_value=1, initial=1)
    field_order = ["name", "email", "quantity", "message"]

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


class PledgeForm(GuestForm):
    """A guest's promise of an amount towards a fund or group gift: at least the couple's minimum, and for a
    group gift at most what is still needed. The service checks both again, race-free."""

    amount = forms.DecimalField(label="Amount", max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    field_order = ["amount", "name", "email", "message"]

    def __init__(self, *args, minimum: Decimal, remaining: Decimal | None, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum, self.remaining, self.currency = minimum, remaining, currency
        amount = self.fields["amount"]
        amount.label = f"Amount ({currency})"
        amount.help_text = f"At least {format_money(minimum, currency)}" + (
            f", at most {format_money(remaining, currency)}." if remaining is not None else "."
        )
        amount.widget.attrs.update(min=str(minimum), step="0.01", inputmode="decimal")
        if remaining is not None:
            amount.widget.attrs["max"] = str(remaining)
        self.fields[
            "email"
        ].help_text = (
            "We send you how to pay the couple and your private link to manage this pledge. The couple never sees it."
        )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < self.minimum:
            raise ValidationError(f"The smallest contribution is {format_money(self.minimum, self.currency)}.")
        if self.remaining is not None and amount > self.remaining:
            raise ValidationError(f"Only {format_money(self.remaining, self.currency)} is still needed.")
        return amount


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

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise ValidationError("That date is still to come: enter the day you received it.")
        return received_on
