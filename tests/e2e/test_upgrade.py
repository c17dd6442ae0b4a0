"""End to end in Chromium: a couple over the free limit upgrades via the PayPal simulator and publishes 30 gifts."""

import re
from datetime import date

import pytest

from accounts.factories import make_couple
from payments.models import Order
from registries.factories import gift
from registries.models import Gift, Package, RegistryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def development_payments(settings):
    """The live server behaves like `make run`: DEBUG on, so the PayPal simulator is available."""
    settings.DEBUG = True
    settings.PAYPAL_SIMULATOR = True
    settings.PAYPAL_TEST = True


def publish(page):
    page.locator(".w-dropdown-button").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()


def test_a_couple_over_the_free_limit_upgrades_through_the_simulator_and_publishes_30_gifts(
    live_server, desktop_page, development_payments
):
    couple = make_couple("Robin", "Kim", email="robin@example.com", password=PASSWORD, wedding_date=date(2031, 6, 1))
    registry = couple.registry
    registry.gifts = [gift(title=f"Gift number {n}") for n in range(1, 31)]
    registry.save_revision(user=couple.user)  # a draft with 30 gifts, 5 over the Free limit
    page = desktop_page

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill("robin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(f"{live_server.url}/admin/pages/{registry.pk}/edit/")
    publish(page)
    error = page.locator("[data-gift-limit-error]")
    error.wait_for()
    assert "up to 25 gifts, and this registry would have 30" in error.inner_text()
    assert not Gift.objects.filter(registry=registry, active=True).exists()

    error.get_by_role("link", name="Upgrade your package").click()
    page.wait_for_url(live_server.url + "/admin/plan/")
    assert "Free package: 0 of 25 gifts published" in page.locator("[data-plan-usage]").inner_text()
    page.get_by_role("button", name="Upgrade to Plus").click()

    page.wait_for_url(re.compile(r"/admin/plan/orders/WG-[0-9A-F]+/$"))
    assert page.get_by_role("button", name="Pay £29 with PayPal").is_visible()
    page.get_by_role("button", name="Simulate PayPal (development)").click()

    page.wait_for_url(live_server.url + "/payments/paypal/simulator/")
    assert page.get_by_text("Simulated PayPal: development only.").is_visible()
    page.get_by_role("button", name="Pay 29.00 GBP (simulated)").click()

    page.wait_for_url(re.compile(r"/admin/plan/orders/WG-[0-9A-F]+/return/$"))
    assert page.get_by_text("Your registry is now on the Plus package").is_visible()
    order = Order.objects.get(registry=registry)
    assert order.status == Order.Status.PAID
    assert RegistryPage.objects.get(pk=registry.pk).package == Package.objects.get(name="Plus")

    page.goto(f"{live_server.url}/admin/pages/{registry.pk}/edit/")
    publish(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert page.get_by_text("published").first.is_visible()
    assert Gift.objects.filter(registry=registry, active=True).count() == 30

    page.goto(live_server.url + "/registries/robin-and-kim/")
    assert page.locator("#gift-list-status").inner_text() == "Gifts 1 to 24 of 30 · page 1 of 2"
    page.goto(live_server.url + "/registries/robin-and-kim/?page=2")
    assert page.get_by_role("heading", name="Gift number 30").is_visible()
    assert page.locator(".gift__title").count() == 6
    page.goto(live_server.url + "/admin/plan/")
    assert "Plus package: 30 of 100 gifts published" in page.locator("[data-plan-usage]").inner_text()
