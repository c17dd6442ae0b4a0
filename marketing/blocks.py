"""The blocks staff compose the home page and marketing pages from."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from core.blocks import LinkBlock
from registries.models import Package


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
