from datetime import date

import pytest

from accounts.factories import make_couple

COUPLE_PASSWORD = "lantern-orchard-velvet-42"


@pytest.fixture
def couple(db):
    return make_couple(
        "Robin", "Kim", email="robin@example.com", password=COUPLE_PASSWORD, wedding_date=date(2031, 6, 1)
    )


@pytest.fixture
def couple_client(client, couple):
    client.force_login(couple.user)
    return client
