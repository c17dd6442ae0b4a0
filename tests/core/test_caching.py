"""Caching that is never stale: whole pages for anonymous visitors, never for anyone personal."""

import socket
import uuid
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from core.caching import registry_content_scope, registry_scope
from core.factories import home_page
from core.models import PendingCacheBump
from marketing.factories import MarketingPageFactory
from registries.factories import RegistryPageFactory, gift, reserve
from registries.models import RegistryPage, Reservation


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _remaining(response) -> str:
    return _soup(response).select_one(".gift__remaining").text


def _reserve_through_the_form(client, page, block_id, quantity=1):
    url = page.url + f"reserve/{block_id}/"
    client.get(url)
    return client.post(
        url,
        {
            "name": "Jo",
            "email": "jo@example.com",
            "quantity": quantity,
            "message": "",
            "idempotency_key": uuid.uuid4(),
        },
    )


@pytest.mark.django_db
class TestMarketingPagesForAnonymousVisitors:
    def test_the_second_visit_is_answered_from_the_cache_without_a_query(self, client, django_assert_num_queries):
        page = MarketingPageFactory(slug="features", title="Features")
        assert client.get(page.url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            response = client.get(page.url)
        assert response["X-Page-Cache"] == "hit"
        assert _soup(response).h1.text == "Features"

    def test_cache_control_is_public_with_a_shared_cache_lifetime(self, client):
        page = MarketingPageFactory(slug="features")
        for _ in range(2):  # a miss and a hit carry the same header
            assert client.get(page.url)["Cache-Control"] == "public, max-age=60, s-maxage=600"
        assert client.get("/")["Cache-Control"] == "public, max-age=60, s-maxage=600"

    def test_publishing_a_change_shows_on_the_very_next_visit(self, client):
        page = MarketingPageFactory(slug="features", title="Features")
        client.get(page.url)
        client.get("/")
        page.title = "How it works"
        page.save_revision().publish()
        assert _soup(client.get(page.url)).h1.text == "How it works"
        assert client.get("/")["X-Page-Cache"] == "miss"  # the navigation may name any page

    def test_unpublishing_takes_the_page_away_at_once(self, client):
        page = MarketingPageFactory(slug="features")
        client.get(page.url)
        page.unpublish()
        assert client.get(page.url).status_code == 404

    def test_a_page_made_private_in_the_admin_is_never_served_from_the_cache_again(self, client):
        page = MarketingPageFactory(slug="features")
        assert client.get(page.url)["X-Page-Cache"] == "miss"
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        response = client.get(page.url)
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_logged_in_users_are_never_served_from_or_stored_in_the_page_cache(self, client):
        page = MarketingPageFactory(slug="features")
        client.get(page.url)
        client.force_login(UserFactory(is_superuser=True))
        response = client.get(page.url)
        assert "X-Page-Cache" not in response
        client.logout()
        client.cookies.clear()
        assert client.get(page.url)["X-Page-Cache"] == "hit"

    def test_previews_are_never_stored(self, client):
        page = MarketingPageFactory(slug="features", title="Features")
        page.title = "Secret draft title"
        response = page.make_preview_request()
        assert "Secret draft title" in response.content.decode()
        assert "public" not in response["Cache-Control"]
        assert _soup(client.get(page.url)).h1.text == "Features"

    def test_odd_query_strings_are_answered_but_never_stored(self, client):
        page = MarketingPageFactory(slug="features")
        for _ in range(2):
            assert client.get(page.url, {"utm_source": "x" * 200}).status_code == 200
            assert client.get(page.url, {"utm_source": "x" * 200}).get("X-Page-Cache") is None


@pytest.mark.django_db
class TestRegistryPagesAreNeverStale:
    def test_the_next_anonymous_visit_after_a_reservation_shows_the_new_number(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=8)])
        assert _remaining(client.get(page.url)) == "8"
        assert client.get(page.url)["X-Page-Cache"] == "hit"

        guest = type(client)()
        assert _reserve_through_the_form(guest, page, page.gifts[0].id, quantity=3).status_code == 302

        response = client.get(page.url)
        assert response["X-Page-Cache"] == "refreshed"
        assert _remaining(response) == "5"
        assert client.get(page.url)["X-Page-Cache"] == "hit"

    def test_after_a_reservation_the_stored_page_is_brought_up_to_date_in_one_query(
        self, client, django_assert_num_queries
    ):
        page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=8)])
        client.get(page.url)
        reserve(page, "Plates", quantity=3)
        with django_assert_num_queries(1):  # the numbers: no routing, no rendering of the rest of the page
            response = client.get(page.url)
        assert response["X-Page-Cache"] == "refreshed"

    def test_the_brought_up_to_date_page_is_exactly_what_a_full_render_gives(self, client):
        page = RegistryPageFactory(
            gifts=[gift(title="Kettle", quantity_wanted=1), gift(title="Plates", quantity_wanted=4)]
        )
        client.get(page.url)
        reserve(page, "Kettle")
        refreshed = client.get(page.url)
        assert refreshed["X-Page-Cache"] == "refreshed"
        assert [t.text for t in _soup(refreshed).select(".gift__title")] == ["Plates", "Kettle"]  # all given: last
        assert refreshed["Content-Length"] == str(len(refreshed.content))
        rendered = client.get(page.url, {"ref": "a-query-string-never-stored"})
        assert "X-Page-Cache" not in rendered
        assert refreshed.content == rendered.content

    def test_publishing_renders_the_whole_page_again(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates")])
        client.get(page.url)
        page.welcome = "<p>See you on the beach!</p>"
        page.save_revision().publish()
        response = client.get(page.url)
        assert response["X-Page-Cache"] == "miss"
        assert "See you on the beach!" in response.content.decode()

    def test_releasing_and_marking_bought_show_at_once_too(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=2)])
        reservation = reserve(page, "Plates", quantity=2)
        assert "All given" in client.get(page.url).content.decode()
        client.post(reverse("reservation_cancel", kwargs={"token": reservation.manage_token}))
        assert _remaining(client.get(page.url)) == "2"

    def test_publishing_the_registry_shows_its_changes_at_once(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates")])
        client.get(page.url)
        page.partner_two = "Robin"
        page.save_revision().publish()
        assert "Alex & Robin" in _soup(client.get(page.url)).h1.text

    def test_filtered_views_are_cached_separately_and_invalidated_together(self, client):
        page = RegistryPageFactory(
            gifts=[gift(title="Kettle", quantity_wanted=2), gift(title="Spade", category="garden")]
        )
        garden = {"category": "garden"}
        client.get(page.url, garden)
        assert client.get(page.url, garden)["X-Page-Cache"] == "hit"
        assert [t.text for t in _soup(client.get(page.url, garden)).select(".gift__title")] == ["Spade"]
        reserve(page, "Spade")
        assert "All given" in client.get(page.url, garden).content.decode()

    def test_registry_pages_tell_browsers_to_ask_again_every_time(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates")])
        assert client.get(page.url)["Cache-Control"] == "private, no-cache"

    def test_the_reserve_form_and_the_guests_own_pages_are_never_stored_anywhere(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Plates")])
        form = client.get(page.url + f"reserve/{page.gifts[0].id}/")
        assert "csrfmiddlewaretoken" in form.content.decode()
        assert {"private", "no-store"} <= {part.strip() for part in form["Cache-Control"].split(",")}
        assert "X-Page-Cache" not in form
        thanks = _reserve_through_the_form(client, page, page.gifts[0].id)
        confirmation = client.get(thanks["Location"])
        assert confirmation["Cache-Control"] == "private, no-store"
        assert "X-Page-Cache" not in confirmation


@pytest.mark.django_db
class TestPasswordProtectedRegistries:
    def test_never_cached_and_a_stranger_never_sees_what_a_guest_with_the_password_saw(self, client):
        page = RegistryPageFactory(visibility=RegistryPage.Visibility.PASSWORD, gifts=[gift(title="Secret teapot")])
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret")

        guest = type(client)()
        assert "Secret teapot" not in guest.get(page.url).content.decode()
        guest.post(
            reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id]),
            {"password": "s3cret", "return_url": page.url},
        )
        inside = guest.get(page.url)
        assert "Secret teapot" in inside.content.decode()
        assert {"private", "no-store"} <= {part.strip() for part in inside["Cache-Control"].split(",")}
        assert "X-Page-Cache" not in inside

        stranger = type(client)()
        for _ in range(2):
            response = stranger.get(page.url)
            assert "Secret teapot" not in response.content.decode()
            assert "X-Page-Cache" not in response

    def test_a_password_set_in_the_admin_applies_to_the_very_next_visit(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Secret teapot")])
        assert client.get(page.url)["X-Page-Cache"] == "miss"
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret")
        assert "Secret teapot" not in client.get(page.url).content.decode()

    def test_a_registry_given_a_password_in_the_admin_is_never_served_from_the_cache_again(self, client):
        page = RegistryPageFactory(gifts=[gift(title="Secret teapot")])
        assert client.get(page.url)["X-Page-Cache"] == "miss"
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret")
        response = client.get(page.url)
        assert "Secret teapot" not in response.content.decode()
        assert "X-Page-Cache" not in response


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _caches_on_a_closed_port(settings) -> dict:
    location = f"redis://127.0.0.1:{_closed_port()}/0"
    options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    }
    return {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            # As in production: the version tokens raise where everything else fails soft.
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": alias != "versions"},
        }
        for alias in settings.CACHES
    }


