"""Performance budgets: queries don't grow with the gifts, and a warm page costs almost nothing."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from core.caching import cache_version_bump, registry_scope
from registries.factories import RegistryPageFactory, gift, make_image, reserve, section, unlimited_package

CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "incr", "has_key", "touch")


def registry_with(count: int):
    gifts = [section("Everything")]
    for number in range(count):
        gifts.append(
            gift(title=f"Gift {number}", image=make_image(title=f"Gift {number}", size=(64, 48)), quantity_wanted=3)
        )
    return RegistryPageFactory(
        slug=f"couple-with-{count}", hero_image=make_image(size=(320, 150)), gifts=gifts, package=unlimited_package()
    )


def _queries_for(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(queries)


def _caches_clear() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


class CacheRoundTrips:
    """Counts every call that would be a network round-trip to Redis, on every cache alias."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.depth = 0  # local memory's get_many() calls get() per key; Redis answers it in one MGET
        for alias in settings.CACHES:
            backend = caches[alias]
            for name in CACHE_CALLS:
                original = getattr(backend, name)
                monkeypatch.setattr(backend, name, self._counting(alias, name, original))

    def _counting(self, alias, name, original):
        def counted(*args, **kwargs):
            if not self.depth:
                self.calls.append((alias, name))
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1

        return counted


@pytest.mark.django_db
class TestRegistryPageBudgets:
    @pytest.mark.parametrize("query", [{}, {"page": "2"}, {"sort": "price_asc", "available": "1", "page": "2"}])
    def test_a_page_of_gifts_costs_the_same_queries_for_50_200_and_1000_gifts_when_nothing_is_cached(
        self, client, query
    ):
        pages = [registry_with(count) for count in (50, 200, 1000)]
        for page in pages:
            client.get(page.url, query)  # renditions are made once, on the first visit (or by the worker)
        counts = []
        for page in pages:
            _caches_clear()
            counts.append(_queries_for(client, page.url, query))
        assert counts[0] == counts[1] == counts[2], counts
        assert counts[0] <= 16

    def test_right_after_a_publish_that_changed_one_gift_only_its_card_is_made_again(self, client):
        page = registry_with(50)
        client.get(page.url)
        children = [(block.block_type, dict(block.value), block.id) for block in page.gifts]
        children[3][1]["title"] = "Gift 2, in blue"  # children[0] is the section
        _publish_queries(page, children)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert "Gift 2, in blue" in response.content.decode()
        # The pictures loaded to render cards: only the edited gift's; the other cards come from the cache.
        pictures = [
            q["sql"]
            for q in queries
            if q["sql"].startswith('SELECT "wagtailimages_image"."id", "wagtailimages_image"."collection_id"')
        ]
        assert len(pictures) == 1
        assert f"IN ({children[3][1]['image'].pk})" in pictures[0]
        assert len(queries) <= 6

    def test_right_after_a_reservation_the_page_takes_at_most_10_queries(self, client):
        page = registry_with(200)
        client.get(page.url)
        reserve(page, "Gift 7")
        assert _queries_for(client, page.url) <= 10

    def test_a_warm_page_with_200_gifts_makes_no_renditions_and_at_most_3_extra_cache_round_trips(
        self, client, monkeypatch
    ):
        page = registry_with(200)
        client.get(page.url)
        renditions = get_image_model().get_rendition_model().objects.count()

        round_trips = CacheRoundTrips(monkeypatch)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response["X-Page-Cache"] == "hit"
        assert len(queries) == 0
        assert get_image_model().get_rendition_model().objects.count() == renditions
        own_lookup = 1
        assert len(round_trips.calls) - own_lookup <= 3, round_trips.calls

    def test_a_cold_page_after_a_reservation_makes_no_new_renditions(self, client):
        page = registry_with(20)
        client.get(page.url)
        renditions = get_image_model().get_rendition_model().objects.count()
        cache_version_bump(registry_scope(page.pk))
        client.get(page.url)
        assert get_image_model().get_rendition_model().objects.count() == renditions


@pytest.mark.django_db
def test_home_and_marketing_pages_are_served_from_the_cache_without_queries(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for path in ("/", "/features/", "/pricing/"):
        client.get(path)
        assert _queries_for(client, path) == 0


def _publish_queries(page, children) -> int:
    """Queries of publishing `children` ((type, value, id) keep their block ids) as the registry's gifts."""
    from wagtail.blocks import StreamValue

    page = type(page).objects.get(pk=page.pk)
    page.gifts = StreamValue(page.gifts.stream_block, children)
    with CaptureQueriesContext(connection) as queries:
        page.save_revision().publish()
    return len(queries)


def _every_gift_edited_and_two_more(page) -> list:
    children = []
    for block in page.gifts:
        value = dict(block.value)
        if block.block_type == "gift":
            value.update(title=value["title"] + " (new colour)", price=value["price"] + 1)
        children.append((block.block_type, value, block.id))
    return children + [gift(title="Added late"), gift(title="Added later")]


@pytest.mark.django_db
@pytest.mark.usefixtures("postgres")
class TestPublishingBudget:
    def test_publishing_costs_the_same_queries_for_50_and_1000_gifts(self):
        counts = {}
        for count in (50, 1000):
            page = registry_with(count)
            counts[count] = _publish_queries(page, _every_gift_edited_and_two_more(page))
        assert counts[50] == counts[1000], counts

    def test_republishing_unchanged_gifts_costs_the_same_queries_for_50_and_1000_gifts(self):
        counts = {}
        for count in (50, 1000):
            page = registry_with(count)
            counts[count] = _publish_queries(page, [(b.block_type, b.value, b.id) for b in page.gifts])
        assert counts[50] == counts[1000], counts
