"""Celery tasks of the shared core: thin wrappers that take ids and call a service."""

from celery import shared_task

from .renditions import renditions_prepare


# Acknowledged on receipt: if making a rendition ever killed the worker, a redelivery would kill it again,
# while a lost task only leaves the rendition to the first request that shows it.
@shared_task(ignore_result=True, acks_late=False)
def prepare_renditions(wanted: dict[str, list[str]]) -> None:
    # JSON keys are strings: image ids come back as text.
    renditions_prepare(wanted={int(image_id): specs for image_id, specs in wanted.items()})
