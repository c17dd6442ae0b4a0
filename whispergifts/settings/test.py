"""Tests: SQLite and local memory by default, PostgreSQL and Redis when CI exports their URLs."""

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Each test sees its own connection state; live-server threads must not keep connections open.
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
ANYMAIL = {"WEBHOOK_SECRET": "postmark:test-webhook-secret"}
# Tests count queries: look for cache version bumps kept in the database only after a cache failure, never by
# the clock (the tests of that check set an interval themselves).
PAGE_CACHE_PENDING_CHECK_SECONDS = None
# Tasks run in-process so tests see their effects; the worker tests start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Payments: sandbox mode with a known receiver; tests that need production behaviour override these.
PAYPAL_TEST = True
PAYPAL_RECEIVER_EMAIL = "payments@whispergifts.test"
PAYPAL_RECEIVER_ID = "WGTESTRECEIVER1"
PAYPAL_SIMULATOR = False
# On SQLite the test database is a file, not memory: the browser tests' live server answers
# requests in parallel threads, and a shared in-memory database fails them ("database table is
# locked") instead of waiting. One file per test run, removed when the run ends.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    import atexit
    import os
    import tempfile
    from pathlib import Path

    _test_db_file = Path(tempfile.gettempdir()) / f"whispergifts-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db_file)}
    atexit.register(_test_db_file.unlink, missing_ok=True)
