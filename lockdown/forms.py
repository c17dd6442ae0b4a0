from django import forms
from django.core.exceptions import ValidationError
from wagtail.images.forms import BaseImageForm

from home.rich_text import page_link_ids_outside, without_page_links_outside

from .access import is_couple


class ImageForm(BaseImageForm):
    """Wagtail's image form, without tags for couples.

    Tags are shared by the whole site (filters, "popular tags", autocomplete): a tag one couple
    typed would show up for every other couple. So couples' images carry no tags at all.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and is_couple(user):
            self.fields.pop("tags", None)


class RichTextFormField(forms.CharField):
    """The admin's field for every `RichTextField` (registered in `apps.py`).

    `linkable_page_ids`, when set (for couples), are the only pages its links may name: a link to
    another page is refused, and never shown back, since the editor would look up its address.
    """

    linkable_page_ids: frozenset[int] | None = None

    default_error_messages = {
        "page_out_of_sight": (
            "This links to a page outside your registry. Please remove the link or choose the page again."
        ),
    }

    def validate(self, value):
        super().validate(value)
        if self.linkable_page_ids is not None and page_link_ids_outside(value, self.linkable_page_ids):
            raise ValidationError(self.error_messages["page_out_of_sight"], code="page_out_of_sight")

    def prepare_value(self, value):
        if self.linkable_page_ids is not None and isinstance(value, str):
            value = without_page_links_outside(value, self.linkable_page_ids)
        return super().prepare_value(value)
