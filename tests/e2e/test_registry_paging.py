"""A guest on a phone pages through a large registry: plain links without JavaScript, in place with it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from registries.factories import RegistryPageFactory, gift, section, unlimited_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(live_server):
    gifts = [section("Home")]
    for number in range(50):
        category = "garden" if number % 2 else "kitchen"
        gifts.append(gift(title=f"Gift {number:02d}", price=Decimal(10 + number), category=category))
    return RegistryPageFactory(gifts=gifts, package=unlimited_package())


def _titles(page) -> list[str]:
    return page.locator(".gift__title").all_inner_texts()


def _status(page) -> str:
    return page.locator("#gift-list-status").inner_text()


def test_without_javascript_the_page_links_are_plain_links_that_walk_the_registry(live_server, browser, registry):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + registry.url)
    assert _titles(page) == [f"Gift {number:02d}" for number in range(24)]

    page.get_by_role("link", name="Next page of gifts").click()
    page.wait_for_url(f"**{registry.url}?page=2")
    assert _titles(page) == [f"Gift {number:02d}" for number in range(24, 48)]
    assert _status(page) == "Gifts 25 to 48 of 50 · page 2 of 3"

    page.get_by_role("link", name="Page 3").click()
    page.wait_for_url(f"**{registry.url}?page=3")
    assert _titles(page) == ["Gift 48", "Gift 49"]

    page.locator("summary", has_text="Filter & sort").click()
    page.select_option("#filter-category", "garden")
    page.check("#filter-available")
    page.get_by_role("button", name="Show gifts").click()
    page.wait_for_url(re.compile(r"category=garden.*available=1"))
    assert _status(page) == "Gifts 1 to 24 of 25 still wanted · page 1 of 2"
    page.get_by_role("link", name="Next page of gifts").click()
    assert _titles(page) == ["Gift 49"]
    assert "page=2" in page.url and "category=garden" in page.url
    context.close()


def test_with_javascript_the_next_page_comes_in_place_with_a_shareable_address_and_focus_on_it(
    live_server, page, registry
):
    page.goto(live_server.url + registry.url)
    page.evaluate("window.stillTheSameDocument = true")

    page.get_by_role("link", name="Next page of gifts").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#gift-list-status")).to_have_text(re.compile(r"^Gifts 25 to 48"))
    assert page.evaluate("window.stillTheSameDocument") is True  # fetched in place, not a page load
    assert page.url == f"{live_server.url}{registry.url}?page=2"
    assert page.evaluate("document.activeElement.id") == "gift-list-status"
    assert _titles(page)[0] == "Gift 24"

    page.keyboard.press("Tab")  # focus carries on from the new gifts: the first one's shop link
    assert page.evaluate("document.activeElement.closest('.gift').dataset.giftId") == page.locator(
        ".gift"
    ).first.get_attribute("data-gift-id")

    page.go_back()
    expect(page.locator("#gift-list-status")).to_have_text(re.compile(r"^Gifts 1 to 24"))
    assert page.url == f"{live_server.url}{registry.url}"
    assert page.evaluate("window.stillTheSameDocument") is True

    page.locator("summary", has_text="Filter & sort").click()
    page.select_option("#filter-category", "garden")
    page.check("#filter-available")
    page.get_by_role("button", name="Show gifts").click()
    expect(page.locator("#gift-list-status")).to_have_text(re.compile(r"of 25 still wanted"))
    assert page.url == f"{live_server.url}{registry.url}?category=garden&available=1"  # no empty parameters
    assert page.evaluate("window.stillTheSameDocument") is True

    shared = page.context.new_page()  # the address, shared: the same gifts
    shared.goto(page.url)
    assert _titles(shared) == _titles(page)
    shared.close()
