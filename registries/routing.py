"""Where a request's registry comes from: its address below the site root, in one query or none."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Left
from wagtail.models import Page

from core.caching import (
    REGISTRY_DIRECTORY_SCOPE,
    SITE_SCOPE,
    cache_versions,
    registry_content_scope,
    versioned_cache_get,
    worker_snapshot,
)

from .models import RegistryPage


def registry_route_from_site_root(root: Page, request, path_components: list[str]):
    """The route to a registry straight from its address below the site root (`<index>/<registry>/…`).

    One query where Wagtail's walk down the tree takes three (HomePage.route asks it first), and none for
    a gift's own page (`reserve/…`), where guests post their reservations: that comes from this worker's
    snapshot (`_registry_snapshot_at`). None when no registry lives there.
    """
    index_slug, registry_slug, *below = path_components
    url_path = f"{root.url_path}{index_slug}/{registry_slug}/"
    if below:
        registry = _registry_snapshot_at(root, url_path, registry_slug)
    else:  # the gift list, the one page showing the hero image
        registry = _registries_at(root, url_path, registry_slug).select_related("hero_image").first()
    return None if registry is None else registry.route(request, below)


def _registries_at(root: Page, url_path: str, slug: str):
    """The registry at this address, annotated with whether any view restriction could apply to it.

    On the site root or above, on its index, or on itself: the usual case, a registry with no password,
    skips the two queries of Wagtail's check (RegistryPage.get_view_restrictions).
    """
    root_and_above = [root.path[:end] for end in range(root.steplen, len(root.path) + 1, root.steplen)]
    index_path = Left(OuterRef("path"), (OuterRef("depth") - 1) * Page.steplen)
    above_and_itself = Page.objects.filter(Q(path__in=root_and_above) | Q(path=index_path) | Q(pk=OuterRef("pk")))
    return RegistryPage.objects.annotate(
        # An alias has its source's restrictions, not its own: Wagtail's check resolves those.
        may_be_restricted=Exists(
            above_and_itself.filter(Q(view_restrictions__isnull=False) | Q(alias_of__isnull=False))
        )
    ).filter(slug=slug, url_path=url_path)


def _registry_snapshot_at(root: Page, url_path: str, slug: str):
    """The registry at this address, as its current versions say it is, without a query when this worker knows.

    Finding and loading a registry costs more than the rest of a reservation, and guests post many at once.
    The address is kept under the versions of all that can move, hide or restrict a registry (the site, and
    the registry directory); the row, without its gift list, under the registry's content version, which
    publishing bumps and so does every change to its state (RegistryPage.STATE_FIELDS).
    """
    versions = cache_versions([SITE_SCOPE, REGISTRY_DIRECTORY_SCOPE])
    address = versioned_cache_get(
        f"registry-address:{versions[SITE_SCOPE]}:{versions[REGISTRY_DIRECTORY_SCOPE]}:{url_path}",
        lambda: _registries_at(root, url_path, slug).values_list("pk", "may_be_restricted").first(),
        shared=False,
    )
    if address is None:
        return None
    registry_id, may_be_restricted = address
    registry = worker_snapshot(
        f"registry-row:{registry_id}",
        [registry_content_scope(registry_id)],
        lambda: RegistryPage.objects.defer("gifts").filter(pk=registry_id).first(),
    )
    if registry is not None:
        registry.may_be_restricted = may_be_restricted
    return registry
