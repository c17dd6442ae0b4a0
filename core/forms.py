"""Form fields for the admin whatever app's model they edit: image uploads, and rich text."""

import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from draftjs_exporter.error import ExporterException
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField

from .rich_text import page_link_ids_outside, without_page_links_outside


class ImageFieldSizedFromHeader(WagtailImageField):
    """Wagtail's image field, refusing too many pixels from the file's header first.

    Wagtail measures an upload through Willow, which decodes the whole image, so a small file of huge
    dimensions cost seconds and hundreds of megabytes only to be refused. Pillow reads the size without decoding.
    """

    def to_python(self, data):
        if hasattr(data, "read") and self.max_image_pixels:
            pixels = _pixels_in_header(data)
            if pixels is not None and pixels > self.max_image_pixels:
                raise ValidationError(
                    self.error_messages["file_too_many_pixels"]
                    % {"num_pixels": pixels, "max_pixels_count": self.max_image_pixels},
                    code="file_too_many_pixels",
                )
        return super().to_python(data)


def _pixels_in_header(data) -> int | None:
    """Width × height as the file's header states them, or None if Pillow won't say."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)  # we judge the size ourselves
            width, height = PILImage.open(data).size
    except Exception:  # noqa: BLE001 - Wagtail's own checks explain (Pillow refuses a bomb before decoding it)
        return None
    finally:
        data.seek(0)
    return width * height


def image_file_field(*, widget: forms.Widget) -> ImageFieldSizedFromHeader:
    """The file field for an image form, with the widget Wagtail's own form gives it (title sync and all)."""
    return ImageFieldSizedFromHeader(label="File", widget=widget)


# What Draftail's converter raises on JSON that is not an editor's content (it trusts its input).
UNREADABLE_EDITOR_CONTENT = (ValueError, TypeError, AttributeError, KeyError, IndexError, ExporterException)
_UNREADABLE = object()


class _RichTextBoundField(BoundField):
    @property
    def data(self):
        try:
            return super().data
        except UNREADABLE_EDITOR_CONTENT:
            return _UNREADABLE


class RichTextFormField(forms.CharField):
    """The admin's field for every `RichTextField` (registered in `core/apps.py`).

    The editor posts its content as JSON, which the widget converts to Wagtail's HTML; JSON that no
    editor wrote (a hand-made POST) made it raise, a 500. Here it is an error on the field, and the
    form shows the text as it was.

    `linkable_page_ids`, when set (for couples), are the only pages its links may name: a link to
    another page is refused, and never shown back, since the editor would look up its address.
    """

    linkable_page_ids: frozenset[int] | None = None

    default_error_messages = {
        "unreadable": "This text couldn't be read. Please reload the page and write it again.",
        "page_out_of_sight": (
            "This links to a page outside your registry. Please remove the link or choose the page again."
        ),
    }

    def get_bound_field(self, form, field_name):
        return _RichTextBoundField(form, self, field_name)

    def bound_data(self, data, initial):
        return initial if data is _UNREADABLE else super().bound_data(data, initial)

    def to_python(self, value):
        if value is _UNREADABLE:
            raise ValidationError(self.error_messages["unreadable"], code="unreadable")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if self.linkable_page_ids is not None and page_link_ids_outside(value, self.linkable_page_ids):
            raise ValidationError(self.error_messages["page_out_of_sight"], code="page_out_of_sight")

    def prepare_value(self, value):
        if self.linkable_page_ids is not None and isinstance(value, str):
            value = without_page_links_outside(value, self.linkable_page_ids)
        return super().prepare_value(value)
