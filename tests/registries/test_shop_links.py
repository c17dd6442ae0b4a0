"""Filling a gift in from a pasted shop link: what each kind of product page gives the couple, in plain words when
something is missing, and a fetch that never reaches anything but public web servers."""

import io
import socket
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from accounts.factories import UserFactory, make_couple
from registries import shop_links
from registries.factories import RegistryPageFactory
from registries.shop_link_views import TOO_MANY
from registries.shop_links import (
    NO_PICTURE,
    NO_PRICE,
    NOT_A_PAGE,
    NOT_PUBLIC,
    NOTHING_FOUND,
    PICTURE_UNUSABLE,
    TOO_LARGE,
    TOO_MANY_REDIRECTS,
    UNREACHABLE,
    Fetched,
    ShopLinkError,
    product_details,
)
from tests.registries.shop_server import ShopServer

pytestmark = pytest.mark.django_db

Image = get_image_model()


@pytest.fixture
def shop(settings):
    with ShopServer() as server:
        server.sample_shop()
        settings.SHOP_LINKS_ALLOWED_TEST_HOSTS = (server.host,)
        yield server


@pytest.fixture
def couple(client):
    client.force_login((couple := make_couple("Robin", "Kim")).user)
    return couple


def paste(client, couple, url):
    return client.post(reverse("registry_shop_link", args=[couple.registry.pk]), {"url": url})


def refused(client, couple, url) -> str:
    response = paste(client, couple, url)
    assert response.status_code == 422
    return response.json()["error"]


