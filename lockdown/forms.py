from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from draftjs_exporter.error import ExporterException
from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.images.forms import BaseImageForm

from home.forms import image_file_field
from home.rich_text import page_link_ids_outside, without_page_links_outside

from .access import is_couple


class ImageForm(BaseImageForm):
    """Wagtail's image form, without tags for couples, and with a file field that refuses huge images cheaply.

    Tags are shared by the whole site (filters, "popular tags", autocomplete): a tag one couple
    typed would show up for every other couple. So couples' images carry no tags at all.
    """

    file = image_file_field(widget=BaseImageForm.Meta.widgets["file"])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and is_couple(user):
            self.fields.pop("tags", None)


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
    """The admin's field for every `RichTextField` (registered in `apps.py`).

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


class _URLOrAbsolutePathField(URLOrAbsolutePathField):
    def to_python(self, value):
        # Wagtail's field calls str methods on the value: a post without the field would be a 500.
        return super().to_python(value or "")


class ExternalLinkForm(ExternalLinkChooserForm):
    url = _URLOrAbsolutePathField(required=True, label="URL")
