"""The image upload field every image form uses (through lockdown.forms.ImageForm)."""

import warnings

from django import forms
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField


class ImageFieldSizedFromHeader(WagtailImageField):
    """Wagtail's image field, refusing too many pixels from the file's header first.

    Wagtail measures an upload through Willow, which decodes the whole image: a 700 KB PNG of 169
    megapixels took 3 s and 660 MB only to be refused. Pillow reads the size without decoding.
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
