"""Registries are found under /registries/ in one query (a gift's page in none, once the worker knows the registry);
missing or unpublished ones are a helpful 404."""

import uuid

import pytest
from wagtail.models import PageViewRestriction

from core import caching
from payments.services import package_grant
from registries.factories import RegistryPageFactory, gift, gift_row, registry_index
from registries.models import Package, RegistryPage, Reservation


@pytest.mark.django_db
def test_unknown_and_unpublished_registries_are_not_found(client):
    RegistryPageFactory(slug="draft", live=False, publish=False)
    for path in ("/registries/nobody/", "/registries/draft/", "/registries/nobody/reserve/abc/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"We couldn't find that page" in response.content


@pytest.mark.django_db
def test_the_reserve_route_still_resolves_below_a_registry(client):
    page = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])
    assert client.get(f"/registries/alex-and-sam/reserve/{page.gifts[0].id}/").status_code == 200


@pytest.mark.django_db
def test_a_restriction_on_the_registries_index_still_guards_every_registry_and_its_reserve_route(client):
    # Routing skips Wagtail's restriction queries when none could apply: one above the registry must still count.
    page = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])
    paths = (page.url, f"{page.url}reserve/{page.gifts[0].id}/")
    for path in paths:  # seen before the restriction, so neither the page cache nor routing may remember them
        assert client.get(path).status_code == 200
    PageViewRestriction.objects.create(page=registry_index(), restriction_type=PageViewRestriction.LOGIN)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/_util/login/"), path


@pytest.mark.django_db
def test_an_alias_of_a_registry_asks_for_the_password_its_source_has_now(client):
    page = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Secret teapot")])
    alias = page.create_alias(update_slug="alex-and-sam-again")
    # Wagtail copies restrictions into a new alias; one set later lives on the source only.
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

    response = client.get(alias.url)
    assert response.status_code == 200
    assert "This registry is password-protected" in response.content.decode()
    assert "Secret teapot" not in response.content.decode()


# A gift's own page (reserve/…) comes from the worker's snapshot of its registry: whatever changes the
# registry is seen by the very next guest.


def _reserve_path(page: RegistryPage) -> str:
    return f"{page.url}reserve/{gift_row(page, 'Teapot').block_id}/"


def _reservation_form() -> dict:
    return {"name": "Jo", "email": "jo@example.com", "quantity": "1", "message": "", "idempotency_key": uuid.uuid4()}


@pytest.fixture
def teapot_registry(client):
    page = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot", quantity_wanted=3)])
    assert client.get(_reserve_path(page)).status_code == 200  # the worker knows it now
    return page


@pytest.mark.django_db
def test_a_renamed_registry_takes_its_gifts_to_the_new_address_at_once(client, teapot_registry):
    old_path = _reserve_path(teapot_registry)
    page = RegistryPage.objects.get(pk=teapot_registry.pk)
    page.slug = "sam-and-alex"
    page.save_revision().publish()

    assert client.get(old_path).status_code == 404
    assert client.post(old_path, _reservation_form()).status_code == 404
    assert client.post(_reserve_path(RegistryPage.objects.get(pk=page.pk)), _reservation_form()).status_code == 302
    assert Reservation.objects.count() == 1


@pytest.mark.django_db
def test_an_unpublished_registry_takes_no_more_reservations(client, teapot_registry):
    path = _reserve_path(teapot_registry)
    RegistryPage.objects.get(pk=teapot_registry.pk).unpublish()

    assert client.post(path, _reservation_form()).status_code == 404
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_registry_given_a_password_asks_for_it_before_the_next_reservation(client, teapot_registry):
    path = _reserve_path(teapot_registry)
    page = RegistryPage.objects.get(pk=teapot_registry.pk)
    page.visibility, page.guest_password = RegistryPage.Visibility.PASSWORD, "s3cret"
    page.save_revision().publish()

    response = client.post(path, _reservation_form())
    assert response.status_code == 200
    assert "This registry is password-protected" in response.content.decode()
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_package_granted_by_staff_is_what_the_next_guest_s_page_knows(client, teapot_registry):
    unlimited = Package.objects.get(name="Unlimited")
    package_grant(registry=teapot_registry, package=unlimited, reason="Wedding fair prize", granted_by=None)

    assert client.get(_reserve_path(teapot_registry)).context["page"].package_id == unlimited.pk


@pytest.mark.django_db
def test_made_up_addresses_are_not_remembered_so_they_cannot_push_out_real_registries(client, teapot_registry):
    remembered = len(caching._local_values._entries)
    for number in range(30):
        assert client.post(f"/registries/nobody-{number}/reserve/x/", _reservation_form()).status_code == 404
    assert len(caching._local_values._entries) == remembered
