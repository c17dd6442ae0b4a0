"""Find a couple: listed registries only, in a fixed number of queries however many match."""

from django.db.models import Q
from wagtail.images import get_image_model
from wagtail.models import Page

from registries.selectors import listed_registries

MAX_NAME_TERMS = 5
THUMBNAIL_FILTERS = ("fill-160x120|format-webp", "fill-320x240|format-webp")


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


def with_thumbnails(registries) -> list:
    """The registries, each with `thumbnail`: its hero image with renditions prefetched (two queries in all)."""
    registries = list(registries)
    image_ids = {registry.hero_image_id for registry in registries if registry.hero_image_id}
    images = {}
    if image_ids:
        images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*THUMBNAIL_FILTERS)
        images = {image.pk: image for image in images}
    for registry in registries:
        registry.thumbnail = images.get(registry.hero_image_id)
    return registries


def staff_pages_matching(*, query: str, limit: int = 10):
    """Marketing pages (never registries) found by Wagtail's search backend."""
    from home.models import HomePage
    from marketing.models import MarketingPage

    return list(Page.objects.live().public().type(HomePage, MarketingPage).search(query)[:limit])
