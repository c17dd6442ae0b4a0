from wagtail.images.forms import BaseImageForm

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
