from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registries"

    def ready(self):
        from . import email_links, emails, signals  # noqa: F401
