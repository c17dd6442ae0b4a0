"""A guest on a phone: open the registry, filter, reserve, confirm, manage, cancel."""

import re

import pytest
from django.core.management import call_command

from registries.models import Gift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _remaining(page, block_id: str) -> str:
    return page.locator(f'[data-gift-id="{block_id}"] .gift__remaining').inner_text()


def test_guest_reserves_then_cancels_and_the_count_follows(live_server, page):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    teapots = Gift.objects.get(title="Linen tea towels")  # 6 wanted, 2 reserved in the demo
    registry_url = f"{live_server.url}/registries/alex-and-sam/"

    page.goto(registry_url)
    assert page.locator("h1").inner_text() == "Alex & Sam"
    assert _remaining(page, teapots.block_id) == "4"

    page.locator("summary", has_text="Filter & sort").click()
    page.select_option("#filter-category", "kitchen")
    page.get_by_role("button", name="Show gifts").click()
    page.wait_for_url(re.compile(r"category=kitchen"))
    categories = {
        Gift.objects.get(block_id=card.get_attribute("data-gift-id")).category
        for card in page.locator("[data-gift-id]").all()
    }
    assert categories == {"kitchen"}

    page.locator(f'[data-gift-id="{teapots.block_id}"] .gift__reserve').click()
    page.fill("#id_name", "Robin Guest")
    page.fill("#id_email", "robin@example.com")
    page.fill("#id_quantity", "3")
    page.fill("#id_message", "Congratulations, you two!")
    page.get_by_role("button", name="Reserve this gift").click()

    assert page.locator("h1").inner_text() == "Thank you, Robin Guest!"
    assert "3 × Linen tea towels" in page.locator(".lead").inner_text()
    manage_link = page.locator("a.private-link")
    manage_href = manage_link.get_attribute("href")

    page.goto(registry_url)
    assert _remaining(page, teapots.block_id) == "1"

    page.goto(f"{live_server.url}{manage_href}")
    assert "Status: Reserved" in page.locator(".reservation-status").inner_text()
    page.get_by_role("button", name="Cancel my reservation").click()
    assert "available to other guests again" in page.locator(".messages").inner_text()
    assert "Status: Released" in page.locator(".reservation-status").inner_text()

    page.goto(registry_url)
    assert _remaining(page, teapots.block_id) == "4"
