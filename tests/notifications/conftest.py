from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accounts.factories import UserFactory
from accounts.services import couple_create
from registries.factories import gift, gift_row, registry_index

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
    couple = couple_create(
        email="alex@couple.localhost",
        password="a-long-enough-password",
        partner_one="Alex",
        partner_two="Sam",
        wedding_date=WEDDING_DAY,
        currency="GBP",
        slug="alex-and-sam",
        parent=registry_index(),
    )
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
