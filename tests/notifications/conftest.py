from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accounts.factories import UserFactory, make_couple
from registries.factories import gift, gift_row

WEDDING_DAY = date(2027, 6, 12)


@pytest.fixture(autouse=True)
def outbox(settings):
    """The messages anymail's test backend 'sent' during this test (Django's test runner would use locmem)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def couple(db):
    """A couple made by the sign-up service (plus their partner in the couple's group), with a published registry."""
    couple = make_couple("Alex", "Sam", email="alex@couple.localhost", wedding_date=WEDDING_DAY)
    partner = UserFactory(email="sam@couple.localhost", first_name="Sam")
    partner.groups.add(couple.group)
    couple.registry.gifts = [
        gift(title="Teapot", price=Decimal("45.50"), quantity_wanted=2, shop_name="Tea & Co"),
        gift(title="Garden bench", price=Decimal("1260.00"), shop_url="https://example.com/bench"),
    ]
    couple.registry.save_revision(user=couple.user).publish()
    return couple


@pytest.fixture
def teapot(couple):
    return gift_row(couple.registry, "Teapot")
