"""After a couple deletes their account: their registry's old address is simply not found, while a guest
who follows a link made for them (the card's short address, their reservation link) is told kindly that
the registry has closed (410 Gone). Nothing shows the address the deleted registry was renamed to."""

import pytest
from django.urls import reverse

from accounts.factories import make_couple
from accounts.services import couple_delete
from registries.addresses import registry_slug_problem
from registries.factories import fund, gift, pledge, publish_gifts, reserve
from registries.models import RegistryPage


@pytest.fixture
def deleted(db, django_capture_on_commit_callbacks):
    couple = make_couple("Alex", "Sam")
    registry = publish_gifts(couple.registry, gift(title="Sofa"), fund(title="Honeymoon"))
    reservation = reserve(registry, "Sofa", name="Auntie Rosalind")
    pledged = pledge(registry, "Honeymoon", 50, name="Uncle Bob")
    address, code = registry.url, registry.short_code
    with django_capture_on_commit_callbacks(execute=True):
        couple_delete(registry=registry)
    renamed = RegistryPage.objects.get(pk=registry.pk).slug
    return {"address": address, "code": code, "reservation": reservation, "pledge": pledged, "renamed": renamed}


def _shows_nothing_of_the_deletion(response, deleted):
    text = response.content.decode()
    return deleted["renamed"] not in text and "deleted-" not in text and response.get("Location") is None


def test_the_old_address_answers_404_without_a_redirect(client, deleted):
    for address in (deleted["address"], deleted["address"].rstrip("/")):
        response = client.get(address, follow=True)
        assert response.status_code == 404, address
        assert all(deleted["renamed"] not in location for location, _ in response.redirect_chain)
        assert _shows_nothing_of_the_deletion(response, deleted)


def test_the_cards_short_address_says_the_registry_has_closed(client, deleted):
    response = client.get(reverse("registry_short_address", args=[deleted["code"]]))

    assert response.status_code == 410
    assert "This registry has closed" in response.content.decode()
    assert _shows_nothing_of_the_deletion(response, deleted)


def test_a_guests_reservation_link_says_the_registry_has_closed_and_what_they_had_reserved(client, deleted):
    url = reverse("reservation_manage", args=[deleted["reservation"].manage_token])

    response = client.get(url)
    posted = client.post(url, {"action": "release"})

    assert response.status_code == 410 and posted.status_code == 410
    text = response.content.decode()
    assert "This registry has closed" in text and "Sofa" in text
    assert _shows_nothing_of_the_deletion(response, deleted)
    assert deleted["reservation"].__class__.objects.get(pk=deleted["reservation"].pk).status == "reserved"


def test_no_couple_can_choose_an_address_that_looks_like_a_deleted_registry(db):
    assert registry_slug_problem("deleted-12-abcd") is not None


def test_the_cancel_page_and_a_pledge_link_say_the_registry_has_closed_and_change_nothing(client, deleted):
    cancel = reverse("reservation_cancel", args=[deleted["reservation"].manage_token])
    pledge_link = reverse("pledge_manage", args=[deleted["pledge"].manage_token])

    for url in (cancel, pledge_link):
        response = client.get(url)
        posted = client.post(url, {"action": "release", "confirmed": "yes"})
        assert response.status_code == 410 and posted.status_code == 410, url
        assert "This registry has closed" in response.content.decode()
        assert _shows_nothing_of_the_deletion(response, deleted)
    assert deleted["reservation"].__class__.objects.get(pk=deleted["reservation"].pk).status == "reserved"
    assert deleted["pledge"].__class__.objects.get(pk=deleted["pledge"].pk).status == "pledged"
