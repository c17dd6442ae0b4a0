"""Production: refuses to start without the secrets it needs."""

from django.core.exceptions import ImproperlyConfigured

from ops.sentry import sentry_init

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
env_str("DATABASE_URL")  # base.py falls back to SQLite; production never does.
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")

# Email goes through Postmark; its tracking webhook must be protected.
env_str("POSTMARK_SERVER_TOKEN")
env_str("ANYMAIL_WEBHOOK_SECRET")
env_str("REDIS_URL")  # the outbox needs a broker and a worker in production

# How many of our proxies add to X-Forwarded-For (1 behind site/'s nginx), and the key nginx shows (ops/proxy.py):
# unset, every visitor would seem to come from nginx and share one rate-limit budget.
env_str("TRUSTED_PROXY_HOPS")
if TRUSTED_PROXY_HOPS:
    env_str("TRUSTED_PROXY_KEY")
    if len(TRUSTED_PROXY_KEY) < 32:
        raise ImproperlyConfigured("TRUSTED_PROXY_KEY must be at least 32 random characters in production.")

# HTTPS only, behind nginx (site/nginx.conf), which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# The load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Shop links are fetched from public addresses only: no test host is ever let through.
if SHOP_LINKS_ALLOWED_TEST_HOSTS:
    raise ImproperlyConfigured("SHOP_LINKS_ALLOWED_TEST_HOSTS is for tests only.")

# Never simulate payments in production, whatever the environment says.
PAYPAL_SIMULATOR = False
# X_FRAME_OPTIONS = "DENY" and the Content-Security-Policy come from base.py.

# Sentry: on when SENTRY_DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE", "") or None,
    )
