from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.images.forms import BaseImageForm

from core.forms import image_file_field
from registries.selectors import is_couple


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


class _URLOrAbsolutePathField(URLOrAbsolutePathField):
    def to_python(self, value):
        # Wagtail's field calls str methods on the value: a post without the field would be a 500.
        return super().to_python(value or "")


class ExternalLinkForm(ExternalLinkChooserForm):
    url = _URLOrAbsolutePathField(required=True, label="URL")
