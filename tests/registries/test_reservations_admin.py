"""The couple's reservations in the admin: a surprise until the day after the wedding, then thank-yous."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.factories import make_couple
from notifications.models import UndeliverableAddress
from registries.factories import gift, publish_gifts, reserve
from registries.models import OutsideGift, Package, RegistryPage, Reservation

WEDDING = date(2031, 6, 14)


@pytest.fixture
def couple(db):
    couple = make_couple("Alex", "Sam", wedding_date=WEDDING)
    registry = publish_gifts(
        couple.registry,
        gift(title="Toaster", quantity_wanted=2),
        gift(title="Teapot", quantity_wanted=2),
    )
    reserve(registry, "Toaster", name="Auntie Rosalind", message="Toast every morning, my dears!")
    reserve(registry, "Teapot", name="Cousin Bartholomew", quantity=1)
    RegistryPage.objects.filter(pk=registry.pk).update(package=Package.objects.get(name="Plus"))  # the CSV export
    return couple


def _reservations_page(client, registry):
    return client.get(reverse("registries_reservations:registry", args=[registry.pk]))


def _csv(client, registry):
    response = client.get(reverse("registries_reservations:csv", args=[registry.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@time_machine.travel(date(2031, 5, 1))
def test_before_the_wedding_the_couple_sees_progress_but_not_who_or_what_they_wrote(client, couple):
    client.force_login(couple.user)
    response = _reservations_page(client, couple.registry)
    body = response.content.decode()
    assert response.status_code == 200
    assert "50&nbsp;% of your registry is covered" in body
    assert "Toaster" in body and "Teapot" in body
    assert "Rosalind" not in body and "Bartholomew" not in body and "Toast every morning" not in body
    assert "Reveal now" in body


@time_machine.travel(date(2031, 5, 1))
def test_the_csv_before_the_reveal_has_progress_only(client, couple):
    client.force_login(couple.user)
    rows = _csv(client, couple.registry)
    assert rows[0] == ["Gift", "Wanted", "Reserved", "Bought", "Still wanted"]
    assert ["Teapot", "2", "1", "0", "1"] in rows
    assert rows[-1] == ["50 % of your registry is covered"]
    flat = " ".join(" ".join(row) for row in rows)
    assert "Rosalind" not in flat and "Toast every morning" not in flat


def test_the_surprise_lasts_through_the_wedding_day_and_ends_the_day_after(couple):
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert not registry.reservations_revealed(WEDDING - timedelta(days=1))
    assert not registry.reservations_revealed(WEDDING)
    assert registry.reservations_revealed(WEDDING + timedelta(days=1))


def test_couples_who_dont_want_a_surprise_see_everything_at_once(couple):
    RegistryPage.objects.filter(pk=couple.registry.pk).update(keep_surprise=False)
    assert RegistryPage.objects.get(pk=couple.registry.pk).reservations_revealed(WEDDING - timedelta(days=30))


@time_machine.travel(date(2031, 6, 15))
def test_the_day_after_the_wedding_the_couple_sees_giver_quantity_status_and_message(client, couple):
    client.force_login(couple.user)
    body = _reservations_page(client, couple.registry).content.decode()
    assert "Auntie Rosalind" in body
    assert "Toast every morning, my dears!" in body
    assert "Cousin Bartholomew" in body
    assert "Reserved" in body
    rows = _csv(client, couple.registry)
    assert rows[0] == ["Gift", "From", "Quantity", "Status", "Message", "Received", "Thanked", "Source"]
    assert [
        "Toaster",
        "Auntie Rosalind",
        "1",
        "Reserved",
        "Toast every morning, my dears!",
        "No",
        "No",
        "Registry",
    ] in rows


@time_machine.travel(date(2031, 6, 15))
def test_the_couple_sees_beside_a_reservation_that_our_emails_cannot_reach_that_guest(client, couple):
    UndeliverableAddress.objects.create(email="auntie@example.com", reason=UndeliverableAddress.Reason.BOUNCED)
    client.force_login(couple.user)

    soup = BeautifulSoup(_reservations_page(client, couple.registry).content, "html.parser")
    rows = {row.find_all("td")[1].get_text(" ", strip=True) for row in soup.select("tbody tr") if row.find_all("td")}
    assert "Auntie Rosalind Can't be emailed (the address bounced): they may not have their link." in rows
    assert "Cousin Bartholomew" in rows


@time_machine.travel(date(2031, 5, 1))
def test_revealing_early_asks_for_confirmation_first(client, couple):
    client.force_login(couple.user)
    reveal_url = reverse("registries_reservations:reveal", args=[couple.registry.pk])

    confirmation = client.get(reveal_url)
    assert confirmation.status_code == 200
    assert "This can't be undone" in confirmation.content.decode()
    assert RegistryPage.objects.get(pk=couple.registry.pk).revealed_at is None

    response = client.post(reveal_url, follow=True)
    assert RegistryPage.objects.get(pk=couple.registry.pk).revealed_at is not None
    body = response.content.decode()
    assert "Auntie Rosalind" in body and "Toast every morning" in body
    assert "Auntie Rosalind" in " ".join(" ".join(row) for row in _csv(client, couple.registry))


@time_machine.travel(date(2031, 6, 20))
def test_thank_you_ticks_are_saved_and_other_couples_reservations_are_left_alone(client, couple):
    other = make_couple("Robin", "Kai")
    other_registry = publish_gifts(other.registry, gift(title="Kettle"))
    others_reservation = reserve(other_registry, "Kettle", name="Someone Else")
    toaster = Reservation.objects.get(gift__title="Toaster")
    teapot = Reservation.objects.get(gift__title="Teapot")

    client.force_login(couple.user)
    client.post(
        reverse("registries_reservations:registry", args=[couple.registry.pk]),
        {"received": [toaster.pk, teapot.pk, others_reservation.pk], "thanked": [toaster.pk, others_reservation.pk]},
    )
    toaster.refresh_from_db(), teapot.refresh_from_db(), others_reservation.refresh_from_db()
    assert (toaster.received, toaster.thanked) == (True, True)
    assert (teapot.received, teapot.thanked) == (True, False)
    assert (others_reservation.received, others_reservation.thanked) == (False, False)

    rows = _csv(client, couple.registry)
    assert [
        "Toaster",
        "Auntie Rosalind",
        "1",
        "Reserved",
        "Toast every morning, my dears!",
        "Yes",
        "Yes",
        "Registry",
    ] in (rows)


@time_machine.travel(date(2031, 6, 20))
def test_gifts_received_outside_the_registry_join_the_thank_you_list(client, couple):
    client.force_login(couple.user)
    url = reverse("registries_reservations:registry", args=[couple.registry.pk])

    missing = client.post(url, {"action": "add_outside_gift", "giver": "Grandma Iris", "description": ""})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    assert not OutsideGift.objects.exists()

    client.post(url, {"action": "add_outside_gift", "giver": "Grandma Iris", "description": "A quilt"})
    quilt = OutsideGift.objects.get()
    assert (quilt.registry_id, quilt.giver, quilt.description) == (couple.registry.pk, "Grandma Iris", "A quilt")

    client.post(url, {"thanked_outside": [quilt.pk]})
    quilt.refresh_from_db()
    assert quilt.thanked
    assert ["A quilt", "Grandma Iris", "", "", "", "Yes", "Yes", "Added by you"] in _csv(client, couple.registry)

    client.post(reverse("registries_reservations:delete_outside_gift", args=[couple.registry.pk, quilt.pk]))
    assert not OutsideGift.objects.exists()


@time_machine.travel(date(2031, 5, 1))
def test_nothing_can_be_ticked_or_added_while_it_is_still_a_surprise(client, couple):
    client.force_login(couple.user)
    toaster = Reservation.objects.get(gift__title="Toaster")
    client.post(
        reverse("registries_reservations:registry", args=[couple.registry.pk]),
        {"received": [toaster.pk], "action": "", "giver": "x", "description": "y"},
    )
    toaster.refresh_from_db()
    assert not toaster.received


@time_machine.travel(date(2031, 6, 20))
def test_guest_names_cannot_run_as_spreadsheet_formulas(client, couple):
    reserve(couple.registry, "Teapot", name="=HYPERLINK(evil)")
    client.force_login(couple.user)
    assert any(row[1] == "'=HYPERLINK(evil)" for row in _csv(client, couple.registry))


def test_the_reservations_menu_item_takes_a_couple_straight_to_their_registry(client, couple):
    client.force_login(couple.user)
    response = client.get(reverse("registries_reservations:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("registries_reservations:registry", args=[couple.registry.pk])
    assert '"url": "/admin/reservations/"' in client.get("/admin/").content.decode()  # the sidebar's menu data


@time_machine.travel(date(2031, 5, 1))
def test_publishing_a_draft_saved_before_an_early_reveal_keeps_the_reveal(client, couple):
    RegistryPage.objects.get(pk=couple.registry.pk).save_revision(user=couple.user)  # a draft, not yet published
    client.force_login(couple.user)
    client.post(reverse("registries_reservations:reveal", args=[couple.registry.pk]))
    revealed_at = RegistryPage.objects.get(pk=couple.registry.pk).revealed_at
    assert revealed_at is not None

    RegistryPage.objects.get(pk=couple.registry.pk).get_latest_revision().publish()
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert registry.revealed_at == revealed_at
    assert registry.reservations_revealed()


@time_machine.travel(date(2031, 6, 20))
def test_a_gift_received_on_a_day_still_to_come_is_refused_next_to_the_date(client, couple):
    client.force_login(couple.user)
    url = reverse("registries_reservations:registry", args=[couple.registry.pk])

    response = client.post(
        url,
        {"action": "add_outside_gift", "giver": "Grandma Iris", "description": "A quilt", "received_on": "2031-06-21"},
    )

    assert response.status_code == 400
    field = (
        BeautifulSoup(response.content, "html.parser")
        .select_one("#id_received_on")
        .find_parent(attrs={"data-field": True})
    )
    assert "That date is still to come: enter the day you received it." in field.get_text()
    assert not OutsideGift.objects.exists()
    client.post(
        url,
        {"action": "add_outside_gift", "giver": "Grandma Iris", "description": "A quilt", "received_on": "2031-06-20"},
    )
    assert OutsideGift.objects.get().received_on == date(2031, 6, 20)
