"""Find a couple: guests find LISTED registries by a partner's name; nothing else ever shows."""

import time
import uuid
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from core.caching import cache_version_bump, registry_content_scope
from marketing.factories import MarketingPageFactory
from registries.factories import RegistryPageFactory, make_image
from registries.models import RegistryPage

LISTED = RegistryPage.Visibility.LISTED


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _names(response) -> list[str]:
    return [a.text for a in _soup(response).select(".couple-result__names a")]


def listed(**kwargs) -> RegistryPage:
    return RegistryPageFactory(visibility=LISTED, **kwargs)


def password_protected(**kwargs) -> RegistryPage:
    page = RegistryPageFactory(visibility=RegistryPage.Visibility.PASSWORD, **kwargs)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    return page


@pytest.mark.django_db
class TestFindingACouple:
    def test_part_of_either_name_in_any_case_finds_the_couple(self, client):
        listed(partner_one="Alexandra", partner_two="Samuel", slug="alexandra-and-samuel")
        listed(partner_one="Jo", partner_two="Kim", slug="jo-and-kim")
        for query in ("alex", "ALEXANDRA", "muel", "SaM", "alexandra samuel"):
            assert _names(client.get("/search/", {"query": query})) == ["Alexandra & Samuel"], query

    def test_results_show_names_date_place_link_and_a_webp_thumbnail(self, client):
        page = listed(
            partner_one="Alex",
            partner_two="Sam",
            wedding_date=date(2031, 6, 14),
            place="Brighton",
            hero_image=make_image(size=(800, 600)),
        )
        result = _soup(client.get("/search/", {"query": "alex"})).select_one(".couple-result")
        assert result.select_one("a")["href"] == page.url
        assert result.select_one(".couple-result__when").text == "14 June 2031 · Brighton"
        thumbnail = result.select_one("img")
        assert thumbnail["src"].endswith(".webp") and thumbnail["loading"] == "lazy"

    def test_month_year_and_place_narrow_the_results(self, client):
        listed(partner_one="Alex", partner_two="Sam", wedding_date=date(2031, 6, 14), place="Brighton", slug="a")
        listed(partner_one="Alex", partner_two="Robin", wedding_date=date(2031, 9, 1), place="Leeds", slug="b")
        listed(partner_one="Alex", partner_two="Jo", wedding_date=date(2032, 6, 20), place="Brighton", slug="c")
        assert _names(client.get("/search/", {"query": "alex", "month": "6"})) == ["Alex & Sam", "Alex & Jo"]
        assert _names(client.get("/search/", {"query": "alex", "year": "2031"})) == ["Alex & Sam", "Alex & Robin"]
        assert _names(client.get("/search/", {"query": "alex", "place": "brigh", "year": "2032"})) == ["Alex & Jo"]
        assert _names(client.get("/search/", {"place": "leeds"})) == ["Alex & Robin"]

    def test_an_invalid_year_is_explained_next_to_the_field(self, client):
        soup = _soup(client.get("/search/", {"query": "alex", "year": "nineteen"}))
        assert "Enter a whole number." in soup.select_one(".field--year .field__errors").text

    def test_no_results_suggest_checking_the_spelling_or_asking_for_the_link(self, client):
        listed(partner_one="Alex", partner_two="Sam")
        text = _soup(client.get("/search/", {"query": "Zebedee"})).select_one(".no-results").text
        assert "Check the spelling" in text
        assert "ask them" in text and "link" in text

    def test_marketing_pages_are_found_in_their_own_section(self, client):
        MarketingPageFactory(
            slug="faq", title="Questions", body=[("text", RichText("<p>Every registry has a honeymoon fund.</p>"))]
        )
        listed(partner_one="Honey", partner_two="Moon")
        soup = _soup(client.get("/search/", {"query": "honeymoon"}))
        assert [a.text for a in soup.select(".page-results a")] == ["Questions"]
        assert soup.select_one("#couples-heading") and soup.select_one("#pages-heading")


