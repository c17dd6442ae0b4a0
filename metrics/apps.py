from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "metrics"
    verbose_name = "Staff metrics"

    def ready(self):
        from . import services  # noqa: F401 (the kind of email it sends)
