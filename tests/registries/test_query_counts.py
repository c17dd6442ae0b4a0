"""A registry page costs the same number of queries whether it holds 5 gifts or 100; a reservation costs a
fixed few, and holds the gift's row lock for as few of them as it can."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.factories import make_couple
from registries.factories import (
    RegistryPageFactory,
    gift,
    gift_row,
    make_image,
    publish_gifts,
    section,
    unlimited_package,
)
from registries.models import CoupleEmailPreferences

pytestmark = pytest.mark.django_db


def _registry_with(count: int):
    children = [section("Gifts")]
    children += [gift(title=f"Gift {n}", image=make_image(size=(64, 48))) for n in range(count)]
    return RegistryPageFactory(slug=f"registry-{count}", gifts=children, package=unlimited_package())


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


@pytest.fixture
def teapot():
    """A gift on the registry of a couple who hear of each reservation (the default)."""
    couple = make_couple("Alex", "Sam")
    publish_gifts(couple.registry, gift(title="Teapot", quantity_wanted=5))
    return gift_row(couple.registry, "Teapot")


def _reserve(client, teapot) -> list[str]:
    url = f"{teapot.registry.url}reserve/{teapot.block_id}/"
    form = {"name": "Jo", "email": "jo@example.com", "quantity": "1", "message": "", "idempotency_key": uuid.uuid4()}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form)
    assert response.status_code == 302
    return [query["sql"] for query in queries]


def _after_taking_the_units(statements: list[str]) -> list[str]:
    """What runs while the gift's row is locked: from the UPDATE that takes the units to the end of the transaction."""
    update = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "registries_gift"'))
    return [_verb_and_table(sql) for sql in statements[update + 1 :]]


def _verb_and_table(sql: str) -> str:
    if sql.startswith("RELEASE SAVEPOINT"):  # the end of the service's transaction (a savepoint in the test's)
        return "RELEASE SAVEPOINT"
    table = re.search(r'(?:FROM|INTO) "(\w+)"', sql).group(1)
    return f"{sql.split()[0]} {table}"


def test_a_reservation_costs_a_fixed_number_of_queries(client, teapot):
    # The first one routes: Wagtail's site and home page, the registry's address, its row.
    assert len(_reserve(client, teapot)) <= 13
    # The next ones route from the worker's snapshot. Then the gift, the couple's addresses, and in one
    # transaction (its savepoint here) the reservation, the guest's email, the units, the count left and the
    # couple's email.
    statements = _reserve(client, teapot)
    assert len(statements) <= 9
    assert not [sql for sql in statements if '"wagtailcore_page"' in sql or '"registries_registrypage"' in sql]


def test_the_gift_row_is_locked_only_for_the_couples_email_and_the_commit(client, teapot):
    assert _after_taking_the_units(_reserve(client, teapot)) == [
        "SELECT registries_gift",  # how many are still wanted, for the couple's email
        "INSERT notifications_outboxemail",
        "RELEASE SAVEPOINT",
    ]


def test_without_a_couples_email_the_units_are_taken_just_before_the_commit(client, teapot):
    CoupleEmailPreferences.objects.create(
        registry=teapot.registry, reservation_emails=CoupleEmailPreferences.ReservationEmails.DAILY
    )
    assert _after_taking_the_units(_reserve(client, teapot)) == ["RELEASE SAVEPOINT"]
