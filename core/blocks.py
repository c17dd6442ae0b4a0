"""Blocks that several apps' pages and settings use (bakerydemo's `base/blocks.py`): links, for now."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


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
