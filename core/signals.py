"""Page, site, redirect and privacy changes make the cached pages they show on stale; an uploaded image gets its
admin thumbnail from a worker."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .caching import (
    REGISTRY_DIRECTORY_SCOPE,
    SITE_SCOPE,
    cache_version_bump,
    registry_content_scope,
    registry_scope,
)
from .renditions import ADMIN_THUMBNAIL_FILTER, renditions_queue


def _shows_site_wide(page) -> bool:
    # A couple's registry has its own scope (bumped by registries.services); it never shows on other pages.
    return getattr(page.specific_class, "site_wide_content", True)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def purge_on_page_change(sender, instance, **kwargs):
    if _shows_site_wide(instance):
        cache_version_bump(SITE_SCOPE)


@receiver(post_delete)
def purge_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and _shows_site_wide(instance):
        cache_version_bump(SITE_SCOPE)


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def purge_on_site_wide_change(sender, **kwargs):
    cache_version_bump(SITE_SCOPE)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_on_privacy_change(sender, instance, **kwargs):
    """A page made private (or public again) must not be served from a copy cached the other way, nor listed.

    Also when an editor sets privacy in the admin, which publishes nothing. A registry has no children, so its
    own restriction concerns only its page; any other page's may cover marketing pages or every registry.
    The registry's content scope too: with only its numbers' scope moved, the page cache would merely
    refresh the gift list of the copy it holds, and keep serving it.
    """
    page = Page.objects.filter(pk=instance.page_id).first()  # gone already while a page is being deleted
    if page is not None and not _shows_site_wide(page):
        cache_version_bump(registry_scope(page.pk), registry_content_scope(page.pk), REGISTRY_DIRECTORY_SCOPE)
    else:
        cache_version_bump(SITE_SCOPE, REGISTRY_DIRECTORY_SCOPE)


@receiver(post_save, sender=get_image_model())
def prepare_admin_thumbnail(sender, instance, **kwargs):
    # Also on a replaced file or a moved focal point, whose renditions are new: a no-op otherwise.
    renditions_queue(wanted={instance.pk: [ADMIN_THUMBNAIL_FILTER]})
