"""A registry's old address after the couple changes it: it forwards to the new one, the couple is told
when that matters (an unlisted or password-protected registry), sees every old address and can retire it."""

import html
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from accounts.factories import make_couple
from registries.models import RegistryPage

from .editor import publish_in_editor

# A rename forwards through Wagtail's redirects, which it makes once the rename is committed.
pytestmark = pytest.mark.django_db(transaction=True)

OLD, NEW = "/registries/robin-and-kim/", "/registries/robin-and-kim-2031/"


@pytest.fixture
def couple(client):
    couple = make_couple("Robin", "Kim", email="robin@example.com", wedding_date=date(2031, 6, 1))
    client.force_login(couple.user)
    return couple


def publish(client, registry, **fields):
    response = publish_in_editor(client, registry, follow=True, **fields)
    assert response.redirect_chain, response.content.decode()[:2000]
    # The page it led to showed (and so used up) the messages of this publish.
    return [html.unescape(str(message)) for message in get_messages(response.wsgi_request)]


def old_link_warnings(said: list[str]) -> list[str]:
    return [message for message in said if "is still taken to it" in message]


def guest_visits(path: str):
    return Client().get(path)


def account_page(client) -> BeautifulSoup:
    return BeautifulSoup(client.get(reverse("couple_account:index")).content, "html.parser")


def old_addresses_listed(client) -> list[str]:
    return [item.get_text(" ", strip=True) for item in account_page(client).select("#old-addresses li")]


class TestUnlistedOrProtected:
    def test_renaming_an_unlisted_registry_says_the_old_link_still_reaches_it(self, client, couple):
        publish(client, couple.registry)
        said = publish(client, couple.registry, slug="robin-and-kim-2031")

        [warning] = old_link_warnings(said)
        assert f"old link, http://localhost{OLD}, is still taken" in warning
        assert "remove it under Account & sharing" in warning
        assert reverse("couple_account:index") + "#old-addresses" in warning  # its button
        forwarded = guest_visits(OLD)
        assert forwarded.status_code == 302
        assert forwarded["Location"] == NEW

    def test_a_forwarded_guest_of_a_protected_registry_still_needs_the_password(self, client, couple):
        publish(client, couple.registry, visibility="password", guest_password="open-sesame")
        said = publish(
            client, couple.registry, slug="robin-and-kim-2031", visibility="password", guest_password="open-sesame"
        )

        [warning] = old_link_warnings(said)
        assert OLD in warning and "(and asked for the password)" in warning
        page = Client().get(OLD, follow=True)
        assert page.redirect_chain == [(NEW, 302)]
        assert "This registry is password-protected" in page.content.decode()

    def test_making_a_renamed_listed_registry_unlisted_warns_about_its_old_addresses(self, client, couple):
        publish(client, couple.registry, visibility="listed")
        assert (
            old_link_warnings(publish(client, couple.registry, slug="robin-and-kim-2031", visibility="listed")) == []
        )

        said = publish(client, couple.registry, slug="robin-and-kim-2031", visibility="unlisted")

        [warning] = old_link_warnings(said)
        assert OLD in warning

    def test_publishing_again_without_a_new_rename_does_not_repeat_the_warning(self, client, couple):
        publish(client, couple.registry)
        publish(client, couple.registry, slug="robin-and-kim-2031")

        said = publish(client, couple.registry, slug="robin-and-kim-2031", place="Lisbon")

        assert said and old_link_warnings(said) == []


class TestTheCouplesOldAddresses:
    def test_the_couple_sees_each_old_address_and_removing_one_makes_it_stop_working(self, client, couple):
        publish(client, couple.registry)
        publish(client, couple.registry, slug="robin-and-kim-2031")
        publish(client, couple.registry, slug="robin-and-kim-wedding")

        listed = old_addresses_listed(client)
        assert [address.split()[0] for address in listed] == [
            "http://localhost/registries/robin-and-kim/",
            "http://localhost/registries/robin-and-kim-2031/",
        ]
        forwarding = Redirect.objects.get(old_path=OLD.rstrip("/"))

        response = client.post(reverse("couple_account:forwarding_remove", args=[forwarding.pk]), follow=True)

        assert "no longer leads to your registry" in response.content.decode()
        assert guest_visits(OLD).status_code == 404
        assert guest_visits("/registries/robin-and-kim-2031/").status_code == 302
        assert [address.split()[0] for address in old_addresses_listed(client)] == [
            "http://localhost/registries/robin-and-kim-2031/"
        ]

    def test_a_registry_never_renamed_shows_no_old_addresses(self, client, couple):
        publish(client, couple.registry)
        assert old_addresses_listed(client) == []
        assert "Old addresses" not in account_page(client).get_text()

    def test_a_couple_cannot_remove_another_couples_old_address(self, client, couple):
        other = make_couple("Jo", "Sam")
        other_registry = RegistryPage.objects.get(pk=other.registry.pk)
        forwarding = Redirect.objects.create(old_path="/registries/jo-and-sam-old", redirect_page=other_registry)

        response = client.post(reverse("couple_account:forwarding_remove", args=[forwarding.pk]))

        assert response.status_code == 404
        assert Redirect.objects.filter(pk=forwarding.pk).exists()
