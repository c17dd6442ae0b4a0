from django import forms
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import format_html
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StreamValue
from wagtail.images.blocks import ImageChooserBlock

GIFT_CATEGORIES = [
    ("home", "Home"),
    ("kitchen", "Kitchen"),
    ("dining", "Dining"),
    ("garden", "Garden"),
    ("experiences", "Experiences"),
    ("travel", "Honeymoon & travel"),
    ("charity", "Charity"),
    ("other", "Other"),
]


class ShopLinkInput(forms.URLInput):
    """The shop link, and a button that fills the rest of the gift in from the shop's page (js/shop_link.js)."""

    class Media:
        js = ["js/shop_link.js"]

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '<div class="shop-link" data-shop-link>{}<p><button type="button" class="button button-small '
            'button-secondary" data-shop-link-fill data-shop-link-url="{}">'
            "Fill in this gift from the link</button></p>"
            '<p class="help" data-shop-link-status role="status" aria-live="polite"></p></div>',
            super().render(name, value, attrs, renderer),
            # The registry's number is in the editor's address; the script puts it in place of the 0.
            reverse("registry_shop_link", args=[0]),
        )


# What a guest gives at least towards a fund or group gift, when the couple set no minimum.
DEFAULT_MINIMUM_CONTRIBUTION = 10


class ShopURLBlock(blocks.URLBlock):
    """A shop link guests may follow: only http and https."""

    def __init__(self, **kwargs):
        super().__init__(validators=[URLValidator(schemes=["http", "https"])], **kwargs)
        self.field.widget = ShopLinkInput()


class MoneyBlock(blocks.DecimalBlock):
    """An amount guests give (a goal, a minimum): at least 1, in the registry's currency; optional unless told."""

    def __init__(self, *, required: bool = False, **kwargs):
        super().__init__(required=required, min_value=1, max_digits=10, decimal_places=2, **kwargs)


class GiftBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock(required=False, max_length=1000)
    image = ImageChooserBlock(required=False)
    price = blocks.DecimalBlock(min_value=0, max_digits=10, decimal_places=2)
    quantity_wanted = blocks.IntegerBlock(min_value=1, max_value=999, default=1, label="Quantity wanted")
    shop_name = blocks.CharBlock(required=False, max_length=80)
    shop_url = ShopURLBlock(required=False, label="Shop link")
    most_wanted = blocks.BooleanBlock(required=False, label="Most wanted")
    category = blocks.ChoiceBlock(choices=GIFT_CATEGORIES, default="other")
    group_gift = blocks.BooleanBlock(
        required=False,
        label="Group gift",
        help_text="Guests each give part of its price, paid straight to you, until the whole price is covered.",
    )
    minimum_contribution = MoneyBlock(
        label="Smallest contribution (group gift)", help_text=f"Empty: {DEFAULT_MINIMUM_CONTRIBUTION}."
    )

    class Meta:
        icon = "tag"
        label = "Gift"
        template = "blocks/gift_card.html"


class FundBlock(blocks.StructBlock):
    """Money towards something (a honeymoon, a first home), given by each guest straight to the couple."""

    title = blocks.CharBlock(max_length=120)
    story = blocks.TextBlock(required=False, max_length=2000, help_text="What the fund is for, in your words.")
    image = ImageChooserBlock(required=False)
    goal = MoneyBlock(help_text="Optional: guests see the progress.")
    suggested_amounts = blocks.ListBlock(MoneyBlock(required=True, label="Amount"), default=[])
    minimum_contribution = MoneyBlock(
        label="Smallest contribution", help_text=f"Empty: {DEFAULT_MINIMUM_CONTRIBUTION}."
    )
    category = blocks.ChoiceBlock(choices=GIFT_CATEGORIES, default="travel")

    class Meta:
        icon = "pick"
        label = "Fund"
        template = "blocks/fund_card.html"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)

    class Meta:
        icon = "title"
        label = "Section"


# What a gift block holds before anyone types in it: the editor fills these in by itself.
GIFT_FIELDS_LEFT_AS_ADDED = {"quantity_wanted", "most_wanted", "category", "group_gift"}


def gift_block_is_empty(child) -> bool:
    """A gift block nobody typed anything into (an edit abandoned halfway): nothing to keep or to fix."""
    return child.block_type == "gift" and not any(
        value not in (None, "") for name, value in child.value.items() if name not in GIFT_FIELDS_LEFT_AS_ADDED
    )


class GiftListBlock(blocks.StreamBlock):
    gift = GiftBlock()
    fund = FundBlock()
    section = SectionBlock()

    def clean(self, value):
        """Empty gift blocks are dropped rather than refused; errors stay on the blocks as posted."""
        kept = [index for index, child in enumerate(value) if not gift_block_is_empty(child)]
        if len(kept) == len(value):
            return super().clean(value)
        remaining = StreamValue(self, [(value[i].block_type, value[i].value, value[i].id) for i in kept])
        try:
            return super().clean(remaining)
        except StreamBlockValidationError as error:
            raise StreamBlockValidationError(
                block_errors={kept[index]: child_error for index, child_error in error.block_errors.items()},
                non_block_errors=error.non_block_errors,
            ) from error
