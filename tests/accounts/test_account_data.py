"""A couple downloads all their data as JSON, or deletes their account: registry anonymised, guests erased."""

import json
import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection, PageLogEntry, PageViewRestriction

from accounts.factories import UserFactory
from accounts.models import PartnerInvitation, User
from accounts.services import DELETED_REGISTRY_TITLE
from registries.factories import RegistryPageFactory, gift, make_image
from registries.models import Gift, RegistryPage, Reservation
from registries.services import reservation_create

from .conftest import COUPLE_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(couple):
    """The couple's registry, published with a photo and two gifts, one of them reserved by a guest."""
    photo = make_image(title="Our espresso machine")
    photo.collection = couple.collection
    photo.save()
    registry = couple.registry
    registry.welcome = "<p>Love, Robin &amp; Kim</p>"
    registry.place = "Brighton"
    registry.gifts = [gift(title="Espresso machine", image=photo), gift(title="Tea towels")]
    registry.visibility = RegistryPage.Visibility.PASSWORD
    registry.guest_password = "open-sesame"
    registry.save_revision(user=couple.user).publish()
    espresso = Gift.objects.get(registry=registry, title="Espresso machine")
    reservation_create(
        gift=espresso,
        name="Jo Guest",
        email="jo@example.com",
        quantity=1,
        message="Congratulations!",
        idempotency_key=uuid.uuid4(),
    )
    return couple


