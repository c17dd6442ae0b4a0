"""The navigation and footer show on every public page: changing them makes every cached page stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.caching import SITE_SCOPE, cache_version_bump

from .models import SiteChrome


@receiver(post_save, sender=SiteChrome)
def purge_on_navigation_change(sender, created, **kwargs):
    # Created on first use with the defaults every page already shows: nothing cached is stale.
    if not created:
        cache_version_bump(SITE_SCOPE)


@receiver(post_delete, sender=SiteChrome)
def purge_on_navigation_delete(sender, **kwargs):
    cache_version_bump(SITE_SCOPE)
