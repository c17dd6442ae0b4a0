"""What a couple sees in the page editor when an edit would break guests' reservations."""

import uuid

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from accounts.factories import UserFactory
from registries.factories import RegistryPageFactory, gift
from registries.models import Gift
from registries.services import reservation_create

pytestmark = pytest.mark.django_db


def _edit_post(page, quantity_wanted):
    block = page.gifts[0]
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "partner_one": page.partner_one,
            "partner_two": page.partner_two,
            "wedding_date": page.wedding_date.isoformat(),
            "place": page.place,
            "welcome": rich_text(""),
            "currency": page.currency,
            "visibility": "unlisted",
            # The editor posts each block's id back, which keeps it stable across revisions.
            "gifts": {
                "count": "1",
                "0": {
                    "type": "gift",
                    "id": block.id,
                    "deleted": "",
                    "order": "0",
                    "value": {
                        "title": block.value["title"],
                        "description": "",
                        "price": "25.00",
                        "quantity_wanted": str(quantity_wanted),
                        "shop_name": "",
                        "shop_url": "",
                        "category": "kitchen",
                    },
                },
            },
            "action-publish": "publish",
        }
    )


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def plates_page():
    page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=6)])
    reservation_create(
        gift=Gift.objects.get(registry=page),
        name="Jo",
        email="jo@example.com",
        quantity=4,
        message="",
        idempotency_key=uuid.uuid4(),
    )
    return page


def test_lowering_a_quantity_below_what_guests_reserved_is_refused_on_the_field(editor_client, plates_page):
    response = editor_client.post(f"/admin/pages/{plates_page.pk}/edit/", _edit_post(plates_page, 3))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Guests have already reserved 4 of this gift" in body
    assert Gift.objects.get(registry=plates_page).quantity_wanted == 6


def test_lowering_a_quantity_to_exactly_what_guests_reserved_is_fine(editor_client, plates_page):
    response = editor_client.post(f"/admin/pages/{plates_page.pk}/edit/", _edit_post(plates_page, 4))
    assert response.status_code == 302
    assert Gift.objects.get(registry=plates_page).quantity_wanted == 4
