"""What each package includes is enforced where it is used, and the pricing cards say it once."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.factories import make_couple
from marketing.factories import MarketingPageFactory
from registries.factories import gift, publish_gifts, reserve
from registries.models import Package, RegistryPage


@pytest.fixture
def couple(db):
    couple = make_couple("Alex", "Sam")
    publish_gifts(couple.registry, gift(title="Toaster"))
    reserve(couple.registry, "Toaster", name="Auntie Rosalind")
    return couple


def _csv_url(registry):
    return reverse("registries_reservations:csv", args=[registry.pk])


def _on_package(registry, name):
    RegistryPage.objects.filter(pk=registry.pk).update(package=Package.objects.get(name=name))


def test_a_free_couple_is_told_the_download_comes_with_plus_and_shown_how_to_upgrade(client, couple):
    client.force_login(couple.user)

    page = client.get(reverse("registries_reservations:registry", args=[couple.registry.pk]))

    soup = BeautifulSoup(page.content, "html.parser")
    assert not soup.select(f'a[href="{_csv_url(couple.registry)}"]')
    note = soup.select_one("[data-ledger-download]")
    assert "Downloading your list as a spreadsheet (CSV) comes with Plus and Unlimited" in note.text
    assert note.select_one("a")["href"] == reverse("couple_plan")


def test_the_download_address_answers_a_free_couple_403_with_a_friendly_page_not_the_file(client, couple):
    client.force_login(couple.user)

    response = client.get(_csv_url(couple.registry))

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Rosalind" not in text
    assert "comes with Plus and Unlimited" in text and reverse("couple_plan") in text


@pytest.mark.parametrize("package", ["Plus", "Unlimited"])
def test_a_paying_couple_downloads_their_list(client, couple, package):
    _on_package(couple.registry, package)
    client.force_login(couple.user)

    page = client.get(reverse("registries_reservations:registry", args=[couple.registry.pk]))
    response = client.get(_csv_url(couple.registry))

    assert _csv_url(couple.registry).encode() in page.content
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")


def _cards(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    return {card.select_one(".package__name").text: card for card in soup.select(".package")}


@pytest.fixture
def pricing(db):
    return MarketingPageFactory(slug="pricing", body=[("pricing_table", {"heading": "Pricing", "text": ""})])


def test_pricing_cards_say_free_and_the_gift_limit_once_each(client, pricing):
    for name, card in _cards(client, pricing).items():
        for hidden in card.select(".visually-hidden"):  # the button's name for screen readers
            hidden.decompose()
        text = card.get_text(" ").lower()
        assert text.count("free") <= 1 + ("everything in free" in text), name
        assert text.count("gifts") == 1, name
    assert _cards(client, pricing)["Free"].select_one(".package__price").text == "£0"


def test_each_plan_button_goes_to_sign_up_for_a_visitor(client, pricing):
    for name, card in _cards(client, pricing).items():
        [button] = card.select("a.button")
        assert button["href"] == reverse("signup"), name


def test_each_plan_button_goes_to_the_couples_plan_once_signed_in(client, couple, pricing):
    client.force_login(couple.user)
    cards = _cards(client, pricing)

    assert {name: card.select_one("a.button")["href"] for name, card in cards.items()} == {
        name: reverse("couple_plan") for name in ("Free", "Plus", "Unlimited")
    }
    assert "Upgrade to Plus" in cards["Plus"].text and "Your plan" in cards["Free"].text