class TestWhatAProductPageFillsIn:
    def test_json_ld_product_gives_title_price_currency_shop_and_picture_in_the_couples_collection(
        self, client, couple, shop
    ):
        response = paste(client, couple, shop.url("/mixer"))

        assert response.status_code == 200
        filled = response.json()
        assert filled["title"] == "Stand mixer & bowl"  # JSON-LD's name wins over OpenGraph's and <title>
        assert filled["price"] == "1299.00"
        assert filled["currency"] == "GBP"
        assert filled["shop_name"] == "Kitchen Things"
        assert filled["warnings"] == []
        image = Image.objects.get(pk=filled["image"]["id"])
        assert image.collection == couple.collection
        assert image.title == "Stand mixer & bowl"
        assert (image.width, image.height) == (640, 480)
        assert filled["image"]["preview"]["url"]
        assert filled["image"]["edit_url"] == reverse("wagtailimages:edit", args=[image.pk])

    def test_an_opengraph_only_page_gives_the_same_details(self, client, couple, shop):
        filled = paste(client, couple, shop.url("/sheets")).json()

        assert filled["title"] == "Linen sheets, king size"
        assert (filled["price"], filled["currency"], filled["shop_name"]) == ("89.50", "GBP", "Bedroom Co")
        assert Image.objects.get(pk=filled["image"]["id"]).collection == couple.collection

    def test_a_page_with_only_a_title_fills_the_title_and_asks_for_the_price(self, client, couple, shop):
        filled = paste(client, couple, shop.url("/vase")).json()

        assert filled["title"] == "A hand-thrown vase"
        assert filled["price"] is None
        assert filled["image"] is None
        assert filled["shop_name"] == "127.0.0.1"  # the shop's address, when it doesn't give its name
        assert filled["warnings"] == [NO_PRICE, NO_PICTURE]
        assert NO_PRICE == "This shop didn't tell us the price — please type it in."

    def test_a_picture_that_isnt_one_is_not_stored_and_the_couple_is_told(self, client, couple, shop):
        filled = paste(client, couple, shop.url("/hamper")).json()

        assert filled["title"] == "Picnic hamper"
        assert filled["image"] is None
        assert filled["warnings"] == [NO_PRICE, PICTURE_UNUSABLE]
        assert not Image.objects.exists()

    def test_a_picture_of_too_many_pixels_is_refused_like_an_upload(self, client, couple, shop):
        buffer = io.BytesIO()
        PILImage.new("P", (11000, 11000), 3).save(buffer, format="PNG", optimize=True)
        shop.file("/pictures/huge.png", buffer.getvalue(), content_type="image/png")
        shop.page(
            "/huge", '<meta property="og:title" content="Rug"><meta property="og:image" content="/pictures/huge.png">'
        )

        filled = paste(client, couple, shop.url("/huge")).json()

        assert filled["image"] is None
        assert PICTURE_UNUSABLE in filled["warnings"]
        assert not Image.objects.exists()

    def test_a_price_in_another_currency_is_filled_in_with_a_warning(self, client, couple, shop):
        filled = paste(client, couple, shop.url("/espresso")).json()

        assert (filled["price"], filled["currency"]) == ("349.00", "USD")
        assert (
            "The shop gives its price in USD and your registry is in GBP: please check the price."
            in (filled["warnings"])
        )

    def test_the_shop_sees_an_honest_user_agent(self, client, couple, shop):
        paste(client, couple, shop.url("/vase"))

        path, headers = shop.requests[0]
        assert path == "/vase"
        assert headers["User-Agent"] == "WhisperGifts/1.0 (+http://testserver/)"

    def test_nothing_is_saved_to_the_registry(self, client, couple, shop):
        revisions = couple.registry.revisions.count()

        paste(client, couple, shop.url("/mixer"))

        couple.registry.refresh_from_db()
        assert couple.registry.revisions.count() == revisions
        assert list(couple.registry.gifts) == []

    @pytest.mark.parametrize(
        ("written", "price"),
        [("1299", "1299.00"), ("1,299.00", "1299.00"), ("1.299,00", "1299.00"), ("12,5", "12.50"), ("£ 25", "25.00")],
    )
    def test_prices_are_read_as_shops_write_them(self, written, price):
        page = f'<meta property="og:title" content="Lamp"><meta property="product:price:amount" content="{written}">'

        details = product_details(Fetched("https://shop.example/lamp", "text/html", "utf-8", page.encode()))

        assert details.price == Decimal(price)

    @pytest.mark.parametrize(
        "json_ld",
        [
            '{"@type": ["Product", "Thing"], "name": "Lamp", "offers": {"price": 40, "priceCurrency": "eur"}}',
            '[{"@type": "BreadcrumbList"}, {"@type": "ProductGroup", "name": "Lamp",'
            ' "offers": [{"priceSpecification": {"price": "40.00", "priceCurrency": "EUR"}}]}]',
            '{"@type": "WebPage", "mainEntity": {"@type": "Product", "name": "Lamp",'
            ' "offers": {"@type": "AggregateOffer", "lowPrice": "40", "priceCurrency": "EUR"}}}',
        ],
    )
    def test_json_ld_is_read_however_shops_nest_it(self, json_ld):
        page = f'<script type="application/ld+json">{json_ld}</script><script type="application/ld+json">{{oops'

        details = product_details(Fetched("https://shop.example/lamp", "text/html", None, page.encode()))

        assert (details.title, details.price, details.currency) == ("Lamp", Decimal("40.00"), "EUR")
        assert details.shop_name == "shop.example"


