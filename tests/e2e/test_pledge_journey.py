"""Funds and group gifts in a real Chromium: the couple adds them and their PayPal.me link, a guest on a phone
pledges, follows the link (never contacted), says they paid; the couple see totals, then who gave after the reveal."""

from datetime import date, timedelta

import pytest

from accounts.factories import make_couple
from registries.models import Gift, Pledge, RegistryPage

from .conftest import couple_signs_in, publish_in_editor
from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYPAL_ME = "https://paypal.me/adaandgrace"


def _add_block(page, kind: str):
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def test_a_couple_adds_a_fund_and_a_group_gift_and_a_guest_on_a_phone_pledges_and_pays(
    live_server, desktop_page, page
):
    couple = make_couple("Ada", "Grace", wedding_date=date.today() + timedelta(days=90))
    admin = desktop_page
    couple_signs_in(admin, live_server, couple)

    # Their payment details, once, in their account: told plainly that we never touch the money.
    admin.goto(f"{live_server.url}/admin/account/registry/")
    admin.get_by_role("link", name="Your payment details").click()
    assert "WhisperGifts never receives or forwards any money" in admin.locator("main").inner_text()
    admin.get_by_label("PayPal.me link").fill(PAYPAL_ME)
    admin.get_by_label("Bank transfer details").fill("A & G Lovelace\nSort code 12-34-56, account 12345678")
    admin.get_by_role("button", name="Save").click()
    assert "Saved" in admin.locator(".messages").inner_text()

    # A group gift and a fund, in the Wagtail editor.
    admin.goto(f"{live_server.url}/admin/pages/{couple.registry.pk}/edit/")
    _add_block(admin, "Gift")
    admin.locator("#gifts-0-value-title").fill("Sofa")
    admin.locator("#gifts-0-value-price").fill("600.00")
    admin.locator("#gifts-0-value-group_gift").check()
    _add_block(admin, "Fund")
    admin.locator("#gifts-1-value-title").fill("Honeymoon in Lisbon")
    admin.locator("#gifts-1-value-story").fill("Two weeks of custard tarts.")
    admin.locator("#gifts-1-value-goal").fill("2000")
    publish_in_editor(admin, live_server, couple.registry.pk)
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert registry.live
    sofa = Gift.objects.get(registry=registry, title="Sofa")
    assert (sofa.group_gift, sofa.pledge_goal) == (True, 600)
    assert Gift.objects.get(registry=registry, title="Honeymoon in Lisbon").kind == "fund"

    # A guest on a phone.
    accessibility = {}
    page.goto(f"{live_server.url}{registry.url}")
    accessibility["registry"] = serious_violations(page)
    card = page.locator(f'[data-gift-id="{sofa.block_id}"]')
    assert " ".join(card.locator(".gift__status").first.inner_text().split()) == "£0 given of £600"
    card.get_by_role("link", name="Give towards it Sofa").click()
    accessibility["pledge form"] = serious_violations(page)
    assert "never receives or forwards any money" in page.locator("[data-no-money]").inner_text()
    assert "Sort code" not in page.content()  # the bank details come only after pledging
    page.fill("#id_amount", "5")
    page.get_by_role("button", name="Pledge").click()
    assert page.locator("#id_amount-errors").inner_text() == "The smallest contribution is £10."
    accessibility["pledge form with errors"] = serious_violations(page)
    guest = {"amount": "150", "name": "Margaret Hamilton", "email": "margaret@example.com"}
    guest["message"] = "Put your feet up!"
    for field, value in guest.items():
        page.fill(f"#id_{field}", value)
    page.get_by_role("button", name="Pledge").click()

    assert page.locator("h1").inner_text() == "Thank you, Margaret!"
    pay = page.locator("[data-paypal-link]")
    assert pay.get_attribute("href") == PAYPAL_ME  # followed by the guest, never contacted by the test
    assert pay.is_visible() and "Sort code 12-34-56" in page.locator("[data-bank-details]").inner_text()
    accessibility["pledge confirmation"] = serious_violations(page)
    page.get_by_role("link", name="Manage your pledge").click()
    page.get_by_role("button", name="I've paid").click()
    assert "noted that you paid" in page.locator(".messages").inner_text()
    assert "Status: Paid" in page.locator(".reservation-status").inner_text()
    assert Pledge.objects.get().status == Pledge.Status.PAID
    accessibility["pledge page"] = serious_violations(page)
    assert {name: found for name, found in accessibility.items() if found} == {}

    page.goto(f"{live_server.url}{registry.url}")
    assert " ".join(card.locator(".gift__status").first.inner_text().split()) == "£150 given of £600"

    # The couple: totals before the reveal, never who.
    admin.goto(f"{live_server.url}/admin/reservations/{registry.pk}/")
    totals = admin.locator("[data-testid='pledge-progress']").inner_text()
    assert "Sofa" in totals and "£150" in totals and "£450" in totals
    assert "Margaret" not in admin.content()

    # After the reveal: who gave what.
    admin.get_by_role("link", name="Reveal now…").click()
    admin.get_by_role("button", name="Yes, show me who gave what").click()
    ledger = admin.locator("[data-testid='pledge-ledger']").inner_text()
    assert "Margaret Hamilton" in ledger and "£150" in ledger and "Paid" in ledger and "Put your feet up!" in ledger