@pytest.fixture
def redis_down(settings):
    settings.CACHES = _caches_on_a_closed_port(settings)
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    from django.core.cache import cache

    assert cache.get("anything") is None  # really pointing at nothing, and failing soft


@pytest.fixture
def outage(settings):
    """A context in which Redis is unreachable; afterwards it is back with what it held before, as after a
    network fault (local memory keeps its entries too)."""
    reachable = settings.CACHES

    @contextmanager
    def redis_unreachable():
        settings.CACHES = _caches_on_a_closed_port(settings)
        try:
            yield
        finally:
            settings.CACHES = reachable

    return redis_unreachable


@pytest.mark.django_db
def test_a_redis_outage_makes_pages_slower_never_broken(redis_down, client):
    page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=2)])
    MarketingPageFactory(slug="features")
    for path in ("/", "/features/", page.url, "/search/?query=alex"):
        for _ in range(2):
            assert client.get(path).status_code == 200, path
    assert _reserve_through_the_form(client, page, page.gifts[0].id).status_code == 302
    assert _remaining(client.get(page.url)) == "1"
    assert home_page().live


@pytest.mark.django_db
def test_a_search_that_finds_a_couple_during_a_redis_outage_breaks_no_page_after_it(redis_down, client):
    page = RegistryPageFactory(
        partner_one="Alex", visibility=RegistryPage.Visibility.LISTED, gifts=[gift(title="Plates", quantity_wanted=2)]
    )
    MarketingPageFactory(slug="features")
    found = client.get("/search/?query=alex")
    assert found.status_code == 200 and page.get_url() in found.content.decode()

    for path in ("/", "/features/", page.url, "/search/?query=alex"):
        assert client.get(path).status_code == 200, path
    assert _reserve_through_the_form(client, page, page.gifts[0].id).status_code == 302
    assert Reservation.objects.filter(gift__registry=page, name="Jo").count() == 1
    assert _remaining(client.get(page.url)) == "1"


