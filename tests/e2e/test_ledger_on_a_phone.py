"""A couple reads their thank-you ledger on a phone: every row fits the screen, with nothing to scroll sideways."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.factories import make_couple
from registries.factories import gift, publish_gifts, reserve
from registries.services import outside_gift_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ledger_fits_a_phone_without_scrolling_sideways(live_server, page):
    couple = make_couple("Ada", "Grace", wedding_date=date.today() - timedelta(days=3))  # revealed
    registry = publish_gifts(
        couple.registry,
        gift(title="Cast-iron casserole dish with a lid, extra large", quantity_wanted=2),
        gift(title="Picnic blanket", quantity_wanted=1),
    )
    reserve(
        registry,
        "Cast-iron casserole dish with a lid, extra large",
        name="Bartholomew Fotheringham-Smythe",
        message="Congratulations to you both! May your kitchen always smell of something wonderful. " * 3,
    )
    reserve(registry, "Picnic blanket", name="The Okafor family")
    outside_gift_create(registry=registry, giver="Great-aunt Philippa", description="A hand-stitched quilt")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Email").fill(couple.user.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + reverse("registries_reservations:registry", args=[registry.pk]))

    ledger = page.locator("#ledger-heading + form table")
    assert ledger.locator("tbody tr").count() == 3
    assert ledger.locator("td[data-label=From]", has_text="Bartholomew Fotheringham-Smythe").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    for row in ledger.locator("tbody tr").all():
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The ticks stay on screen, each cell labelled (the column headings are hidden on a phone).
    thanked = ledger.locator("tbody tr").first.locator("td[data-label=Thanked] input")
    assert thanked.is_visible() and thanked.bounding_box()["x"] + thanked.bounding_box()["width"] <= 390
