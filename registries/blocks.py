from django.core.validators import URLValidator
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


class ShopURLBlock(blocks.URLBlock):
    """A shop link guests may follow: only http and https."""

    def __init__(self, **kwargs):
        super().__init__(validators=[URLValidator(schemes=["http", "https"])], **kwargs)


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

    class Meta:
        icon = "tag"
        label = "Gift"
        template = "blocks/gift_card.html"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)

    class Meta:
        icon = "title"
        label = "Section"


# What a gift block holds before anyone types in it: the editor fills these in by itself.
GIFT_FIELDS_LEFT_AS_ADDED = {"quantity_wanted", "most_wanted", "category"}


def gift_block_is_empty(child) -> bool:
    """A gift block nobody typed anything into (an edit abandoned halfway): nothing to keep or to fix."""
    return child.block_type == "gift" and not any(
        value not in (None, "") for name, value in child.value.items() if name not in GIFT_FIELDS_LEFT_AS_ADDED
    )


class GiftListBlock(blocks.StreamBlock):
    gift = GiftBlock()
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