def _give_a_password(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="s3cret")


HIDING = {
    "given a password": (_give_a_password, 200),
    "unpublished": (lambda page: page.unpublish(), 404),
    "deleted": (lambda page: page.delete(), 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", HIDING)
def test_a_registry_hidden_while_redis_is_down_is_not_served_from_the_cache_once_it_is_back(outage, client, change):
    page = RegistryPageFactory(gifts=[gift(title="Secret teapot")])
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    hide, status = HIDING[change]

    with outage():
        hide(page)
        assert "Secret teapot" not in client.get(page.url).content.decode()
    assert PendingCacheBump.objects.exists()  # kept with the change, as the cache refused it

    response = client.get(page.url)
    assert response.status_code == status
    assert "Secret teapot" not in response.content.decode()
    assert "X-Page-Cache" not in response
    assert not PendingCacheBump.objects.exists()


@pytest.mark.django_db
def test_a_bump_another_worker_could_not_write_is_written_by_every_worker_within_the_check_interval(client, settings):
    settings.PAGE_CACHE_PENDING_CHECK_SECONDS = 0  # every read looks, so the test needn't wait
    page = RegistryPageFactory(gifts=[gift(title="Secret teapot")])
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    # Another worker's Redis was unreachable when it gave the registry a password: no signal, no bump here.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type="password", password="s3cret")]
    )
    PendingCacheBump.objects.bulk_create(
        [PendingCacheBump(scope=scope) for scope in (registry_scope(page.pk), registry_content_scope(page.pk))]
    )

    response = client.get(page.url)
    assert "Secret teapot" not in response.content.decode()
    assert not PendingCacheBump.objects.exists()


@pytest.mark.django_db
def test_pages_stay_cached_when_no_bump_was_ever_kept(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_PENDING_CHECK_SECONDS = 3600
    page = MarketingPageFactory(slug="features")
    client.get(page.url)  # this worker's first look in the database
    with django_assert_num_queries(0):
        assert client.get(page.url)["X-Page-Cache"] == "hit"
