"""Keep Gift rows in step with each registry's live revision, and its pictures ready for guests; packages show
on pricing tables anywhere, so changing one makes every cached page stale."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.caching import SITE_SCOPE, cache_version_bump

from .models import Package, RegistryPage
from .services import gifts_deactivate, gifts_sync_from_live_page, registry_privacy_sync, registry_renditions_queue


@receiver(page_published, sender=RegistryPage)
def sync_gifts_on_publish(sender, instance, **kwargs):
    gifts_sync_from_live_page(registry=instance)


@receiver(page_published, sender=RegistryPage)
def sync_privacy_on_publish(sender, instance, **kwargs):
    registry_privacy_sync(registry=instance)


@receiver(page_published, sender=RegistryPage)
def prepare_renditions_on_publish(sender, instance, **kwargs):
    registry_renditions_queue(registry=instance)


@receiver(page_unpublished, sender=RegistryPage)
def deactivate_gifts_on_unpublish(sender, instance, **kwargs):
    # Wagtail also unpublishes (without saving) just before a delete: the row may still say live.
    gifts_deactivate(registry=instance)


@receiver(post_page_move)
def sync_gifts_on_move(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, RegistryPage):
        gifts_sync_from_live_page(registry=instance.specific_deferred)


@receiver(pre_delete, sender=RegistryPage)
def deactivate_gifts_on_delete(sender, instance, **kwargs):
    gifts_deactivate(registry=instance)


@receiver(post_save, sender=Package)
@receiver(post_delete, sender=Package)
def purge_on_package_change(sender, **kwargs):
    cache_version_bump(SITE_SCOPE)
