"""A couple's first evening with WhisperGifts, in a real Chromium: gifts, a photo, publish, a guest, progress."""

from datetime import date, timedelta

import pytest

from accounts.factories import make_couple
from registries.models import RegistryPage, Reservation

from .conftest import publish_in_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_gift(page, index: int, *, title: str, price: str, quantity: str):
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Gift").click()
    page.locator(f"#gifts-{index}-value-title").fill(title)
    page.locator(f"#gifts-{index}-value-price").fill(price)
    page.locator(f"#gifts-{index}-value-quantity_wanted").fill(quantity)


def test_a_couple_builds_and_publishes_their_registry_and_sees_progress_but_not_who(
    live_server, desktop_page, photo_file
):
    couple = make_couple("Ada", "Grace", wedding_date=date.today() + timedelta(days=90))
    page = desktop_page

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Email").fill(couple.user.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{couple.registry.pk}/edit/")
    _add_gift(page, 0, title="Blue teapot", price="35.00", quantity="1")
    # The gift's own image field (the page's hero image has a chooser too).
    page.locator("[data-contentpath='image'] [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(str(photo_file))
    modal.get_by_label("Title").fill("Our blue teapot")
    modal.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".modal-dialog", state="detached")
    _add_gift(page, 1, title="Picnic blanket", price="60.00", quantity="1")

    publish_in_editor(page, live_server, couple.registry.pk)

    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert registry.live
    public = page.goto(f"{live_server.url}{registry.url}")
    assert public.status == 200
    assert page.get_by_role("heading", name="Blue teapot").is_visible()
    assert page.get_by_role("heading", name="Picnic blanket").is_visible()
    photo = page.locator(".gift img").first
    assert "/images/" in photo.get_attribute("src") and ".original." not in photo.get_attribute("src")

    # A guest whispers the teapot.
    guest = page.context.browser.new_context().new_page()
    guest.goto(f"{live_server.url}{registry.url}")
    guest.get_by_role("link", name="Reserve Blue teapot").click()
    guest.get_by_label("Your name").fill("Margaret Hamilton")
    guest.get_by_label("Your email").fill("margaret@example.com")
    guest.get_by_role("button", name="Reserve this gift").click()
    guest.wait_for_url("**/reservations/**")
    assert Reservation.objects.filter(name="Margaret Hamilton", gift__title="Blue teapot").exists()
    guest.context.close()

    # The couple sees that half their registry is covered, and not by whom.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Reservations").click()
    page.wait_for_url(f"{live_server.url}/admin/reservations/{registry.pk}/")
    body = page.locator("main").inner_text()
    assert "50 % of your registry is covered" in body.replace("\xa0", " ")
    assert "Blue teapot" in body and "Picnic blanket" in body
    assert "Margaret" not in page.content() and "margaret@example.com" not in page.content()