class TestPagesThatCantBeRead:
    def test_up_to_three_redirects_are_followed(self, client, couple, shop):
        shop.redirect("/one", "/two", status=301)
        shop.redirect("/two", shop.url("/three"))
        shop.redirect("/three", "/mixer", status=308)

        assert paste(client, couple, shop.url("/one")).json()["title"] == "Stand mixer & bowl"

    def test_a_fourth_redirect_is_not_followed(self, client, couple, shop):
        for hop in range(4):
            shop.redirect(f"/hop{hop}", f"/hop{hop + 1}")
        shop.redirect("/hop4", "/mixer")

        assert refused(client, couple, shop.url("/hop0")) == TOO_MANY_REDIRECTS
        assert [path for path, _ in shop.requests] == ["/hop0", "/hop1", "/hop2", "/hop3"]

    def test_a_page_larger_than_it_may_be_is_refused_by_its_length(self, client, couple, shop):
        shop.page("/big", "<title>Big</title>" + "x" * (shop_links.MAX_PAGE_BYTES + 1))

        assert refused(client, couple, shop.url("/big")) == TOO_LARGE

    def test_a_page_that_doesnt_say_its_length_is_read_only_up_to_the_limit(self, client, couple, shop):
        body = ("<title>Big</title>" + "x" * (shop_links.MAX_PAGE_BYTES + 1)).encode()
        shop.routes["/endless"] = (200, {"Content-Type": "text/html", "Content-Length": "unsaid"}, body)

        assert refused(client, couple, shop.url("/endless")) == TOO_LARGE

    def test_a_link_to_a_file_is_not_read(self, client, couple, shop):
        shop.file("/manual.pdf", b"%PDF-1.7", content_type="application/pdf")

        assert refused(client, couple, shop.url("/manual.pdf")) == NOT_A_PAGE

    def test_a_page_about_no_product_says_so(self, client, couple, shop):
        shop.page("/empty", "<html><body><p>Hello</p></body></html>")

        assert refused(client, couple, shop.url("/empty")) == NOTHING_FOUND

    def test_a_shop_that_answers_with_an_error_or_not_at_all_is_unreachable(self, client, couple, shop, settings):
        assert refused(client, couple, shop.url("/no-such-page")) == UNREACHABLE

        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        settings.SHOP_LINKS_ALLOWED_TEST_HOSTS = (f"127.0.0.1:{port}",)
        assert refused(client, couple, f"http://127.0.0.1:{port}/") == UNREACHABLE


@pytest.fixture
def no_connection(monkeypatch):
    """Fails the test if the fetcher opens a connection."""

    def connecting(*args, **kwargs):
        raise AssertionError("the fetcher connected")

    monkeypatch.setattr(shop_links, "_open", connecting)


def resolving(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """DNS as `answers` say (name -> addresses); returns the names looked up."""
    looked_up = []

    def getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(shop_links.socket, "getaddrinfo", getaddrinfo)
    return looked_up


class TestOnlyPublicAddresses:
    def test_the_loopback_shop_is_refused_without_the_test_setting(self, client, couple, shop, settings):
        settings.SHOP_LINKS_ALLOWED_TEST_HOSTS = ()

        assert refused(client, couple, shop.url("/mixer")) == NOT_PUBLIC
        assert shop.requests == []

    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/",
            "http://10.0.0.8/admin",
            "http://192.168.1.1/",
            "http://172.16.4.2/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 for 169.254.169.254
            "ftp://shop.example/mixer",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://someone:secret@shop.example/",
            "http://shop.example:22/",
            "not a link",
        ],
    )
    def test_a_link_to_anything_but_a_public_web_server_is_refused_without_connecting(
        self, client, couple, no_connection, url
    ):
        assert refused(client, couple, url) == NOT_PUBLIC

    def test_a_name_that_resolves_to_a_private_address_is_refused(self, client, couple, no_connection, monkeypatch):
        resolving(monkeypatch, {"intranet.shop.example": ["10.1.2.3"]})

        assert refused(client, couple, "https://intranet.shop.example/") == NOT_PUBLIC

    def test_one_private_address_among_public_ones_is_enough_to_refuse(
        self, client, couple, no_connection, monkeypatch
    ):
        resolving(monkeypatch, {"shop.example": ["93.184.215.14", "127.0.0.1"]})

        assert refused(client, couple, "https://shop.example/") == NOT_PUBLIC

    @pytest.mark.parametrize(
        "location", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://localhost:{port}/mixer"]
    )
    def test_a_redirect_to_a_private_address_is_refused_before_following_it(self, client, couple, shop, location):
        shop.redirect("/away", location.replace("{port}", shop.host.split(":")[1]))

        assert refused(client, couple, shop.url("/away")) == NOT_PUBLIC
        assert [path for path, _ in shop.requests] == ["/away"]

    def test_it_connects_to_the_address_it_checked_and_names_the_shop_in_the_host_header(
        self, client, couple, shop, settings, monkeypatch
    ):
        port = shop.host.split(":")[1]
        settings.SHOP_LINKS_ALLOWED_TEST_HOSTS = (f"shop.example:{port}",)
        looked_up = resolving(monkeypatch, {"shop.example": ["127.0.0.1"], "127.0.0.1": ["127.0.0.1"]})

        assert paste(client, couple, f"http://shop.example:{port}/vase").json()["title"] == "A hand-thrown vase"
        # The name once, then the connection to the checked address: nothing resolves the name again.
        assert looked_up == ["shop.example", "127.0.0.1"]
        assert shop.requests[0][1]["Host"] == f"shop.example:{port}"