@pytest.mark.django_db
class TestPrivateRegistriesNeverShow:
    def test_unlisted_and_password_protected_registries_never_appear_on_any_page_in_any_order(self, client):
        for number in range(45):
            listed(
                partner_one=f"Alex{number:02d}",
                partner_two="Sam",
                slug=f"listed-{number}",
                wedding_date=date(2031, 1, 1 + number % 28),
            )
        RegistryPageFactory(partner_one="Alex-hidden", partner_two="Sam", slug="unlisted")
        password_protected(partner_one="Alex-secret", partner_two="Sam", slug="secret")
        # Listed in the field but behind a page password: still private.
        listed_but_restricted = listed(partner_one="Alex-locked", partner_two="Sam", slug="locked")
        PageViewRestriction.objects.create(page=listed_but_restricted, restriction_type="password", password="x")
        RegistryPageFactory(
            partner_one="Alex-draft", partner_two="Sam", slug="draft", visibility=LISTED, live=False, publish=False
        )

        for params in ({"query": "alex"}, {"query": "sam"}, {"query": "alex", "year": "2031"}, {"place": "brighton"}):
            seen = []
            for page_number in range(1, 5):
                seen += _names(client.get("/search/", {**params, "page": page_number}))
            assert len(set(seen)) == 45, params
            assert not [
                name for name in seen if "hidden" in name or "secret" in name or "locked" in name or "draft" in name
            ]

    def test_a_registry_that_becomes_unlisted_disappears_at_once(self, client):
        page = listed(partner_one="Alex", partner_two="Sam")
        assert _names(client.get("/search/", {"query": "alex"})) == ["Alex & Sam"]
        page.visibility = RegistryPage.Visibility.UNLISTED
        page.save_revision().publish()
        assert _names(client.get("/search/", {"query": "alex"})) == []


@pytest.mark.django_db
class TestSearchIsBounded:
    def test_a_10_kb_query_without_spaces_answers_quickly_with_200(self, client):
        listed(partner_one="Alex", partner_two="Sam")
        started = time.monotonic()
        response = client.get("/search/", {"query": "a" * 10_240, "place": "b" * 10_240})
        assert response.status_code == 200
        assert time.monotonic() - started < 5  # generous: the point is it doesn't hang
        assert _soup(response).select_one("#id_query")["value"] == "a" * 100

    def test_query_count_does_not_grow_with_the_number_of_results(self, client):
        for number in range(2):
            listed(partner_one=f"Few{number}", partner_two="Sam", slug=f"few-{number}", hero_image=make_image())
        for number in range(20):
            listed(partner_one=f"Many{number}", partner_two="Sam", slug=f"many-{number}", hero_image=make_image())
        client.get("/search/", {"query": "many"})  # renditions made once
        client.get("/search/", {"query": "few"})

        def count(query):
            with CaptureQueriesContext(connection) as queries:
                # An unknown parameter: answered afresh, never from the page cache.
                response = client.get("/search/", {"query": query, "ref": uuid.uuid4().hex})
            assert response.status_code == 200
            return len(queries)

        def count_with_every_card_made_again(query):
            cache_version_bump(
                *(registry_content_scope(pk) for pk in RegistryPage.objects.values_list("pk", flat=True))
            )
            return count(query)

        assert count("few") == count("many") == 3  # how many match, one page of them, our pages
        # Plus thumbnails, their renditions and the site (for the links): still the same for 2 or 20 cards.
        assert count_with_every_card_made_again("few") == count_with_every_card_made_again("many") == 6
        assert len(_names(client.get("/search/", {"query": "many"}))) == 20


@pytest.mark.django_db
def test_a_page_whose_only_match_is_a_testimonial_is_not_found(client):
    """Guests search for couples: a happy couple quoted on the home page is not the couple they mean."""
    MarketingPageFactory(
        slug="stories",
        title="Stories",
        body=[("testimonial", {"quote": "Our guests loved it", "name": "Priya and Tom", "detail": "Married in Bath"})],
    )
    MarketingPageFactory(slug="faq", title="Questions", body=[("text", RichText("<p>Priya asks about funds.</p>"))])

    soup = _soup(client.get("/search/", {"query": "priya"}))

    assert [a.text for a in soup.select(".page-results a")] == ["Questions"]
