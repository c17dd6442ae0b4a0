"""Search is cached (each result card, and whole pages for anonymous visitors) but never shows anything stale."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from marketing.factories import MarketingPageFactory
from registries.factories import RegistryPageFactory, make_image, registry_index
from registries.models import RegistryPage
from search import views

LISTED = RegistryPage.Visibility.LISTED
# The page cache stores only what the search form sends; an unknown parameter makes every search a fresh one,
# so these tests see the result cards' own cache at work too.
SEARCHES = ({"query": "sam"}, {"query": "sam", "ref": "newsletter"})


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _names(response) -> list[str]:
    return [a.text for a in _soup(response).select(".couple-result__names a")]


def _search_both_ways(client) -> list[list[str]]:
    return [_names(client.get("/search/", params)) for params in SEARCHES]


def _republish(page: RegistryPage, **changes) -> None:
    page = RegistryPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.mark.django_db
class TestTheWholePageCache:
    def test_a_repeated_search_is_answered_from_the_cache_without_a_query(self, client, django_assert_num_queries):
        RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam")
        assert client.get("/search/", {"query": "sam"})["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            response = client.get("/search/", {"query": "sam"})
        assert response["X-Page-Cache"] == "hit"
        assert _names(response) == ["Alex & Sam"]
        assert response["Cache-Control"] == "private, no-cache"

    def test_what_the_form_sends_is_stored_and_nothing_else(self, client):
        stored = ["query=sam", "query=sam&month=&year=&place=", "query=sam&page=2", "place=brighton&year=2031"]
        never = ["query=sam&ref=x", "query=+sam", "query=sam&query=sam", "query=sam&page=02", "query=sam&year=x"]
        for query_string in stored + never:
            for _ in range(2):
                response = client.get(f"/search/?{query_string}")
                assert response.status_code == 200
            assert response.get("X-Page-Cache") == ("hit" if query_string in stored else None), query_string

    def test_free_text_can_only_store_so_many_pages_a_period(self, client, monkeypatch):
        monkeypatch.setattr(views, "SEARCH_PAGES_STORED_PER_PERIOD", 2)
        for query in ("alex", "sam", "jo"):
            client.get("/search/", {"query": query})
        assert client.get("/search/", {"query": "alex"})["X-Page-Cache"] == "hit"
        assert client.get("/search/", {"query": "sam"})["X-Page-Cache"] == "hit"
        response = client.get("/search/", {"query": "jo"})
        assert response.status_code == 200 and "X-Page-Cache" not in response


@pytest.mark.django_db
class TestChangesShowOnTheVeryNextSearch:
    def test_a_newly_listed_registry_shows(self, client):
        page = RegistryPageFactory(partner_one="Alex", partner_two="Sam")  # unlisted
        assert _search_both_ways(client) == [[], []]
        _republish(page, visibility=LISTED)
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]

    def test_a_registry_made_unlisted_or_password_protected_again_disappears(self, client):
        page = RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam")
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]
        _republish(page, visibility=RegistryPage.Visibility.UNLISTED)
        assert _search_both_ways(client) == [[], []]
        _republish(page, visibility=LISTED)
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]
        _republish(page, visibility=RegistryPage.Visibility.PASSWORD, guest_password="s3cret")
        assert _search_both_ways(client) == [[], []]

    def test_a_registry_made_private_in_the_admin_disappears_and_comes_back(self, client):
        page = RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam")
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        assert _search_both_ways(client) == [[], []]
        restriction.delete()
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]

    def test_a_restriction_on_the_registries_index_hides_every_registry(self, client):
        RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam")
        assert _search_both_ways(client) == [["Alex & Sam"], ["Alex & Sam"]]
        PageViewRestriction.objects.create(page=registry_index(), restriction_type=PageViewRestriction.LOGIN)
        assert _search_both_ways(client) == [[], []]

    def test_an_unpublished_or_deleted_registry_disappears(self, client):
        unpublished = RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam", slug="a")
        deleted = RegistryPageFactory(visibility=LISTED, partner_one="Jo", partner_two="Sam", slug="b")
        assert sorted(_names(client.get("/search/", {"query": "sam"}))) == ["Alex & Sam", "Jo & Sam"]
        unpublished.unpublish()
        assert _search_both_ways(client) == [["Jo & Sam"], ["Jo & Sam"]]
        deleted.delete()
        assert _search_both_ways(client) == [[], []]

    def test_a_couple_publishing_new_names_place_and_photo_shows_them(self, client):
        page = RegistryPageFactory(
            visibility=LISTED, partner_one="Alex", partner_two="Sam", place="Leeds", hero_image=make_image()
        )
        before = _soup(client.get("/search/", {"query": "sam"})).select_one(".couple-result img")["src"]
        _search_both_ways(client)
        _republish(page, partner_one="Alexandra", place="Brighton", hero_image=make_image(colour="#123456"))
        for params in SEARCHES:
            card = _soup(client.get("/search/", params)).select_one(".couple-result")
            assert card.select_one(".couple-result__names").text == "Alexandra & Sam"
            assert card.select_one(".couple-result__when").text.endswith("Brighton")
            assert card.select_one("img")["src"] != before

    def test_a_new_address_for_every_registry_shows_in_the_links(self, client):
        page = RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam", slug="alex-and-sam")
        _search_both_ways(client)
        index = registry_index()
        index.slug = "couples"
        index.save_revision().publish()
        for params in SEARCHES:
            link = _soup(client.get("/search/", params)).select_one(".couple-result__names a")["href"]
            assert link == RegistryPage.objects.get(pk=page.pk).url == "/couples/alex-and-sam/"

    def test_a_newly_published_marketing_page_is_found(self, client):
        assert not _soup(client.get("/search/", {"query": "honeymoon"})).select(".page-results a")
        MarketingPageFactory(
            title="Questions", body=[("text", RichText("<p>Every registry has a honeymoon fund.</p>"))]
        )
        soup = _soup(client.get("/search/", {"query": "honeymoon"}))
        assert [a.text for a in soup.select(".page-results a")] == ["Questions"]


@pytest.mark.django_db
def test_cached_cards_cost_no_query_for_their_thumbnails(client):
    RegistryPageFactory(visibility=LISTED, partner_one="Alex", partner_two="Sam", hero_image=make_image())
    client.get("/search/", {"query": "sam", "ref": "first"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"query": "sam", "ref": "second"})
    assert _soup(response).select_one(".couple-result img")["src"].endswith(".webp")
    assert not [query for query in queries.captured_queries if "wagtailimages" in query["sql"]]
