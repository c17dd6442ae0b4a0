from django.apps import AppConfig


class LockdownConfig(AppConfig):
    name = "lockdown"
    verbose_name = "Admin lockdown"

    def ready(self):
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.fields import RichTextField

        from .forms import RichTextFormField

        register_form_field_override(RichTextField, override={"form_class": RichTextFormField})