def export(client) -> dict:
    response = client.get(reverse("couple_account:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="whispergifts-robin-and-kim-')
    return json.loads(response.content)


class TestExport:
    def test_export_holds_the_registry_gifts_reservations_photos_and_users(self, couple_client, filled):
        data = export(couple_client)
        assert data["registry"]["partner_one"] == "Robin"
        assert data["registry"]["address"] == "http://testserver/registries/robin-and-kim/"
        assert data["registry"]["guest_password"] == "open-sesame"
        assert [g["title"] for g in data["registry"]["gifts_in_editor"]] == ["Espresso machine", "Tea towels"]
        assert data["registry"]["gifts_in_editor"][0]["image"] == "Our espresso machine"
        assert {g["title"]: g["quantity_reserved"] for g in data["gifts"]} == {"Espresso machine": 1, "Tea towels": 0}
        assert data["reservations"][0]["gift"] == "Espresso machine"
        assert data["images"][0]["title"] == "Our espresso machine"
        assert data["users"] == [
            {
                "email": "robin@example.com",
                "first_name": "Robin",
                "last_name": "",
                "date_joined": data["users"][0]["date_joined"],
                "last_login": data["users"][0]["last_login"],
            }
        ]

    def test_export_keeps_the_surprise_and_never_shows_guests_emails(self, couple_client, filled):
        raw = couple_client.get(reverse("couple_account:export")).content.decode()
        assert "Jo Guest" not in raw
        assert "jo@example.com" not in raw
        assert "Congratulations!" not in raw

    def test_export_includes_unpublished_edits(self, couple_client, filled):
        draft = filled.registry.get_latest_revision_as_object()
        draft.place = "Hove"
        draft.save_revision()
        assert export(couple_client)["registry"]["place"] == "Hove"

    def test_export_holds_nothing_of_another_couple(self, couple_client, filled):
        RegistryPageFactory(slug="other", partner_one="Zed", gifts=[gift(title="Canoe")])
        raw = couple_client.get(reverse("couple_account:export")).content.decode()
        assert "Zed" not in raw and "Canoe" not in raw


class TestAccountPageAccess:
    def test_couples_see_an_account_menu_item(self, couple_client):
        assert reverse("couple_account:index") in couple_client.get(reverse("wagtailadmin_home")).content.decode()

    @pytest.mark.parametrize("name", ["couple_account:index", "couple_account:export", "couple_account:delete"])
    def test_staff_without_a_registry_get_404(self, client, name):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        assert client.get(reverse(name)).status_code == 404

    def test_visitors_are_sent_to_log_in(self, client):
        response = client.get(reverse("couple_account:export"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


class TestDeleteAccount:
    def test_deleting_asks_for_the_password_first(self, couple_client, filled):
        page = couple_client.get(reverse("couple_account:delete"))
        assert "This can't be undone" in page.content.decode().replace("&#x27;", "'")
        wrong = couple_client.post(reverse("couple_account:delete"), {"password": "nope"})
        assert wrong.status_code == 200
        assert User.objects.filter(email="robin@example.com").exists()
        assert RegistryPage.objects.get(pk=filled.registry.pk).live

    def test_deleting_unpublishes_and_anonymises_and_erases_guests_personal_data(self, couple_client, filled):
        registry_pk, group_pk, collection_pk = filled.registry.pk, filled.group.pk, filled.collection.pk
        response = couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        assert response["Location"] == "/"

        registry = RegistryPage.objects.get(pk=registry_pk)
        assert not registry.live
        assert registry.title == DELETED_REGISTRY_TITLE
        assert (registry.partner_one, registry.partner_two, registry.place, registry.welcome) == ("", "", "", "")
        assert registry.owner is None
        assert list(registry.gifts) == []
        assert not registry.revisions.exists()
        assert not PageLogEntry.objects.filter(page=registry).exists()
        assert not PageViewRestriction.objects.filter(page=registry).exists()
        assert registry.slug.startswith("deleted-")
        assert not registry.url_path.endswith("/robin-and-kim/")

        reservation = Reservation.objects.get()
        assert (reservation.name, reservation.email, reservation.message) == ("", "", "")
        assert (reservation.gift.title, str(reservation.gift.price)) == ("Espresso machine", "25.00")
        assert not reservation.gift.active

        assert not User.objects.filter(email="robin@example.com").exists()
        assert not Group.objects.filter(pk=group_pk).exists()
        assert not Collection.objects.filter(pk=collection_pk).exists()
        assert not get_image_model().objects.filter(title="Our espresso machine").exists()

    def test_the_old_address_is_gone_and_free_again(self, couple_client, filled, client):
        couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        assert client.get("/registries/robin-and-kim/").status_code == 404
        assert not RegistryPage.objects.filter(slug="robin-and-kim").exists()

    def test_both_partners_logins_and_pending_invitations_go(self, couple_client, filled):
        kim = UserFactory(email="kim@example.com")
        kim.groups.add(filled.group)
        PartnerInvitation.objects.create(
            registry=filled.registry, email="x@example.com", invited_by=filled.user, expires_at="2099-01-01T00:00Z"
        )
        couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        assert not User.objects.filter(email__in=["robin@example.com", "kim@example.com"]).exists()
        assert not PartnerInvitation.objects.exists()

    def test_a_staff_member_helping_the_couple_keeps_their_own_login(self, couple_client, filled):
        helper = UserFactory(email="support@whispergifts.example", is_staff=True)
        helper.groups.add(filled.group)
        couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        helper.refresh_from_db()
        assert not helper.groups.exists()

    def test_after_deleting_the_couple_is_logged_out_and_told(self, couple_client, filled):
        response = couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD}, follow=True)
        assert "Your account and your registry are deleted" in response.content.decode()
        assert couple_client.get(reverse("wagtailadmin_home")).status_code == 302

    def test_a_guests_manage_link_says_the_registry_closed_without_their_name(self, couple_client, filled, client):
        token = Reservation.objects.get().manage_token
        couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        response = client.get(reverse("reservation_manage", args=[token]))
        assert response.status_code == 410  # the registry has closed, kindly said
        assert "Jo Guest" not in response.content.decode()
        assert "Espresso machine" in response.content.decode()
        assert DELETED_REGISTRY_TITLE not in response.content.decode()

    def test_other_couples_are_untouched(self, couple_client, filled):
        other = RegistryPageFactory(slug="other", gifts=[gift(title="Canoe")])
        reservation_create(
            gift=Gift.objects.get(registry=other),
            name="Max",
            email="max@example.com",
            quantity=1,
            message="Hi",
            idempotency_key=uuid.uuid4(),
        )
        couple_client.post(reverse("couple_account:delete"), {"password": COUPLE_PASSWORD})
        assert RegistryPage.objects.get(pk=other.pk).live
        assert Reservation.objects.get(gift__registry=other).email == "max@example.com"
