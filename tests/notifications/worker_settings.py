"""Settings for the real Celery worker that tests start: the test database, and emails written as files."""

import os

from whispergifts.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
CELERY_TASK_ALWAYS_EAGER = False
