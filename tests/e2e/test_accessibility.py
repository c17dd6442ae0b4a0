"""Real Chromium on the real site: no serious or critical WCAG 2.2 AA violations, and it works without JavaScript."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from registries.models import RegistryPage

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server.url


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def _first_gift_reserve_link(page) -> str:
    return page.locator("a.gift__reserve").first.get_attribute("href")


def test_guest_journey_has_no_serious_or_critical_violations(demo_site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone, as guests arrive
    registry = RegistryPage.objects.get(slug="alex-and-sam")
    visited = {}
    for name, path in [
        ("home", "/"),
        ("pricing", "/pricing/"),
        ("search", "/search/?query=alex"),
        ("no search results", "/search/?query=nobody-at-all"),
        ("registry", registry.url),
    ]:
        assert page.goto(demo_site + path).status == 200, name
        visited[name] = serious_violations(page)

    page.goto(demo_site + _first_gift_reserve_link(page))
    visited["reserve form"] = serious_violations(page)

    page.fill("#id_quantity", "99")
    page.click("button[type=submit]")
    visited["reserve form with errors"] = serious_violations(page)

    page.fill("#id_name", "Jo Guest")
    page.fill("#id_email", "jo@example.com")
    page.fill("#id_quantity", "1")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks/")
    assert page.locator("h1").inner_text() == "Thank you, Jo!"
    visited["confirmation"] = serious_violations(page)

    page.click("a.private-link")
    visited["manage"] = serious_violations(page)
    page.get_by_role("link", name="Cancel my reservation").click()
    visited["cancel question"] = serious_violations(page)

    assert {name: found for name, found in visited.items() if found} == {}


def test_a_guest_can_find_a_couple_and_reserve_without_javascript(demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/search/")
    page.fill("#id_query", "SAM")
    page.click("form[role=search] button[type=submit]")
    page.click("text=Alex & Sam")
    remaining_before = int(page.locator(".gift__remaining").first.inner_text())
    title = page.locator(".gift .gift__title").first.inner_text()
    page.locator("a.gift__reserve").first.click()
    page.fill("#id_name", "No Script")
    page.fill("#id_email", "noscript@example.com")
    page.click("button[type=submit]")
    page.wait_for_url("**/thanks/")
    page.goto(demo_site + RegistryPage.objects.get(slug="alex-and-sam").url)
    card = page.locator(".gift", has_text=title).first
    if remaining_before > 1:
        assert int(card.locator(".gift__remaining").inner_text()) == remaining_before - 1
    else:
        assert "All given" in card.inner_text()
    context.close()


def test_a_paged_registry_has_no_serious_or_critical_violations(live_server, browser):
    from registries.factories import RegistryPageFactory, gift, make_image, section, unlimited_package

    gifts = [section("Kitchen")]
    gifts += [gift(title=f"Gift {n}", image=make_image(size=(80, 60)), most_wanted=n % 7 == 0) for n in range(30)]
    gifts += [section("Garden")]
    gifts += [gift(title=f"Plant {n}", category="garden") for n in range(30)]
    registry = RegistryPageFactory(gifts=gifts, package=unlimited_package())
    page = browser.new_page(viewport={"width": 390, "height": 844})
    visited = {}
    for name, query in [
        ("first page", ""),
        ("a middle page", "?page=2"),
        ("filtered, still wanted only", "?category=garden&available=1&page=2"),
        ("a page that isn't there", "?page=9"),
    ]:
        page.goto(live_server.url + registry.url + query)
        visited[name] = serious_violations(page)
    page.goto(live_server.url + registry.url)
    page.get_by_role("link", name="Next page of gifts").click()
    page.locator("#gift-list-status", has_text="Gifts 25 to 48").wait_for()
    visited["the next page, fetched in place"] = serious_violations(page)
    assert {name: found for name, found in visited.items() if found} == {}
