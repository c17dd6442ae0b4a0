"""Registries are found under /registries/ in one query; missing or unpublished ones are a helpful 404."""

import pytest
from wagtail.models import PageViewRestriction

from registries.factories import RegistryPageFactory, gift, registry_index


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
    PageViewRestriction.objects.create(page=registry_index(), restriction_type=PageViewRestriction.LOGIN)
    for path in (page.url, f"{page.url}reserve/{page.gifts[0].id}/"):
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
