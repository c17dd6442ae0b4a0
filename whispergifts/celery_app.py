"""The Celery application for our own tasks (Wagtail's own work stays in-process)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whispergifts.settings.dev")

app = Celery("whispergifts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
