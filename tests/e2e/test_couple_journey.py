"""End to end in Chromium: a couple signs up, fills their registry in the editor and publishes; a guest reserves."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.images import get_image_model

from registries.factories import registry_index
from registries.models import Gift, RegistryPage, Reservation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_gift(page, *, index: int, title: str, price: str, photo=None):
    """Append a gift block to the StreamField and fill it in; `photo` is uploaded in the image chooser."""
    page.locator("[data-contentpath=gifts] button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Gift").click()
    prefix = f"gifts-{index}-value"
    page.locator(f"#{prefix}-title").fill(title)
    page.locator(f"#{prefix}-price").fill(price)
    page.locator(f"#{prefix}-shop_name").fill("Coffee Corner")
    if photo is not None:
        image_choosers = page.locator("[data-contentpath=gifts] [data-contentpath=image]")
        image_choosers.nth(index).get_by_role("button", name="Choose an image").click()
        modal = page.locator(".modal-dialog")
        modal.get_by_role("tab", name="Upload").click()
        modal.locator("input[type=file]").set_input_files(str(photo))
        title_field = modal.locator("input[name='image-chooser-upload-title']")
        expect(title_field).not_to_have_value("")  # Wagtail fills it from the file name: let it finish first
        title_field.fill(f"{title} photo")
        modal.get_by_role("button", name="Upload").click()
        page.locator(".modal-dialog").wait_for(state="detached")


def test_new_couple_signs_up_fills_their_registry_publishes_and_a_guest_reserves(
    live_server, desktop_page, page, photo_file
):
    registry_index()
    guest, page = page, desktop_page

    # Sign up from the home page.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create a registry").click()
    page.get_by_label("Your email").fill("robin@example.com")
    page.get_by_label("Choose a password").fill("lantern-orchard-velvet-42")
    page.get_by_label("Your first name").fill("Robin")
    page.get_by_label("Your partner's first name").fill("Kim")
    page.get_by_label("Wedding date").fill((timezone.localdate() + timedelta(days=150)).isoformat())
    page.get_by_label("Currency for prices").select_option("GBP")
    expect(page.get_by_label("Your registry's address")).to_have_value("robin-and-kim")  # suggested as they type
    page.get_by_role("button", name="Create our registry").click()

    # They land in their registry's editor, welcomed.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert page.get_by_text("Welcome! Here's how your registry comes to life").is_visible()

    # Publishing waits for their address: they follow the link in the welcome email, and come back.
    assert page.get_by_text("Publishing waits for your email address").is_visible()
    (welcome,) = mail.outbox
    page.goto(live_server.url + re.search(r"/account/confirm-email/[^/\s]+/", welcome.body).group(0))
    expect(page.get_by_text("Thank you: robin@example.com is confirmed.")).to_be_visible()

    add_gift(page, index=0, title="Espresso machine", price="349", photo=photo_file)
    add_gift(page, index=1, title="Linen tea towels", price="12.50")

    page.locator(".w-dropdown-button").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Page 'Robin & Kim' has been published.")).to_be_visible(timeout=15_000)

    registry = RegistryPage.objects.get(slug="robin-and-kim")
    assert registry.live
    assert set(Gift.objects.filter(registry=registry, active=True).values_list("title", flat=True)) == {
        "Espresso machine",
        "Linen tea towels",
    }

    [photo] = get_image_model().objects.all()
    assert photo.title == "Espresso machine photo"
    assert photo.collection.name.startswith("Robin & Kim")

    # A guest on their phone opens the public page, sees both gifts (one with its photo), and reserves one.
    guest.goto(live_server.url + "/registries/robin-and-kim/")
    espresso = guest.locator(".gift", has_text="Espresso machine")
    assert espresso.locator("img.gift__image").count() == 1
    assert guest.locator(".gift", has_text="Linen tea towels").is_visible()
    espresso.get_by_role("link", name="Reserve").click()
    guest.get_by_label("Your name").fill("Jo Guest")
    guest.get_by_label("Your email").fill("jo@example.com")
    guest.get_by_role("button", name="Reserve this gift").click()
    guest.wait_for_url(re.compile(r"/reservations/[^/]+/thanks/$"))

    reservation = Reservation.objects.get()
    assert (reservation.gift.title, reservation.name, reservation.quantity) == ("Espresso machine", "Jo Guest", 1)
    guest.goto(live_server.url + "/registries/robin-and-kim/")
    assert guest.locator(".gift", has_text="Espresso machine").get_by_text("All given").is_visible()
