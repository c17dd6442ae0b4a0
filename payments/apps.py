from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self):
        from . import emails, paypal  # noqa: F401 (emails: the kinds of email payments send)

        paypal.connect_signals()
