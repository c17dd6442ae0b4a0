"""A registry page costs the same number of queries whether it holds 5 gifts or 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registries.factories import RegistryPageFactory, gift, make_image, section

pytestmark = pytest.mark.django_db


def _registry_with(count: int):
    children = [section("Gifts")]
    children += [gift(title=f"Gift {n}", image=make_image(size=(64, 48))) for n in range(count)]
    return RegistryPageFactory(slug=f"registry-{count}", gifts=children)


def _queries_for_warm_page(client, page) -> int:
    assert client.get(page.url).status_code == 200  # renditions are created on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url, {"sort": "price_asc"})
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_gifts(client):
    few = _queries_for_warm_page(client, _registry_with(5))
    many = _queries_for_warm_page(client, _registry_with(100))
    assert few == many
    assert many <= 12
