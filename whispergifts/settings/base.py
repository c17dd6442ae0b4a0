"""Settings shared by every environment: secure by default, relaxed in dev.py and test.py.

Every value that differs between machines comes from the environment (see env.py).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

INSTALLED_APPS = [
    "core",
    "lockdown",
    "accounts",
    "home",
    "registries",
    "marketing",
    "search",
    "payments",
    "payments.apps.PayPalIPNConfig",
    "notifications",
    "metrics",
    "anymail",
    "axes",
    "ops",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages straight from the cache (core/caching.py), before sessions, routing and the view
    # timing log: a cached page runs no view (nginx's and gunicorn's access logs still record it), and
    # the log line would be much of what such a page costs.
    "core.caching.PageCacheMiddleware",
    "ops.middleware.ViewTimingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware has checked the host: the Wagtail site without a query (core/sites.py).
    "core.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ops.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Couples reach only the admin URLs on lockdown.access's allow-list.
    "lockdown.middleware.CoupleAdminLockdownMiddleware",
    # Answers a paused log-in with its own page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

# The client's address behind our own proxies (ops/proxy.py): TRUSTED_PROXY_HOPS is 1 behind site/'s nginx, 2 with
# a load balancer in front of it; X-Forwarded-For is read only on requests carrying TRUSTED_PROXY_KEY, which
# nginx adds. With no proxy (0, development) it is never read.
TRUSTED_PROXY_HOPS = int(env_str("TRUSTED_PROXY_HOPS", "0"))
TRUSTED_PROXY_KEY = env_str("TRUSTED_PROXY_KEY", "")
if TRUSTED_PROXY_HOPS:
    MIDDLEWARE[:0] = ["ops.proxy.TrustedProxyMiddleware", "xff.middleware.XForwardedForMiddleware"]
    XFF_TRUSTED_PROXY_DEPTH = TRUSTED_PROXY_HOPS

ROOT_URLCONF = "whispergifts.urls"
WSGI_APPLICATION = "whispergifts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in the repository root unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a log-in for an account or an address with too many failures before any
# password is checked. Its AxesBackend is also a ModelBackend, so sessions started with the first backend
# (force_login, Wagtail's test helpers) find their user.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: sources in static/, collected (hashed, compressed) into staticfiles/.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache and background work: Redis when REDIS_URL is set, otherwise nothing to run.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    _redis_cache_options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        # A Redis outage makes pages slower, never broken.
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wg",
            "OPTIONS": _redis_cache_options,
        },
        "renditions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wg-renditions",
            "TIMEOUT": 60 * 60 * 24 * 7,
            "OPTIONS": _redis_cache_options,
        },
        # The page cache's version tokens (core/caching.py), the same keys as "default" but raising on an
        # outage: a version bump that could not be written has to be known, to be written later.
        "versions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wg",
            "OPTIONS": {**_redis_cache_options, "IGNORE_EXCEPTIONS": False},
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
        "versions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "versions"},
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    # No broker to talk to: run our tasks in-process so `make run` needs no services.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Each worker's in-memory copy of its most used pages and cached layouts (core/caching.py): always checked
# against the shared cache's versions, so it costs memory, never freshness.
PAGE_CACHE_LOCAL_BYTES = int(env_str("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
PAGE_CACHE_LOCAL_VALUES = int(env_str("PAGE_CACHE_LOCAL_VALUES", "256"))
# How often each worker looks in the database for version bumps the cache refused during an outage (one
# small query), so that no worker serves a page the bump was meant to hide for longer than this once Redis is back.
PAGE_CACHE_PENDING_CHECK_SECONDS = int(env_str("PAGE_CACHE_PENDING_CHECK_SECONDS", "10"))

# Wagtail's own background work (search index, references) runs in-process: its handlers
# enqueue without on_commit, so a real queue could run before the data is committed.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Email (notifications app).
# Postmark through django-anymail when POSTMARK_SERVER_TOKEN is set, else the console (or EMAIL_BACKEND).
POSTMARK_SERVER_TOKEN = env_str("POSTMARK_SERVER_TOKEN", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "anymail.backends.postmark.EmailBackend"
    if POSTMARK_SERVER_TOKEN
    else "notifications.console.EmailBackend",  # the text part of each email, printed to the console
)
if env_str("EMAIL_FILE_PATH", ""):  # for django.core.mail.backends.filebased.EmailBackend
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WhisperGifts <hello@whispergifts.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": POSTMARK_SERVER_TOKEN,
    # "user:password" that Postmark's webhook URL carries (https://user:password@host/anymail/postmark/tracking/).
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET", ""),
}
if env_str("POSTMARK_API_URL", ""):
    ANYMAIL["POSTMARK_API_URL"] = env_str("POSTMARK_API_URL")
# Anymail never retries by itself; our task does. Connect and read timeouts in seconds.
ANYMAIL_REQUESTS_TIMEOUT = (3.05, 15)
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "accounts.forms.PasswordResetForm"

# Scheduled work, driven by timestamps in the database (run exactly one `celery beat`).
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "reservation-reminders": {"task": "registries.tasks.send_reservation_reminders", "schedule": 15 * 60.0},
    "couple-digests": {"task": "registries.tasks.send_couple_digests", "schedule": 15 * 60.0},
    "daily-metrics": {"task": "metrics.tasks.send_daily_metrics", "schedule": 15 * 60.0},
    "mixpanel-export": {"task": "metrics.tasks.export_daily_metrics", "schedule": 15 * 60.0},
}
# A broker that is down must not hold up a page: give up publishing quickly, the sweeper retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# Filling a gift in from its shop's page (registries/shop_links.py) fetches only from public addresses. The tests'
# loopback shop ("127.0.0.1:port") is named here by the tests themselves; production refuses any.
SHOP_LINKS_ALLOWED_TEST_HOSTS: tuple[str, ...] = ()

# Metrics export (metrics/mixpanel.py): off unless MIXPANEL_TOKEN is set; then each day's figures (counts only)
# go to Mixpanel's import API from the worker. MIXPANEL_API_URL: https://api-eu.mixpanel.com for EU residency.
MIXPANEL_TOKEN = env_str("MIXPANEL_TOKEN", "")
MIXPANEL_API_URL = env_str("MIXPANEL_API_URL", "https://api.mixpanel.com")
MIXPANEL_REQUESTS_TIMEOUT = (3.05, 15)  # connect, read (seconds)

# Wagtail
WAGTAIL_SITE_NAME = "WhisperGifts"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# What a photo decodes to, not its file size, is what a rendition costs (a 100 KB PNG can be 120 megapixels):
# 40 megapixels takes any phone's standard photo and keeps one rendition near a second and 400 MB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
# A new address is confirmed before it is used (Account & sharing), so Wagtail's profile doesn't offer to change it.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Couples' image form has no tags field: tags are shared by the whole site (see lockdown/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "lockdown.forms.ImageForm"

LOGIN_URL = "wagtailadmin_login"

# Log-in throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords for one account, or from one client
# address, pause log-ins for it for AXES_COOLOFF_TIME; staff can lift a pause under Settings → Log-in pauses.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # Wagtail's login form names the email field "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.login_account"
AXES_CLIENT_IP_CALLABLE = "ops.proxy.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.login_paused"
# Only failures are kept, for as long as they count: no log of who logged in from where.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# Payments (PayPal Payments Standard + IPN). Upgrades are offered once PAYPAL_RECEIVER_EMAIL is set.
PAYPAL_RECEIVER_EMAIL = env_str("PAYPAL_RECEIVER_EMAIL", "")
PAYPAL_RECEIVER_ID = env_str("PAYPAL_RECEIVER_ID", "")  # Optional: also checked when set.
PAYPAL_TEST = env_bool("PAYPAL_TEST", False)  # True: PayPal's sandbox, and only sandbox IPNs are accepted.
PAYPAL_POSTBACK_TIMEOUT = float(env_str("PAYPAL_POSTBACK_TIMEOUT", "10"))
# The development "simulate PayPal" page: only ever with DEBUG on, and production forces it off.
PAYPAL_SIMULATOR = False
# Operations: logging, security headers, view timing (ops/).
# One JSON object per line on stdout, tagged with the request id; supervisord writes it to a file.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own handlers (console when DEBUG, mail_admins) give way to the root's stdout.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Wagtail's in-process tasks log every start and finish; failures still come through.
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every successful log-in; pauses and failures still come through.
        "axes": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Load-balancer probes would drown the timing log.
VIEW_TIMING_UNLOGGED_PATHS = {"/healthz"}

# Media on S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set (several web hosts then share
# it); local disk otherwise. Credentials come from boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
_media_origin = ""
if AWS_STORAGE_BUCKET_NAME:
    _media_domain = env_str("AWS_S3_CUSTOM_DOMAIN", f"{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
    _media_origin = f"https://{_media_domain}"
    STORAGES["default"] = {
        "BACKEND": "ops.storage.MediaStorage",  # originals and documents stay private
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "custom_domain": _media_domain,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "signature_version": "s3v4",  # the signed links to originals and documents
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=2592000"},
        },
    }
    MEDIA_URL = f"{_media_origin}/"


# Framing is denied everywhere; Wagtail's preview views allow same-origin framing themselves.
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY_REPORT_ONLY = False
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": f"'self' data: {_media_origin}".strip(),
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Wagtail's admin (and the userbar editors see on public pages) still uses inline scripts and styles,
# and its accessibility checker compiles templates with `new Function`.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY,
    "script-src": "'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": f"'self' data: blob: {_media_origin}".strip(),
    "frame-src": "'self'",
    "worker-src": "'self' blob:",
}
# No third-party calls from the admin: no Gravatar (it would see editors' email hashes), no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The public site: staff-edited navigation and footer, and the sitemap.
INSTALLED_APPS += ["wagtail.contrib.settings", "wagtail.contrib.sitemaps", "django.contrib.sitemaps"]
# A CDN or caching proxy in front: Wagtail purges a page's URLs from it when the page is published,
# from Cloudflare (zone and token) and/or any proxy that accepts PURGE requests.
_frontend_caches = {}
CLOUDFLARE_ZONE_ID = env_str("CLOUDFLARE_ZONE_ID", "")
if CLOUDFLARE_ZONE_ID:
    _frontend_caches["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": CLOUDFLARE_ZONE_ID,
        "BEARER_TOKEN": env_str("CLOUDFLARE_API_TOKEN"),
    }
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    _frontend_caches["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": FRONTEND_CACHE_PURGE_URL,
    }
if _frontend_caches:
    WAGTAILFRONTENDCACHE = _frontend_caches
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
