"""Find a couple: listed registries only, in a fixed number of queries however many match."""

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Page

from core.caching import cache_get_many, cache_versions, registry_content_scope
from core.selectors import in_private_section
from registries.listing import SEARCH_CARD_IMAGE_FILTERS
from registries.models import RegistryIndexPage, RegistryPage
from registries.selectors import listed_registries

MAX_NAME_TERMS = 5
CARD_CACHE_TIMEOUT = 60 * 60 * 24
# Part of the key: change it with search/couple_result.html, so a deploy never shows the old markup.
CARD_FORMAT = 1


def registries_matching(*, name: str = "", place: str = "", month: int | None = None, year: int | None = None):
    """Listed registries whose partners' names contain every word of `name` (any case), ordered by date."""
    registries = listed_registries()
    for term in name.split()[:MAX_NAME_TERMS]:
        registries = registries.filter(
            Q(partner_one__icontains=term) | Q(partner_two__icontains=term) | Q(title__icontains=term)
        )
    if place:
        registries = registries.filter(place__icontains=place)
    if month:
        registries = registries.filter(wedding_date__month=month)
    if year:
        registries = registries.filter(wedding_date__year=year)
    return registries.order_by("wedding_date", "partner_one", "pk").only(
        "title", "url_path", "slug", "partner_one", "partner_two", "wedding_date", "place", "hero_image_id"
    )


def couple_cards(registries, *, request, site_version: str) -> str:
    """The registries' result cards in order, from the cache in one round-trip; only missing cards are rendered.

    A card is keyed by its registry's content version (replaced when the couple publishes, unpublishes, moves or
    deletes it) and the site's (the registries' parent page and the site's address make its link), so a cached
    card is never stale. The missing ones get their thumbnails together: two queries however many are missing.
    """
    registries = list(registries)
    versions = cache_versions([registry_content_scope(registry.pk) for registry in registries])
    host = request.get_host()
    keys = {
        registry.pk: (
            f"search-card:{CARD_FORMAT}:{host}:{site_version}:{versions[registry_content_scope(registry.pk)]}"
            f":{registry.pk}"
        )
        for registry in registries
    }
    cards = cache_get_many(list(keys.values()))
    missing = [registry for registry in registries if keys[registry.pk] not in cards]
    if missing:
        rendered = {
            keys[registry.pk]: render_to_string(
                "search/couple_result.html", {"registry": registry, "request": request}
            )
            for registry in with_thumbnails(missing)
        }
        cache.set_many(rendered, timeout=CARD_CACHE_TIMEOUT)
        cards.update(rendered)
    return mark_safe("".join(cards[keys[registry.pk]] for registry in registries))  # noqa: S308 (our own rendering)


def with_thumbnails(registries) -> list:
    """The registries, each with `thumbnail`: its hero image with renditions prefetched (two queries in all)."""
    registries = list(registries)
    image_ids = {registry.hero_image_id for registry in registries if registry.hero_image_id}
    images = {}
    if image_ids:
        images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*SEARCH_CARD_IMAGE_FILTERS)
        images = {image.pk: image for image in images}
    for registry in registries:
        registry.thumbnail = images.get(registry.hero_image_id)
    return registries


def staff_pages_matching(*, query: str, limit: int = 10):
    """Staff's pages (never registries) found by Wagtail's search backend."""
    # Wagtail's search backend takes only plain field filters: the private sections go in as a subquery of ids.
    private = Page.objects.filter(in_private_section()).values("pk")
    pages = Page.objects.live().not_type(RegistryIndexPage, RegistryPage).exclude(pk__in=private)
    return list(pages.search(query)[:limit])
