from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default = True  # payments' own config; the IPN app's below is named in INSTALLED_APPS
    name = "payments"
    verbose_name = "Payments"

    def ready(self):
        from . import emails, paypal  # noqa: F401 (emails: the kinds of email payments send)

        paypal.connect_signals()


class PayPalIPNConfig(AppConfig):
    """django-paypal's IPN app ships no AppConfig: without one, BigAutoField would ask for a migration."""

    name = "paypal.standard.ipn"
    label = "ipn"
    verbose_name = "PayPal IPN"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from paypal.standard.ipn.models import PayPalIPN

        from .paypal import postback_with_timeout

        # django-paypal has no setting or hook for its postback, which waits for PayPal without a timeout
        # and treats an HTTP error as an answer: its verify() calls the private _postback, so ours replaces
        # it. tests/payments/test_ipn.py fails if an upgrade renames it or stops verify() calling it: then
        # verify the message here, before calling django-paypal's view, with the same request.
        PayPalIPN._postback = postback_with_timeout
