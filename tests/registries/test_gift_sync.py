"""Gift rows follow the live revision; reservations survive every page edit."""

import uuid
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from wagtail.blocks import StreamValue

from registries.factories import RegistryPageFactory, gift, registry_index, section
from registries.models import Gift, RegistryPage, Reservation
from registries.services import reservation_create


def _reserve(gift_row, quantity=1):
    return reservation_create(
        gift=gift_row, name="Jo", email="jo@example.com", quantity=quantity, message="", idempotency_key=uuid.uuid4()
    ).reservation


def _keep_ids(page, children):
    """Children given as (type, value, id) keep their block ids, as the admin editor does."""
    return StreamValue(page.gifts.stream_block, children)


def _publish(page, children):
    page.gifts = _keep_ids(page, children)
    page.save_revision().publish()


pytestmark = pytest.mark.django_db


def test_publishing_creates_one_active_gift_row_per_gift_block():
    page = RegistryPageFactory(gifts=[section("Kitchen"), gift(title="Kettle", quantity_wanted=2), gift(title="Mugs")])
    rows = Gift.objects.filter(registry=page).order_by("title")
    assert [(r.title, r.quantity_wanted, r.active) for r in rows] == [("Kettle", 2, True), ("Mugs", 1, True)]
    assert {r.block_id for r in rows} == {b.id for b in page.gifts if b.block_type == "gift"}


def test_a_draft_page_has_no_reservable_gifts():
    page = RegistryPageFactory(gifts=[gift(title="Kettle")], publish=False)
    page.save_revision()
    assert not Gift.objects.filter(registry=page, active=True).exists()


def test_saving_a_draft_does_not_change_what_guests_can_reserve():
    page = RegistryPageFactory(gifts=[gift(title="Kettle", price=Decimal("30"))])
    block = page.gifts[0]
    page.gifts = _keep_ids(page, [("gift", {**block.value, "title": "Kettle (draft)"}, block.id)])
    page.save_revision()
    assert Gift.objects.get(registry=page).title == "Kettle"


def test_publishing_an_edit_updates_the_same_row_by_block_id():
    page = RegistryPageFactory(gifts=[gift(title="Kettle", price=Decimal("30"))])
    row = Gift.objects.get(registry=page)
    block = page.gifts[0]
    _publish(page, [("gift", {**block.value, "title": "Electric kettle", "price": Decimal("45")}, block.id)])
    row.refresh_from_db()
    assert (row.title, row.price, row.active) == ("Electric kettle", Decimal("45.00"), True)


def test_the_shop_a_couple_publishes_is_where_the_emails_send_guests():
    page = RegistryPageFactory(gifts=[gift(title="Kettle", shop_name="Kettle Co", shop_url="https://kettle.example/")])
    block = page.gifts[0]
    _publish(
        page, [("gift", {**block.value, "shop_name": "Pots & Co", "shop_url": "https://pots.example/k"}, block.id)]
    )
    assert Gift.objects.filter(registry=page).values_list("shop_name", "shop_url").get() == (
        "Pots & Co",
        "https://pots.example/k",
    )
    assert Gift.objects.filter(registry=page).count() == 1


def test_a_removed_gift_becomes_inactive_and_keeps_its_reservations():
    page = RegistryPageFactory(gifts=[gift(title="Kettle"), gift(title="Mugs")])
    kettle = Gift.objects.get(registry=page, title="Kettle")
    reservation = _reserve(kettle)
    mugs_block = next(b for b in page.gifts if b.value["title"] == "Mugs")
    _publish(page, [("gift", mugs_block.value, mugs_block.id)])
    kettle.refresh_from_db()
    assert not kettle.active
    assert Reservation.objects.get(pk=reservation.pk).gift == kettle


def test_a_gift_put_back_becomes_active_again_with_its_reservations():
    page = RegistryPageFactory(gifts=[gift(title="Kettle", quantity_wanted=2)])
    block = page.gifts[0]
    _reserve(Gift.objects.get(registry=page))
    _publish(page, [])
    _publish(page, [("gift", block.value, block.id)])
    row = Gift.objects.get(registry=page)
    assert (row.active, row.quantity_reserved) == (True, 1)


def test_unpublishing_makes_every_gift_inactive():
    page = RegistryPageFactory(gifts=[gift(title="Kettle"), gift(title="Mugs")])
    page.unpublish()
    assert not Gift.objects.filter(registry=page, active=True).exists()
    assert Gift.objects.filter(registry=page).count() == 2


def test_deleting_a_registry_keeps_gifts_and_reservations_inactive():
    page = RegistryPageFactory(gifts=[gift(title="Kettle")])
    reservation = _reserve(Gift.objects.get(registry=page))
    page.delete()
    kettle = Gift.objects.get(title="Kettle")
    assert (kettle.active, kettle.registry) == (False, None)
    assert Reservation.objects.filter(pk=reservation.pk).exists()


def test_moving_a_registry_keeps_its_gifts_in_step():
    page = RegistryPageFactory(gifts=[gift(title="Kettle")])
    page.move(registry_index(), pos="last-child")
    assert Gift.objects.get(registry=page).active
    assert RegistryPage.objects.get(pk=page.pk).url.startswith("/registries/")


def test_a_gift_never_drops_below_what_guests_hold_even_if_the_page_says_so():
    page = RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=6)])
    _reserve(Gift.objects.get(registry=page), quantity=4)
    block = page.gifts[0]
    _publish(page, [("gift", {**block.value, "quantity_wanted": 2}, block.id)])
    row = Gift.objects.get(registry=page)
    assert (row.quantity_wanted, row.quantity_reserved) == (4, 4)


def test_gifts_published_before_their_shop_was_kept_on_the_row_get_it_from_the_live_page():
    page = RegistryPageFactory(gifts=[gift(title="Kettle", shop_name="Kettle Co", shop_url="https://kettle.example/")])
    Gift.objects.filter(registry=page).update(shop_name="", shop_url="")  # as rows were before migration 0008

    import_module("registries.migrations.0008_gift_shop").copy_shops_from_live_pages(apps, schema_editor=None)

    assert Gift.objects.filter(registry=page).values_list("shop_name", "shop_url").get() == (
        "Kettle Co",
        "https://kettle.example/",
    )
