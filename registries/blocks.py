from django import forms
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import format_html
from wagtail import blocks
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


class ShopURLBlock(blocks.URLBlock):
    """A shop link guests may follow: only http and https."""

    def __init__(self, **kwargs):
        super().__init__(validators=[URLValidator(schemes=["http", "https"])], **kwargs)
        self.field.widget = ShopLinkInput()


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


class GiftListBlock(blocks.StreamBlock):
    gift = GiftBlock()
    section = SectionBlock()
