"""Development: `make run` on a laptop, no services needed."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Payments: PayPal's sandbox, and the "simulate PayPal" page so upgrades work without an account.
PAYPAL_TEST = env_bool("PAYPAL_TEST", True)
PAYPAL_RECEIVER_EMAIL = env_str("PAYPAL_RECEIVER_EMAIL", "payments@whispergifts.localhost")
PAYPAL_SIMULATOR = DEBUG and env_bool("PAYPAL_SIMULATOR", True)
# django-debug-toolbar: development only, shown to requests from this machine.
INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
INTERNAL_IPS = ["127.0.0.1", "::1"]
# The toolbar injects inline styles; the browser console still reports what production would block.
CONTENT_SECURITY_POLICY_REPORT_ONLY = True
# Start folded away: the page itself is what a developer opens the site to see.
DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}
