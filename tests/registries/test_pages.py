"""Page types: where they live, how they render for guests, and that couples can edit them."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from marketing.models import MarketingPage
from registries.factories import RegistryPageFactory, gift, make_image, registry_index, section
from registries.models import RegistryIndexPage, RegistryPage
from registries.services import reservation_create


class TestPageTree(WagtailPageTestCase):
    def test_home_page_is_the_site_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {RegistryIndexPage, MarketingPage})

    def test_registry_index_lives_under_home_and_holds_only_registries(self):
        self.assertAllowedParentPageTypes(RegistryIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(RegistryIndexPage, {RegistryPage})

    def test_registry_lives_only_under_the_index_and_has_no_children(self):
        self.assertAllowedParentPageTypes(RegistryPage, {RegistryIndexPage})
        self.assertAllowedSubpageTypes(RegistryPage, set())

    def test_marketing_pages_live_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(MarketingPage, {HomePage, MarketingPage})


class TestPagesRenderAndAreEditable(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = registry_index()
        cls.registry = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])

    def test_home_page_renders(self):
        self.assertPageIsRoutable(self.index.get_parent().specific)
        self.assertPageIsRenderable(self.index.get_parent().specific)

    def test_registry_index_is_at_registries(self):
        self.assertEqual(self.index.url, "/registries/")
        self.assertPageIsRenderable(self.index)

    def test_registry_is_at_its_slug_under_registries(self):
        self.assertEqual(self.registry.url, "/registries/alex-and-sam/")
        self.assertPageIsRoutable(self.registry)
        self.assertPageIsRenderable(self.registry)

    def test_registry_is_editable_and_previewable_with_gifts(self):
        post_data = nested_form_data(
            {
                "title": "Alex & Sam",
                "slug": "alex-and-sam",
                "partner_one": "Alex",
                "partner_two": "Sam",
                "wedding_date": "2030-06-01",
                "place": "Brighton",
                "welcome": rich_text("<p>Hello</p>"),
                "currency": "GBP",
                "visibility": "unlisted",
                "gifts": streamfield(
                    [
                        ("section", {"heading": "Kitchen"}),
                        (
                            "gift",
                            {
                                "title": "Teapot",
                                "description": "",
                                "price": "30.00",
                                "quantity_wanted": "2",
                                "shop_name": "",
                                "shop_url": "",
                                "category": "kitchen",
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertPageIsEditable(self.registry, post_data=post_data)
        self.assertPageIsPreviewable(self.registry, post_data=post_data)


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
class TestRegistryPageForGuests:
    def test_each_gift_shows_price_in_the_registry_currency_and_what_is_still_wanted(self, client):
        page = RegistryPageFactory(
            currency="EUR", gifts=[gift(title="Teapot", price=Decimal("1234.50"), quantity_wanted=3)]
        )
        soup = _soup(client.get(page.url))
        card = soup.select_one("[data-gift-id]")
        assert card.select_one(".gift__title").text == "Teapot"
        assert card.select_one(".gift__price").text == "€1,234.50"
        assert card.select_one(".gift__remaining").text == "3"
        assert card.select_one(".gift__reserve")["href"].endswith(f"/reserve/{card['data-gift-id']}/")

    def test_gift_element_carries_its_stable_block_id(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Teapot")])
        block_id = page.gifts[0].id
        assert _soup(client.get(page.url)).select_one("[data-gift-id]")["data-gift-id"] == block_id

    def test_shop_link_opens_safely_in_a_new_tab(self, client):
        page = RegistryPageFactory(gifts=[gift(shop_url="https://shop.example.com/teapot", shop_name="Teapot Co")])
        link = _soup(client.get(page.url)).select_one("a.gift__shop")
        assert link["href"] == "https://shop.example.com/teapot"
        assert link["target"] == "_blank"
        assert set(link["rel"]) == {"noopener", "noreferrer"}

    def test_gift_images_are_responsive_webp_renditions(self, client):
        page = RegistryPageFactory(gifts=[gift(image=make_image(size=(800, 600)))])
        img = _soup(client.get(page.url)).select_one("img.gift__image")
        sources = [part.strip().split() for part in img["srcset"].split(",")]
        assert [width for _, width in sources] == ["320w", "480w", "640w"]
        assert all(url.endswith(".webp") for url, _ in sources)
        assert img["loading"] == "lazy"
        assert "sizes" in img.attrs

    def test_fully_reserved_gifts_say_all_given_at_the_end_of_their_section(self, client):
        page = RegistryPageFactory(
            gifts=[
                section("Kitchen"),
                gift(title="Kettle"),
                gift(title="Toaster"),
                section("Garden"),
                gift(title="Spade", category="garden"),
            ]
        )
        kettle = page.gift_rows.get(title="Kettle")
        reservation_create(
            gift=kettle, name="Jo", email="jo@example.com", quantity=1, message="", idempotency_key=_key()
        )
        soup = _soup(client.get(page.url))
        kitchen = soup.select("section.gift-section")[0]
        assert kitchen.h2.text == "Kitchen"
        assert [t.text for t in kitchen.select(".gift__title")] == ["Toaster", "Kettle"]
        assert "All given" in kitchen.select(".gift")[-1].text
        assert not kitchen.select(".gift")[-1].select(".gift__reserve")

    def test_guests_filter_by_category_without_javascript(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Kettle"), gift(title="Spade", category="garden")])
        soup = _soup(client.get(page.url, {"category": "garden"}))
        assert [t.text for t in soup.select(".gift__title")] == ["Spade"]
        options = [o["value"] for o in soup.select("#filter-category option")]
        assert options == ["", "kitchen", "garden"]

    def test_guests_sort_by_price_both_ways(self, client):
        page = RegistryPageFactory(
            gifts=[
                section("A"),
                gift(title="Mid", price=Decimal("50")),
                section("B"),
                gift(title="Cheap", price=Decimal("5")),
                gift(title="Dear", price=Decimal("500")),
            ]
        )
        up = _soup(client.get(page.url, {"sort": "price_asc"}))
        down = _soup(client.get(page.url, {"sort": "price_desc"}))
        assert [t.text for t in up.select(".gift__title")] == ["Cheap", "Mid", "Dear"]
        assert [t.text for t in down.select(".gift__title")] == ["Dear", "Mid", "Cheap"]

    def test_unknown_filter_values_show_everything(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Kettle")])
        response = client.get(page.url, {"category": "<script>", "sort": "nonsense"})
        assert response.status_code == 200
        assert [t.text for t in _soup(response).select(".gift__title")] == ["Kettle"]

    def test_what_couples_type_is_shown_as_text_not_markup(self, client):
        title = '<script>alert("hi")</script> & {remaining} \ue000card\ue000'
        page = RegistryPageFactory(gifts=[gift(title=title, description="<b>bold</b>", quantity_wanted=2)])
        for _ in range(2):  # freshly rendered, then from the cached layout
            soup = _soup(client.get(page.url, {"sort": "price_asc"}))
            assert soup.select_one(".gift__title").text == title
            assert soup.select_one(".gift__description").text == "<b>bold</b>"
            assert soup.select_one(".gift__reserve .visually-hidden").text == f" {title}"
            assert soup.select_one(".gift__remaining").text == "2"

    def test_a_gift_all_given_after_the_page_was_cached_moves_last_in_every_order(self, client):
        page = RegistryPageFactory(
            gifts=[
                gift(title="Cheap", price=Decimal("5")),
                gift(title="Dear", price=Decimal("500"), category="garden"),
            ]
        )
        for query in ({}, {"sort": "price_asc"}, {"sort": "price_desc"}, {"category": "garden"}):
            client.get(page.url, query)
        reservation_create(
            gift=page.gift_rows.get(title="Cheap"),
            name="Jo",
            email="jo@example.com",
            quantity=1,
            message="",
            idempotency_key=_key(),
        )
        titles = [t.text for t in _soup(client.get(page.url, {"sort": "price_asc"})).select(".gift__title")]
        assert titles == ["Dear", "Cheap"]
        soup = _soup(client.get(page.url))
        assert [t.text for t in soup.select(".gift__title")] == ["Dear", "Cheap"]
        assert "All given" in soup.select(".gift")[-1].text
        assert [t.text for t in _soup(client.get(page.url, {"category": "garden"})).select(".gift__title")] == ["Dear"]

    def test_registry_pages_are_not_indexed_by_search_engines(self, client):
        page = RegistryPageFactory()
        assert _soup(client.get(page.url)).select_one('meta[name="robots"]')["content"] == "noindex"


def _key():
    import uuid

    return uuid.uuid4()


@pytest.mark.django_db
def test_a_preview_shows_the_draft_gifts_not_the_cached_live_ones(client, rf):
    page = RegistryPageFactory(gifts=[gift(title="Kettle")])
    assert "Kettle" in client.get(page.url).content.decode()  # the live list is now cached

    page.gifts = [gift(title="Teapot")]
    page.save_revision()
    draft = page.get_latest_revision_as_object()
    preview = draft.make_preview_request(original_request=rf.get(page.url))

    body = preview.content.decode()
    assert "Teapot" in body
    assert "Kettle" not in body
    assert "Kettle" in client.get(page.url).content.decode()  # guests still see the live registry
