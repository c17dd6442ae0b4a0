"""A registry shows one page of gifts whatever it holds; its filters, order and pages cover the whole registry."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import StreamValue

from registries.factories import RegistryPageFactory, gift, make_image, reserve, section, unlimited_package
from registries.listing import GIFTS_PER_PAGE
from registries.models import RegistryPage

pytestmark = pytest.mark.django_db


def _registry(count: int, *, images: bool = False, **gift_fields):
    gifts = [
        gift(
            title=f"Gift {number:04d}",
            price=Decimal(10 + number),
            image=make_image(size=(64, 48)) if images else None,
            **gift_fields,
        )
        for number in range(count)
    ]
    return RegistryPageFactory(gifts=gifts, package=unlimited_package())


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _titles(response) -> list[str]:
    return [title.text for title in _soup(response).select(".gift__title")]


def _next_link(response) -> str | None:
    link = _soup(response).select_one(".pagination a[rel=next]")
    return link["href"] if link else None


@pytest.mark.parametrize("count", [50, 200, 1000])
def test_the_first_view_shows_one_page_of_gifts_under_100_kb_whatever_the_registry_holds(client, count):
    page = _registry(count, images=True)
    response = client.get(page.url)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert len(_soup(response).select("li.gift")) == GIFTS_PER_PAGE
    status = _soup(response).select_one("#gift-list-status").text
    assert status == f"Gifts 1 to 24 of {count} · page 1 of {-(-count // GIFTS_PER_PAGE)}"


def test_following_the_page_links_without_javascript_shows_every_gift_once_in_order(client):
    page = _registry(60)
    seen, url, pages = [], page.url, 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += _titles(response)
        url, pages = _next_link(response), pages + 1
    assert pages == 3
    assert seen == [f"Gift {number:04d}" for number in range(60)]
    last = _soup(client.get(page.url, {"page": "3"}))
    assert last.select_one(".pagination a[rel=prev]")["href"] == f"{page.url}?page=2"
    assert last.select_one(".pagination a[aria-current=page]").text == "Page 3"


def test_page_links_keep_the_filters_and_the_order(client):
    page = _registry(60, category="garden")
    response = client.get(page.url, {"category": "garden", "sort": "price_desc", "available": "1"})
    assert _next_link(response) == f"{page.url}?category=garden&sort=price_desc&available=1&page=2"
    assert _titles(client.get(_next_link(response)))[0] == "Gift 0035"


def test_the_price_order_covers_the_whole_registry_not_one_page(client):
    page = _registry(60)
    assert _titles(client.get(page.url, {"sort": "price_desc"}))[:2] == ["Gift 0059", "Gift 0058"]
    assert _titles(client.get(page.url, {"sort": "price_asc", "page": "3"}))[-1] == "Gift 0059"


def test_the_category_filter_covers_the_whole_registry(client):
    gifts = [gift(title=f"Kettle {number}") for number in range(50)] + [gift(title="Spade", category="garden")]
    page = RegistryPageFactory(gifts=gifts, package=unlimited_package())
    response = client.get(page.url, {"category": "garden"})
    assert _titles(response) == ["Spade"]
    assert _soup(response).select_one(".pagination") is None


def test_the_most_wanted_still_wanted_gifts_lead_each_section_and_given_ones_close_it(client):
    page = RegistryPageFactory(
        gifts=[
            section("Kitchen"),
            gift(title="Kettle"),
            gift(title="Toaster", most_wanted=True),
            gift(title="Teapot"),
            section("Garden"),
            gift(title="Spade", category="garden"),
            gift(title="Hammock", category="garden", most_wanted=True),
        ]
    )
    reserve(page, "Kettle")
    soup = _soup(client.get(page.url))
    sections = [(s.h2.text, [t.text for t in s.select(".gift__title")]) for s in soup.select("section.gift-section")]
    assert sections == [("Kitchen", ["Toaster", "Teapot", "Kettle"]), ("Garden", ["Hammock", "Spade"])]


def test_only_gifts_still_wanted_leaves_out_every_gift_all_given_on_every_page(client):
    page = _registry(30)
    for number in range(10):
        reserve(page, f"Gift {number:04d}")
    response = client.get(page.url, {"available": "1"})
    assert _titles(response) == [f"Gift {number:04d}" for number in range(10, 30)]
    assert "All given" not in response.content.decode()
    assert _soup(response).select_one("#gift-list-status").text == "20 gifts still wanted"
    assert _soup(response).select_one("#filter-available").has_attr("checked")


def test_a_section_split_across_pages_keeps_its_heading_on_both(client):
    gifts = [section("Kitchen"), *(gift(title=f"Pan {number}") for number in range(30))]
    page = RegistryPageFactory(gifts=gifts, package=unlimited_package())
    for query in ({}, {"page": "2"}):
        assert [h2.text for h2 in _soup(client.get(page.url, query)).select(".gift-section h2")] == ["Kitchen"]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("999", "There is no page 999 of this registry's gifts: they fit on 3 pages."),
        ("4", "There is no page 4 of this registry's gifts: they fit on 3 pages."),
        ("abc", "That isn't a page of this registry's gifts."),
        ("0", "That isn't a page of this registry's gifts."),
        ("02", "That isn't a page of this registry's gifts."),
        ("-1", "That isn't a page of this registry's gifts."),
        ("1.5", "That isn't a page of this registry's gifts."),
        ("", "That isn't a page of this registry's gifts."),
    ],
)
def test_a_page_that_isnt_there_answers_404_saying_so_with_a_link_to_the_first(client, value, says):
    page = _registry(60)
    for _ in range(2):  # never stored in the page cache
        response = client.get(page.url, {"page": value})
        assert response.status_code == 404
        assert "X-Page-Cache" not in response
    notice = _soup(response).select_one("#gift-list-status")
    assert notice.strong.text == says
    assert notice.a["href"] == page.url
    assert _soup(response).h1.text == page.couple_names  # still the couple's registry, with its filters


def test_past_the_last_page_of_a_filter_answers_404_too(client):
    page = _registry(30, category="garden")
    response = client.get(page.url, {"category": "garden", "page": "3"})
    assert response.status_code == 404
    assert "There is no page 3 of these gifts: they fit on 2 pages." in response.content.decode()


def test_what_is_still_wanted_stays_live_on_every_page(client):
    page = _registry(60, quantity_wanted=3)
    client.get(page.url, {"page": "2"})
    assert client.get(page.url, {"page": "2"})["X-Page-Cache"] == "hit"
    reserve(page, "Gift 0030", quantity=2)
    response = client.get(page.url, {"page": "2"})
    assert response["X-Page-Cache"] == "refreshed"
    card = _soup(response).select_one(f'[data-gift-id="{page.gift_rows.get(title="Gift 0030").block_id}"]')
    assert card.select_one(".gift__remaining").text == "1"


def test_a_refreshed_page_of_gifts_is_exactly_what_a_full_render_gives(client):
    page = _registry(60, quantity_wanted=1)
    query = {"sort": "price_asc", "page": "2"}
    client.get(page.url, query)
    reserve(page, "Gift 0030")  # all given: it moves to the end, and a gift from page 3 moves up
    refreshed = client.get(page.url, query)
    assert refreshed["X-Page-Cache"] == "refreshed"
    assert "Gift 0030" not in _titles(refreshed)
    assert _titles(refreshed)[-1] == "Gift 0048"
    rendered = client.get(page.url, {**query, "ref": "a-query-string-never-stored"})
    assert "X-Page-Cache" not in rendered
    assert refreshed.content == rendered.content


def test_pages_are_stored_only_as_the_links_and_the_filter_form_write_them(client):
    page = _registry(30)
    for query, stored in [
        ({"page": "2"}, True),
        ({"category": "", "sort": "", "available": "1", "page": "2"}, True),  # the form, without JavaScript
        ({"page": "2", "utm_source": "invitation"}, False),
        ({"available": "yes"}, False),
    ]:
        client.get(page.url, query)
        assert (client.get(page.url, query).get("X-Page-Cache") == "hit") is stored, query


def test_a_published_edit_shows_at_once_on_its_page_and_every_price_follows_the_currency(client):
    page = _registry(30)
    for query in ({}, {"page": "2"}):
        client.get(page.url, query)
    page = RegistryPage.objects.get(pk=page.pk)
    children = [(block.block_type, dict(block.value), block.id) for block in page.gifts]
    children[27][1]["title"] = "Gift 0027, in blue"
    page.gifts = StreamValue(page.gifts.stream_block, children)
    page.currency = "EUR"
    page.save_revision().publish()
    assert "Gift 0027, in blue" in _titles(client.get(page.url, {"page": "2"}))
    prices = [p.text for p in _soup(client.get(page.url)).select(".gift__price")]
    assert prices[0] == "€10" and all(price.startswith("€") for price in prices)


def test_every_reserve_link_leads_to_its_gift_whatever_the_registrys_address(client):
    page = RegistryPageFactory(slug="block-id-and-more", gifts=[gift(title="Kettle"), gift(title="Spade")])
    links = {
        item["data-gift-id"]: item.select_one("a.gift__reserve")["href"]
        for item in _soup(client.get(page.url)).select("li.gift")
    }
    assert links == {block.id: f"/registries/block-id-and-more/reserve/{block.id}/" for block in page.gifts}
