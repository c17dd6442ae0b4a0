"""Staff find each admin page under the name it carries: a menu item and its page's title are the same words."""

import pytest
from bs4 import BeautifulSoup

from accounts.factories import UserFactory
from notifications.models import UndeliverableAddress


@pytest.mark.parametrize(
    ("menu_label", "url"),
    [
        ("Payment notifications", "/admin/payments/notifications/"),
        ("Sent emails", "/admin/sent_emails/"),
        ("Bounced addresses", "/admin/bounced_addresses/"),
    ],
)
def test_each_menu_item_leads_to_a_page_of_the_same_name(client, db, menu_label, url):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    dashboard = client.get("/admin/").content.decode()
    assert menu_label in dashboard

    soup = BeautifulSoup(client.get(url).content, "html.parser")

    assert soup.select_one("h1").get_text(strip=True) == menu_label
    assert soup.title.text.strip().startswith(menu_label)


def test_undeliverable_addresses_are_spelled_right():
    assert UndeliverableAddress._meta.verbose_name_plural == "undeliverable addresses"
