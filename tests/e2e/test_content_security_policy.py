"""In Chromium: guests' pages and the Wagtail admin (editor, preview, userbar) work under our CSP."""

import pytest

from accounts.factories import UserFactory
from registries.factories import RegistryPageFactory, gift, make_image, registry_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def browser_page(desktop_page):
    """A page that records every Content-Security-Policy violation Chromium reports."""
    page = desktop_page
    page.csp_violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    return page


@pytest.fixture
def registry():
    registry_index()
    return RegistryPageFactory(
        slug="alex-and-sam",
        hero_image=make_image(title="Alex and Sam", size=(1280, 600)),
        gifts=[gift(title="Teapot", image=make_image(title="Teapot"))],
    )


def test_guests_see_the_registry_with_styles_and_images_and_no_violations(live_server, browser_page, registry):
    page = browser_page

    page.goto(f"{live_server.url}/registries/alex-and-sam/")

    page.get_by_role("heading", name="Teapot").wait_for()
    images = page.locator("img.gift__image")
    images.first.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "inline"
    assert page.csp_violations == []


def test_editors_edit_and_preview_a_registry_and_use_the_userbar_without_violations(
    live_server, browser_page, registry
):
    editor = UserFactory(email="editor@example.com", is_superuser=True, password=EDITOR_PASSWORD)
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", editor.email)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{registry.pk}/edit/")
    # The StreamField editor is built by the admin's JavaScript: the gift's title field proves it ran.
    assert page.locator("#gifts-0-value-title").input_value() == "Teapot"
    page.locator("[data-side-panel-toggle=preview]").click()
    preview = page.frame_locator("#w-preview-iframe")
    preview.get_by_role("heading", name="Teapot").wait_for()

    page.goto(f"{live_server.url}/registries/alex-and-sam/")
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.locator("wagtail-userbar").locator("button").first.click()
    page.locator("wagtail-userbar").get_by_role("menuitem").first.wait_for()

    assert page.csp_violations == []