class TestTheEndpoint:
    def test_another_couples_registry_is_not_found(self, client, couple, shop):
        other = make_couple("Jo", "Lee")

        response = client.post(reverse("registry_shop_link", args=[other.registry.pk]), {"url": shop.url("/mixer")})

        assert response.status_code == 404
        assert shop.requests == []

    def test_someone_logged_out_is_sent_to_log_in(self, shop):
        couple = make_couple("Jo", "Lee")

        response = Client().post(reverse("registry_shop_link", args=[couple.registry.pk]), {"url": shop.url("/mixer")})

        assert response.status_code == 302
        assert shop.requests == []

    def test_a_post_without_the_csrf_token_is_refused(self, couple, shop):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(couple.user)

        response = browser.post(reverse("registry_shop_link", args=[couple.registry.pk]), {"url": shop.url("/mixer")})

        assert response.status_code == 403
        assert shop.requests == []

    def test_staff_filling_in_a_registry_without_a_couple_put_the_picture_in_the_root_collection(self, client, shop):
        registry = RegistryPageFactory()
        client.force_login(UserFactory(is_staff=True, is_superuser=True))

        response = client.post(reverse("registry_shop_link", args=[registry.pk]), {"url": shop.url("/mixer")})

        image = Image.objects.get(pk=response.json()["image"]["id"])
        assert image.collection == Collection.get_first_root_node()

    def test_it_only_answers_posts(self, client, couple):
        assert client.get(reverse("registry_shop_link", args=[couple.registry.pk])).status_code == 405

    def test_a_couple_filling_in_very_many_gifts_is_asked_to_wait(self, client, couple, shop, monkeypatch):
        monkeypatch.setattr("registries.shop_link_views.SHOP_LINKS_PER_HOUR", 2)

        assert paste(client, couple, shop.url("/vase")).status_code == 200
        assert paste(client, couple, shop.url("/vase")).status_code == 200
        response = paste(client, couple, shop.url("/vase"))

        assert response.status_code == 429
        assert response.json()["error"] == TOO_MANY
        assert len(shop.requests) == 2

    def test_an_empty_link_asks_for_one(self, client, couple):
        assert "Paste the link" in refused(client, couple, "  ")

    def test_the_fetcher_raises_plain_words(self):
        with pytest.raises(ShopLinkError, match="isn't a public web page"):
            shop_links.fetch_public(
                "http://127.0.0.1/", accept="text/html", content_types={"text/html"}, max_bytes=10, deadline=0
            )


def test_only_tests_may_let_a_loopback_shop_through():
    from tests.ops.test_settings import PRODUCTION_ENV, settings_value

    allowed = "settings.SHOP_LINKS_ALLOWED_TEST_HOSTS"
    assert settings_value("whispergifts.settings.production", allowed, PRODUCTION_ENV) == "()"
    assert settings_value("whispergifts.settings.dev", allowed, {}) == "()"
