"""Who can see a registry: unlisted by default, listed for search, or behind a password the couple sets."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.factories import make_couple
from core import ratelimit
from registries.factories import RegistryPageFactory, gift, make_image
from registries.models import RegistryPage
from registries.selectors import listed_registries
from registries.views import PAGE_PASSWORD_ATTEMPTS

from .editor import publish_in_editor

pytestmark = pytest.mark.django_db

Visibility = RegistryPage.Visibility


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def protect(page: RegistryPage, password: str) -> RegistryPage:
    page.visibility = Visibility.PASSWORD
    page.guest_password = password
    page.save_revision().publish()
    return page


def unlock(client, page: RegistryPage, password: str):
    restriction = PageViewRestriction.objects.get(page=page)
    return client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
        {"password": password, "return_url": page.url},
    )


def robots(client, page) -> str | None:
    meta = _soup(client.get(page.url)).select_one('meta[name="robots"]')
    return meta["content"] if meta else None


class TestSearchEngines:
    def test_unlisted_registry_asks_search_engines_not_to_index_it(self, client):
        assert robots(client, RegistryPageFactory(visibility=Visibility.UNLISTED)) == "noindex"

    def test_listed_registry_may_be_indexed(self, client):
        assert robots(client, RegistryPageFactory(visibility=Visibility.LISTED)) is None

    def test_a_listed_registrys_reserve_forms_may_be_indexed_and_an_unlisted_ones_may_not(self, client):
        for visibility, expected in ((Visibility.LISTED, None), (Visibility.UNLISTED, "noindex")):
            page = RegistryPageFactory(visibility=visibility, gifts=[gift(title="Teapot")])
            form = _soup(client.get(page.url + f"reserve/{page.gifts[0].id}/"))
            meta = form.select_one('meta[name="robots"]')
            assert (meta["content"] if meta else None) == expected

    def test_a_registry_without_a_description_of_its_own_says_whose_gift_list_it_is(self, client):
        page = RegistryPageFactory(
            visibility=Visibility.LISTED, partner_one="Ada", partner_two="Grace", place="Bath",
            wedding_date=date(2031, 6, 1), currency="GBP",
        )  # fmt: skip
        description = _soup(client.get(page.url)).select_one('meta[name="description"]')["content"]
        assert description.startswith("The wedding gift list of Ada & Grace, Sunday 1 June 2031 in Bath")


class TestListedRegistries:
    def test_only_live_listed_registries_without_a_password_are_listed(self):
        listed = RegistryPageFactory(slug="listed", visibility=Visibility.LISTED)
        RegistryPageFactory(slug="unlisted", visibility=Visibility.UNLISTED)
        RegistryPageFactory(slug="draft", visibility=Visibility.LISTED, publish=False, live=False)
        protect(RegistryPageFactory(slug="protected"), "open-sesame")
        assert list(listed_registries()) == [listed]

    def test_a_listed_registry_that_staff_made_private_is_not_listed(self):
        page = RegistryPageFactory(visibility=Visibility.LISTED)
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        assert list(listed_registries()) == []


class TestGuestPassword:
    def test_guests_see_a_password_form_and_no_gifts(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        response = client.get(page.url)
        assert response.status_code == 200
        assert "This registry is password-protected" in response.content.decode()
        assert "Secret teapot" not in response.content.decode()
        assert _soup(response).select_one('meta[name="robots"]')["content"] == "noindex, nofollow"

    def test_right_password_opens_the_registry_for_the_rest_of_the_visit(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        assert unlock(client, page, "open-sesame")["Location"] == page.url
        assert "Secret teapot" in client.get(page.url).content.decode()
        assert "Secret teapot" in client.get(page.url).content.decode()

    def test_wrong_password_says_so_and_keeps_the_registry_closed(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        response = unlock(client, page, "guess")
        assert response.status_code == 200
        assert "The password you have entered is not correct" in response.content.decode()
        assert "Secret teapot" not in client.get(page.url).content.decode()

    def test_a_new_password_asks_every_guest_again(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        unlock(client, page, "open-sesame")
        protect(page, "new-secret")
        assert "Secret teapot" not in client.get(page.url).content.decode()
        unlock(client, page, "new-secret")
        assert "Secret teapot" in client.get(page.url).content.decode()

    def test_publishing_again_with_the_same_password_keeps_guests_in(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        unlock(client, page, "open-sesame")
        page.save_revision().publish()
        assert "Secret teapot" in client.get(page.url).content.decode()
        assert PageViewRestriction.objects.filter(page=page).count() == 1

    def test_switching_back_to_unlisted_removes_the_password(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Teapot")]), "open-sesame")
        page.visibility = Visibility.UNLISTED
        page.save_revision().publish()
        assert not PageViewRestriction.objects.filter(page=page).exists()
        assert "Teapot" in client.get(page.url).content.decode()

    def test_a_saved_draft_does_not_change_who_can_see_the_live_page(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Teapot")])
        page.visibility = Visibility.PASSWORD
        page.guest_password = "open-sesame"
        page.save_revision()
        assert not PageViewRestriction.objects.filter(page=page).exists()

    def test_reserving_a_gift_needs_the_password_too(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        reserve_url = page.url + f"reserve/{page.gifts[0].id}/"
        assert "This registry is password-protected" in client.get(reserve_url).content.decode()


class TestPasswordPageSharesNothingOfTheCouple:
    """Link previews (chat apps, social sites) read the password page: it must not show who the couple are."""

    @pytest.fixture
    def page(self):
        page = RegistryPageFactory(
            slug="our-registry",
            partner_one="Florentyna",
            partner_two="Bartholomew",
            title="Florentyna and Bartholomew tie the knot",
            seo_title="The Florentyna wedding",
            search_description="Bartholomew proposed on the Orkney ferry",
            welcome="<p>Welcome to our Lisbon celebration</p>",
            hero_image=make_image("Couple on the beach"),
            social_image=make_image("Couple at sunset"),
        )
        protect(page, "open-sesame")
        guest = Client()  # a guest who knows the password: the page's pictures now have renditions
        unlock(guest, page, "open-sesame")
        assert "Florentyna" in guest.get(page.url).content.decode()
        return page

    def secrets(self, page) -> list[str]:
        assert page.hero_image.renditions.exists() and page.social_image.renditions.exists()
        renditions = [
            rendition.url for image in (page.hero_image, page.social_image) for rendition in image.renditions.all()
        ]
        originals = [page.hero_image.file.name, page.social_image.file.name]
        words = ["Florentyna", "Bartholomew", "Orkney", "Lisbon", "beach", "sunset"]
        return words + renditions + originals + [f"/images/{page.hero_image.pk}/", f"/images/{page.social_image.pk}/"]

    def assert_neutral(self, response, page):
        html = response.content.decode()
        for secret in self.secrets(page):
            assert secret not in html
        soup = _soup(response)
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
        assert not soup.select('meta[property="og:image"], meta[name^="twitter:"], link[rel="canonical"]')
        assert soup.select_one('meta[property="og:title"]')["content"] == "A password-protected wedding registry"

    def test_the_password_page_names_neither_the_couple_nor_their_pictures(self, client, page):
        response = client.get(page.url)
        assert "This registry is password-protected" in response.content.decode()
        self.assert_neutral(response, page)

    def test_a_wrong_password_answer_stays_neutral_too(self, client, page):
        response = unlock(client, page, "guess")
        assert "The password you have entered is not correct" in response.content.decode()
        self.assert_neutral(response, page)


class TestPasswordGuessing:
    def test_too_many_wrong_passwords_are_refused_for_a_while(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        for _ in range(PAGE_PASSWORD_ATTEMPTS):
            assert unlock(client, page, "guess").status_code == 200
        refused = unlock(client, page, "open-sesame")
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(15 * 60)
        assert "Too many tries" in refused.content.decode()
        assert "Secret teapot" not in client.get(page.url).content.decode()

    def test_a_few_typos_do_not_lock_a_guest_out(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        for _ in range(PAGE_PASSWORD_ATTEMPTS - 1):
            unlock(client, page, "typo")
        assert unlock(client, page, "open-sesame").status_code == 302

    def test_guests_on_one_network_who_know_the_password_are_never_refused(self, client):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        for _ in range(PAGE_PASSWORD_ATTEMPTS + 5):  # the venue's wifi: one address for every guest
            assert unlock(Client(), page, "open-sesame").status_code == 302
        assert unlock(client, page, "typo").status_code == 200

    def test_guests_are_not_locked_out_when_the_cache_is_down(self, client, settings):
        page = protect(RegistryPageFactory(gifts=[gift(title="Secret teapot")]), "open-sesame")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
            },
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
        for _ in range(PAGE_PASSWORD_ATTEMPTS + 2):
            assert unlock(client, page, "guess").status_code == 200
        assert unlock(client, page, "open-sesame").status_code == 302

    def test_the_limit_fails_open_when_the_cache_raises(self, monkeypatch):
        def broken(*args, **kwargs):
            raise ConnectionError("cache unreachable")

        monkeypatch.setattr(ratelimit.cache, "add", broken)
        monkeypatch.setattr(ratelimit.cache, "decr", broken)
        assert ratelimit.attempt_allowed(key="k", limit=0, window_seconds=60)
        ratelimit.attempt_forgiven(key="k")  # and giving one back doesn't raise either


class TestCoupleSetsThePassword:
    @pytest.fixture
    def couple(self, client):
        couple = make_couple("Robin", "Kim", email="robin@example.com", wedding_date=date(2031, 6, 1))
        client.force_login(couple.user)
        return couple

    def test_couple_protects_their_registry_with_a_password_in_the_editor(self, client, couple):
        response = publish_in_editor(client, couple.registry, visibility="password", guest_password="open-sesame")
        assert response.status_code == 302
        restriction = PageViewRestriction.objects.get(page=couple.registry)
        assert restriction.password == "open-sesame"

    def test_password_protection_without_a_password_is_explained(self, client, couple):
        response = publish_in_editor(client, couple.registry, visibility="password", guest_password="  ")
        assert response.status_code == 200
        assert "Choose a password for your guests" in response.content.decode()
        assert not RegistryPage.objects.get(pk=couple.registry.pk).live

    def test_too_short_a_password_is_refused(self, client, couple):
        response = publish_in_editor(client, couple.registry, visibility="password", guest_password="abc")
        assert "at least 4 characters" in response.content.decode()

    def test_a_reserved_address_is_refused_in_the_editor_too(self, client, couple):
        response = publish_in_editor(client, couple.registry, slug="admin")
        assert response.status_code == 200
        assert "reserved for the site itself" in response.content.decode()
