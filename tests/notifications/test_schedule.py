"""Celery beat drives the scheduled work: every scheduled task exists, and the sweeper runs every minute."""

from django.conf import settings

from whispergifts.celery_app import app as celery_app


def test_every_scheduled_task_is_a_registered_task():
    celery_app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "notifications.tasks.sweep_outbox",
        "registries.tasks.send_reservation_reminders",
        "registries.tasks.send_couple_digests",
        "metrics.tasks.send_daily_metrics",
        "metrics.tasks.export_daily_metrics",
    }
    assert scheduled <= set(celery_app.tasks)
    assert settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"] == 60.0
