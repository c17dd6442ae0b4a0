from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor every app of ours builds on: it imports none of them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.fields import RichTextField

        from . import signals  # noqa: F401
        from .forms import RichTextFormField

        register_form_field_override(RichTextField, override={"form_class": RichTextFormField})
