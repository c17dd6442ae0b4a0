"""`load_demo` builds a site worth looking at, and running it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.db.models import F
from wagtail.images import get_image_model

from registries.models import Gift, RegistryPage, Reservation

pytestmark = pytest.mark.django_db


def _load(settings, debug=True):
    settings.DEBUG = debug
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_registry_has_two_dozen_gifts_in_four_sections_some_reserved(settings, client):
    _load(settings)
    registry = RegistryPage.objects.get(slug="alex-and-sam")
    assert registry.live and registry.url == "/registries/alex-and-sam/"
    assert [b.block_type for b in registry.gifts].count("section") == 4
    gifts = Gift.objects.filter(registry=registry, active=True)
    assert gifts.count() == 24
    assert all(b.value["image"] for b in registry.gifts if b.block_type == "gift")
    assert gifts.filter(quantity_reserved__gt=0).exclude(quantity_reserved=F("quantity_wanted")).exists()
    assert gifts.filter(quantity_reserved=F("quantity_wanted")).exists()
    assert client.get(registry.url).status_code == 200


def test_loading_the_demo_twice_changes_nothing(settings):
    _load(settings)
    counts = (RegistryPage.objects.count(), Gift.objects.count(), Reservation.objects.count())
    _load(settings)
    assert (RegistryPage.objects.count(), Gift.objects.count(), Reservation.objects.count()) == counts


def test_the_demo_superuser_exists_only_when_debug_is_on(settings, django_user_model):
    _load(settings, debug=False)
    assert not django_user_model.objects.filter(is_superuser=True).exists()
    _load(settings, debug=True)
    admin = django_user_model.objects.get(is_superuser=True)
    assert admin.check_password("whisper-demo-admin")


def test_the_demo_couple_can_log_in_and_edit_only_their_own_registry(settings, client):
    _load(settings)
    registry = RegistryPage.objects.get(slug="alex-and-sam")

    logged_in = client.post(
        "/admin/login/", {"username": "alex-and-sam@couple.localhost", "password": "whisper-demo-couple"}
    )
    assert logged_in.status_code == 302
    assert client.get(f"/admin/pages/{registry.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{registry.get_parent().pk}/edit/").status_code in {302, 403, 404}
    their_pictures = get_image_model().objects.filter(collection__name__startswith="Alex & Sam")
    assert their_pictures.count() == 25  # a picture for each gift, and the hero


def test_without_debug_the_demo_couple_has_no_password(settings, django_user_model):
    _load(settings, debug=False)
    assert not django_user_model.objects.get(email="alex-and-sam@couple.localhost").has_usable_password()
