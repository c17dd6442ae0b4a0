"""Marketing pages: staff compose them from blocks, prices come from the Packages snippet, SEO on every page."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from core.factories import home_page, link_value
from home.models import HomePage, SiteChrome
from marketing.factories import MarketingPageFactory, hero
from marketing.models import MarketingPage
from registries.factories import make_image
from registries.models import Package, RegistryIndexPage


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


class TestMarketingPageTypes(WagtailPageTestCase):
    def test_marketing_pages_live_under_home_or_each_other_and_hold_only_marketing_pages(self):
        self.assertAllowedParentPageTypes(MarketingPage, {HomePage, MarketingPage})
        self.assertAllowedSubpageTypes(MarketingPage, {MarketingPage})
        self.assertAllowedSubpageTypes(HomePage, {RegistryIndexPage, MarketingPage})

    def test_staff_can_edit_and_preview_a_page_built_from_blocks(self):
        page = MarketingPageFactory(slug="features", title="Features")
        post_data = nested_form_data(
            {
                "title": "Features",
                "slug": "features",
                "body": streamfield(
                    [
                        ("hero", {"heading": "Hello", "text": "", "call_to_action": {"label": "", "url": ""}}),
                        ("testimonial", {"quote": "Lovely", "name": "Jo", "detail": ""}),
                        (
                            "pricing_table",
                            {"heading": "Pricing", "text": "", "call_to_action": {"label": "", "url": ""}},
                        ),
                    ]
                ),
            }
        )
        self.assertPageIsEditable(page, post_data=post_data)
        self.assertPageIsPreviewable(page, post_data=post_data)


@pytest.mark.django_db
class TestBlocksAsVisitorsSeeThem:
    def test_every_block_renders_its_content(self, client):
        image = make_image(size=(1200, 800))
        faq_page = MarketingPageFactory(slug="faq", title="FAQ")
        page = MarketingPageFactory(
            slug="features",
            body=[
                hero(
                    "Keep the surprise",
                    text="Guests whisper.",
                    image=image,
                    call_to_action=link_value("Read the FAQ", page=faq_page),
                ),
                (
                    "feature_grid",
                    {"heading": "Why", "features": [{"heading": "No doubles", "text": "Never.", "image": image}]},
                ),
                (
                    "image_and_text",
                    {
                        "image": image,
                        "image_alt": "A couple",
                        "heading": "Any shop",
                        "text": RichText("<p>Anything.</p>"),
                        "image_on_right": True,
                    },
                ),
                ("testimonial", {"quote": "We loved it.", "name": "Priya & Tom", "detail": "Bath"}),
                (
                    "faq",
                    {
                        "heading": "Questions",
                        "questions": [{"question": "Is it free?", "answer": RichText("<p>Up to 25 gifts.</p>")}],
                    },
                ),
                (
                    "call_to_action_band",
                    {"heading": "Start today", "text": "", "link": link_value("Sign up", url="/signup/")},
                ),
            ],
        )
        soup = _soup(client.get(page.url))
        assert soup.select_one(".hero h1").text == "Keep the surprise"
        assert soup.select_one(".hero a.button")["href"] == "/faq/"
        assert soup.select_one(".hero a.button").text == "Read the FAQ"
        assert soup.select_one(".feature h3").text == "No doubles"
        assert soup.select_one(".image-and-text--image-right img")["alt"] == "A couple"
        assert "We loved it." in soup.select_one(".testimonial blockquote").text
        assert soup.select_one(".faq details summary").text == "Is it free?"
        assert soup.select_one(".cta-band a")["href"] == "/signup/"
        assert len(soup.find_all("h1")) == 1

    def test_images_are_webp_renditions_with_srcset_and_only_the_first_hero_loads_eagerly(self, client):
        image = make_image(size=(1600, 1000))
        page = MarketingPageFactory(
            body=[
                hero(image=image),
                ("image_and_text", {"image": image, "image_alt": "", "heading": "More", "text": RichText("<p>x</p>")}),
            ]
        )
        images = _soup(client.get(page.url)).select("main img")
        assert [img["loading"] for img in images] == ["eager", "lazy"]
        for img in images:
            candidates = [part.split() for part in img["srcset"].split(",")]
            assert len(candidates) == 3
            assert all(url.endswith(".webp") for url, _ in candidates)
            assert "sizes" in img.attrs

    def test_pricing_table_shows_the_packages_snippet_and_follows_its_changes(self, client):
        page = MarketingPageFactory(slug="pricing", body=[("pricing_table", {"heading": "Pricing", "text": ""})])
        names = [p.text for p in _soup(client.get(page.url)).select(".package__name")]
        assert names == list(Package.objects.values_list("name", flat=True))

        plus = Package.objects.get(name="Plus")
        plus.price = Decimal("35.00")
        plus.save()
        prices = [p.text for p in _soup(client.get(page.url)).select(".package__price")]
        assert "£35 one-off" in prices

    def test_a_page_without_a_hero_still_has_its_title_as_heading(self, client):
        page = MarketingPageFactory(title="About us", body=[("testimonial", {"quote": "Hi", "name": "Jo"})])
        assert _soup(client.get(page.url)).h1.text == "About us"


@pytest.mark.django_db
class TestSeoOnEveryPage:
    def test_title_description_canonical_and_social_image_rendition(self, client):
        page = MarketingPageFactory(
            slug="about",
            title="About",
            seo_title="About WhisperGifts",
            search_description="Who we are.",
            social_image=make_image(size=(2000, 1400)),
        )
        soup = _soup(client.get(page.url))
        assert soup.title.text.startswith("About WhisperGifts")
        assert soup.select_one('meta[name="description"]')["content"] == "Who we are."
        assert soup.select_one('link[rel="canonical"]')["href"] == "http://testserver/about/"
        assert soup.select_one('meta[property="og:title"]')["content"] == "About WhisperGifts"
        og_image = soup.select_one('meta[property="og:image"]')["content"]
        assert og_image.startswith("http://testserver/") and "fill-1200x630" in og_image
        assert soup.select_one('meta[property="og:image:width"]')["content"] == "1200"
        assert soup.select_one('meta[property="og:image:height"]')["content"] == "630"

    def test_every_page_type_lets_its_editors_choose_a_social_image(self):
        from registries.models import RegistryPage

        for model in (HomePage, MarketingPage, RegistryIndexPage):
            assert "social_image" in [getattr(panel, "field_name", None) for panel in model.promote_panels]
        # Couples have no Promote tab: their registry's sharing photo is under Settings.
        assert "social_image" in [getattr(panel, "field_name", None) for panel in RegistryPage.settings_panels]


@pytest.mark.django_db
class TestNavigationAndFooter:
    def test_staff_edited_links_appear_in_header_and_footer_and_changes_show_at_once(self, client):
        pricing = MarketingPageFactory(slug="pricing", title="Pricing")
        chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
        chrome.navigation = [("link", link_value(page=pricing))]
        chrome.footer_links = [("link", link_value("Our blog", url="https://blog.example.com/"))]
        chrome.footer_text = "Made with love."
        chrome.save()

        soup = _soup(client.get("/"))
        nav = [(a.text, a["href"]) for a in soup.select('nav[aria-label="Main"] a')]
        assert nav == [
            ("Pricing", "/pricing/"),
            ("Find a couple", "/search/"),
            ("Log in", "/admin/login/"),
            ("Create a registry", "/signup/"),
        ]
        assert [(a.text, a["href"]) for a in soup.select(".site-footer nav a")] == [
            ("Our blog", "https://blog.example.com/")
        ]
        assert "Made with love." in soup.select_one(".site-footer").text

        chrome.navigation = [("link", link_value("Prices", page=pricing))]
        chrome.save()
        assert _soup(client.get("/")).select_one('nav[aria-label="Main"] a').text == "Prices"

    def test_a_link_needs_a_page_or_an_address(self):
        from django.core.exceptions import ValidationError

        from core.blocks import LinkBlock

        with pytest.raises(ValidationError):
            LinkBlock().clean(LinkBlock().to_python({"label": "Nowhere", "page": None, "url": ""}))
        with pytest.raises(ValidationError):
            LinkBlock().clean(LinkBlock().to_python({"label": "Bad", "page": None, "url": "javascript:alert(1)"}))
        assert LinkBlock().clean(LinkBlock().to_python({"label": "Search", "page": None, "url": "/search/"}))


@pytest.mark.django_db
def test_load_demo_builds_a_real_marketing_site_and_can_run_twice(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = home_page()
    assert {p.slug for p in MarketingPage.objects.child_of(home).live()} == {"features", "pricing", "faq", "about"}
    assert MarketingPage.objects.count() == 4
    soup = _soup(client.get("/"))
    assert soup.select_one(".hero h1")
    assert len(soup.select(".package")) == Package.objects.count()
    assert [a.text for a in soup.select('nav[aria-label="Main"] a')][:2] == ["How it works", "Pricing"]
    for path in ("/features/", "/pricing/", "/faq/", "/about/"):
        assert client.get(path).status_code == 200
