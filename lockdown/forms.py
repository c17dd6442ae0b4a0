from wagtail.images.forms import BaseImageForm

from home.forms import image_file_field

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
