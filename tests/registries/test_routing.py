"""Registries are found under /registries/ in one query; missing or unpublished ones are a helpful 404."""

import pytest

from registries.factories import RegistryPageFactory, gift


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
