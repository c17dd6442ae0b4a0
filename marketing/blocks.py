"""The blocks staff compose the home page and marketing pages from."""

from django.urls import reverse
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from core.blocks import LinkBlock
from registries.models import Package
from registries.selectors import registries_managed_by


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

    def get_searchable_content(self, value):
        # Search is for finding couples: a couple quoted on a page would find the page, not the couple.
        return []


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
    call_to_action = LinkBlock(
        optional=True,
        label="Link below the packages",
        help_text="Optional, e.g. to the FAQ. Each package's button goes to sign-up, or a signed-in couple's plan.",
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/pricing_table_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        registry = registries_managed_by(request.user).first() if request else None
        context["cards"] = [_card(package, registry) for package in Package.objects.all()]
        return context


def _card(package: Package, registry) -> dict:
    """A package and where its button leads: visitors sign up (on Free; they upgrade from their plan),
    a signed-in couple goes to their plan, where upgrades are paid for."""
    if registry is None:
        return {"package": package, "href": reverse("signup"), "label": "Create your registry"}
    current = registry.effective_package
    if current and package.pk == current.pk:
        label = "Your plan"
    elif current is None or package.is_upgrade_from(current):
        label = f"Upgrade to {package.name}"
    else:
        label = "See your plan"
    return {"package": package, "href": reverse("couple_plan"), "label": label}


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
