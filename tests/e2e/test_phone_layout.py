"""A guest on a phone: a compact header whose menu works without JavaScript, and gifts on the first screen."""

import os

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def phone_without_javascript(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_the_menu_opens_and_closes_without_javascript_from_the_keyboard(demo_site, phone_without_javascript):
    page = phone_without_javascript
    page.goto(demo_site + "/")
    find_a_couple = page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a couple")
    assert not find_a_couple.is_visible()

    page.locator("summary", has_text="Menu").focus()
    page.keyboard.press("Enter")
    assert find_a_couple.is_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Create a registry").is_visible()
    page.keyboard.press("Enter")
    assert not find_a_couple.is_visible()


def test_on_a_laptop_the_links_show_without_opening_anything(demo_site, desktop_page):
    desktop_page.goto(demo_site + "/")
    assert desktop_page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a couple").is_visible()
    assert not desktop_page.locator("summary", has_text="Menu").is_visible()


def test_a_registry_offers_guests_only_what_they_need(demo_site, page):
    page.goto(demo_site + "/registries/alex-and-sam/")
    page.locator("summary", has_text="Menu").click()
    links = page.locator(".site-menu nav a").all_inner_texts()
    assert links == ["Find a couple", "Make your own registry"]


def test_the_header_takes_one_line_of_a_phones_first_screen(demo_site, page):
    page.goto(demo_site + "/registries/alex-and-sam/")
    assert page.locator(".site-header").bounding_box()["height"] < 70  # the brand and one control


def test_the_first_gift_and_how_many_are_still_wanted_show_on_a_phones_first_screen(demo_site, page):
    page.goto(demo_site + "/registries/alex-and-sam/")
    first_gift = page.locator(".gift").first
    title = first_gift.locator(".gift__title").bounding_box()
    still_wanted = first_gift.locator(".gift__status").bounding_box()
    assert title["y"] + title["height"] <= PHONE["height"]
    assert still_wanted["y"] + still_wanted["height"] <= PHONE["height"]


def test_on_a_phone_filter_and_sort_is_one_control_that_works_without_javascript(demo_site, phone_without_javascript):
    page = phone_without_javascript
    page.goto(demo_site + "/registries/alex-and-sam/")
    category = page.get_by_label("Category")
    assert not category.is_visible()

    page.locator("summary", has_text="Filter & sort").click()
    category.select_option(label="Kitchen")
    page.get_by_role("button", name="Show gifts").click()

    assert "category=kitchen" in page.url
    assert category.is_visible(), "the control stays open to show the filter chosen"
    assert page.locator(".gift").count() >= 1


def test_on_a_laptop_the_filters_show_without_opening_anything(demo_site, desktop_page):
    desktop_page.goto(demo_site + "/registries/alex-and-sam/")
    assert desktop_page.get_by_label("Category").is_visible()
    assert not desktop_page.locator("summary", has_text="Filter & sort").is_visible()
