from datetime import date

import pytest

from accounts.services import couple_create
from registries.factories import registry_index

COUPLE_PASSWORD = "lantern-orchard-velvet-42"


@pytest.fixture
def couple(db):
    return couple_create(
        email="robin@example.com",
        password=COUPLE_PASSWORD,
        partner_one="Robin",
        partner_two="Kim",
        wedding_date=date(2031, 6, 1),
        currency="GBP",
        slug="robin-and-kim",
        parent=registry_index(),
    )


@pytest.fixture
def couple_client(client, couple):
    client.force_login(couple.user)
    return client
