import io
import os
from urllib.parse import urlparse

import pytest
from PIL import Image as PILImage

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    # Only loopback is ever contacted: anything else (shops, PayPal itself) is refused.
    context.route(
        "**/*",
        lambda route: route.continue_() if urlparse(route.request.url).hostname in LOOPBACK else route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


@pytest.fixture
def page(browser):
    """A phone, as guests arrive from an invitation."""
    context, page = _new_page(browser, {"width": 390, "height": 844})
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    """A laptop, as couples edit their registry."""
    context, page = _new_page(browser, {"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def photo_file(tmp_path):
    """A photo on disk for a couple to upload through the image chooser."""
    path = tmp_path / "gift-photo.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), "#588b8b").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


MAKE_COUPLE_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (accounts.factories.make_couple's)


def couple_signs_in(page, live_server, couple, password: str = MAKE_COUPLE_PASSWORD) -> None:
    """Sign one of a couple in to the admin, as they would."""
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Email").fill(couple.user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def publish_in_editor(page, live_server, registry_pk: int, **wait) -> None:
    """Press Publish in the page editor ("Publish" sits under "Save draft") and wait for the editor's answer."""
    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{registry_pk}/**", **wait)
