"""Blocks staff compose public pages from, shared by every app (bakerydemo's `base/blocks.py`).

Nothing here imports `registries` at module level: registries.models imports home.models, which imports this.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class SiteAddressValidator(URLValidator):
    """An http(s) address, or a path on this site such as /search/."""

    def __init__(self):
        super().__init__(schemes=["http", "https"])

    def __call__(self, value):
        if value.startswith("/") and not value.startswith("//"):
            return
        super().__call__(value)


class LinkValue(blocks.StructValue):
    @property
    def href(self) -> str:
        page = self.get("page")
        return page.url if page else self.get("url")

    @property
    def text(self) -> str:
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    """A link to one of our pages or to an address; the label falls back to the page's title."""

    label = blocks.CharBlock(required=False, max_length=60, help_text="Defaults to the page's title.")
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        label="or address",
        help_text="Used when no page is chosen: https://example.com or a path such as /search/.",
        validators=[SiteAddressValidator()],
    )

    class Meta:
        icon = "link"
        value_class = LinkValue
        optional = False

    def clean(self, value):
        value = super().clean(value)
        if self.meta.optional and not any(value.values()):
            return value
        if not value["page"] and not value["url"]:
            raise StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or enter an address.")}
            )
        if not value["page"] and not value["label"]:
            raise StructBlockValidationError(
                block_errors={"label": ValidationError("A link to an address needs a label.")}
            )
        return value


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    image = ImageChooserBlock(required=False)
    call_to_action = LinkBlock(optional=True, label="Call to action", help_text="Optional.")

    class Meta:
        icon = "image"
        template = "blocks/hero_block.html"


class FeatureBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=400)
    image = ImageChooserBlock(required=False, help_text="A small illustration, shown above the heading.")


class FeatureGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    features = blocks.ListBlock(FeatureBlock(), min_num=1)

    class Meta:
        icon = "table"
        template = "blocks/feature_grid_block.html"


class ImageAndTextBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    image_alt = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="Describe the picture for people who can't see it; empty if decorative.",
    )
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    image_on_right = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/image_and_text_block.html"


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    name = blocks.CharBlock(max_length=80)
    detail = blocks.CharBlock(required=False, max_length=120, help_text="e.g. Married in Bath, June 2025")

    class Meta:
        icon = "openquote"
        template = "blocks/testimonial_block.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Questions and answers")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        label = "FAQ list"
        template = "blocks/faq_block.html"


class CallToActionBandBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=300)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        label = "Call-to-action band"
        template = "blocks/cta_band_block.html"


class PricingTableBlock(blocks.StructBlock):
    """The packages as they are in the Packages snippet: prices have one source of truth."""

    heading = blocks.CharBlock(required=False, max_length=120, default="Pricing")
    text = blocks.TextBlock(required=False, max_length=400)
    call_to_action = LinkBlock(optional=True, label="Sign-up link under each package", help_text="Optional.")

    class Meta:
        icon = "list-ul"
        template = "blocks/pricing_table_block.html"

    def get_context(self, value, parent_context=None):
        from registries.models import Package

        context = super().get_context(value, parent_context)
        context["packages"] = list(Package.objects.all())
        return context


class PageBodyBlock(blocks.StreamBlock):
    hero = HeroBlock()
    feature_grid = FeatureGridBlock()
    image_and_text = ImageAndTextBlock()
    testimonial = TestimonialBlock()
    faq = FAQBlock()
    call_to_action_band = CallToActionBandBlock()
    pricing_table = PricingTableBlock()
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol"], template="blocks/text_block.html"
    )
