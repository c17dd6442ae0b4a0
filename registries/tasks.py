"""Scheduled work about reservations (celery beat): the reminder loop and the couples' digests."""

from celery import shared_task

from .digests import couple_digests_run
from .reminders import reservation_reminders_run


@shared_task(ignore_result=True)
def send_reservation_reminders() -> None:
    reservation_reminders_run()


@shared_task(ignore_result=True)
def send_couple_digests() -> None:
    couple_digests_run()
