"""In Chromium: a couple pastes a shop's link into a gift, fills it in from the shop's page, corrects the price
and publishes. The shop is a loopback server the tests let through; the browser itself never contacts it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.factories import make_couple
from registries.models import RegistryPage
from tests.registries.shop_server import ShopServer

from .conftest import couple_signs_in, publish_in_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_a_new_gift(page, live_server, couple):
    """The couple logs in, opens their registry's editor and adds an empty gift (gifts-0)."""
    couple_signs_in(page, live_server, couple)
    page.goto(f"{live_server.url}/admin/pages/{couple.registry.pk}/edit/")
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Gift").click()


def test_a_couple_pastes_a_shop_link_checks_what_it_filled_in_and_publishes(live_server, desktop_page, settings):
    couple = make_couple("Ada", "Grace", wedding_date=date.today() + timedelta(days=90))
    page = desktop_page
    csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_violations.append(message))

    with ShopServer() as shop:
        shop.sample_shop()
        settings.SHOP_LINKS_ALLOWED_TEST_HOSTS = (shop.host,)

        _open_a_new_gift(page, live_server, couple)
        page.locator("#gifts-0-value-shop_url").fill(shop.url("/mixer"))
        page.get_by_role("button", name="Fill in this gift from the link").click()

        status = page.locator("[data-shop-link-status]")
        status.get_by_text("Filled in from the shop's page").wait_for()
        assert page.locator("#gifts-0-value-title").input_value() == "Stand mixer & bowl"
        assert page.locator("#gifts-0-value-price").input_value() == "1299.00"
        assert page.locator("#gifts-0-value-shop_name").input_value() == "Kitchen Things"
        chooser = page.locator("#gifts-0-value-image-chooser")
        assert "blank" not in chooser.get_attribute("class")
        assert chooser.locator("[data-chooser-title]").inner_text() == "Stand mixer & bowl"
        assert chooser.locator("img").get_attribute("src")

        # The shop's price was for the deluxe model: the couple correct it before publishing.
        page.locator("#gifts-0-value-price").fill("999.00")
        publish_in_editor(page, live_server, couple.registry.pk)

    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert registry.live
    gift = registry.gifts[0].value
    assert (gift["title"], gift["price"], gift["shop_name"]) == (
        "Stand mixer & bowl",
        Decimal("999.00"),
        "Kitchen Things",
    )
    assert gift["shop_url"] == shop.url("/mixer")
    assert gift["image"].collection == couple.collection
    public = page.goto(f"{live_server.url}{registry.url}")
    assert public.status == 200
    assert page.get_by_role("heading", name="Stand mixer & bowl").is_visible()
    assert csp_violations == []


def test_a_link_the_shop_cant_be_read_from_says_so_and_fills_nothing(live_server, desktop_page, settings):
    couple = make_couple("Ada", "Grace")
    page = desktop_page
    _open_a_new_gift(page, live_server, couple)
    page.locator("#gifts-0-value-shop_url").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name="Fill in this gift from the link").click()

    page.locator("[data-shop-link-status]").get_by_text("That address isn't a public web page").wait_for()
    assert page.locator("#gifts-0-value-title").input_value() == ""
