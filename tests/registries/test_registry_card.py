"""The couple's card for their invitations: names, the day, the short address and a QR code that leads there."""

import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from accounts.factories import make_couple
from registries.card import CARD_SIZES, registry_card_text
from registries.models import RegistryPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def couple(client):
    couple = make_couple("Alex", "Sam", slug="alex-and-sam")
    couple.registry.place = "Brighton"
    couple.registry.save_revision(user=couple.user).publish()
    client.force_login(couple.user)
    return couple


def download(client, size, file_format):
    return client.get(reverse("registry_card_download", args=[size, file_format]))


@pytest.mark.parametrize("size", sorted(CARD_SIZES))
def test_the_png_card_is_the_size_it_says_and_its_code_leads_to_the_short_address(client, couple, size):
    response = download(client, size, "png")

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert 'filename="alex-and-sam-card-' in response["Content-Disposition"]
    card = Image.open(io.BytesIO(response.content))
    assert card.size == CARD_SIZES[size].pixels
    (code,) = zxingcpp.read_barcodes(card)
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert code.text == f"http://testserver/r/{registry.short_code}/"
    assert client.get(code.text.removeprefix("http://testserver"))["Location"] == "/registries/alex-and-sam/"


@pytest.mark.parametrize("size", sorted(CARD_SIZES))
def test_the_pdf_card_is_one_page_of_the_paper_it_names(client, couple, size):
    response = download(client, size, "pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (media_box,) = re.findall(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", response.content)  # one page
    width_mm, height_mm = (float(side) / 72 * 25.4 for side in media_box)
    assert round(width_mm) == CARD_SIZES[size].width_mm and round(height_mm) == CARD_SIZES[size].height_mm


def test_the_card_names_the_couple_the_day_and_the_address(couple):
    text = registry_card_text(RegistryPage.objects.get(pk=couple.registry.pk))
    assert text.names == "Alex & Sam"
    assert text.day.endswith("· Brighton")
    assert text.address.startswith("testserver/r/")
    assert text.note == ""


def test_a_password_protected_registrys_card_says_the_password_is_in_the_invitation_and_never_prints_it(
    client, couple
):
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    registry.visibility, registry.guest_password = RegistryPage.Visibility.PASSWORD, "open-sesame"
    registry.save_revision(user=couple.user).publish()

    text = registry_card_text(RegistryPage.objects.get(pk=registry.pk))
    page = client.get(reverse("registry_card")).content.decode()

    assert text.note == "The password is in your invitation."
    assert "open-sesame" not in repr(text) and "open-sesame" not in page
    assert "never shows the password itself" in page


def test_an_unpublished_registry_gets_no_card_yet_and_says_why(client, couple):
    RegistryPage.objects.get(pk=couple.registry.pk).unpublish()
    assert not RegistryPage.objects.get(pk=couple.registry.pk).live
    page = client.get(reverse("registry_card")).content.decode()
    refused = download(client, "insert", "png")

    assert "Publish your registry first" in page
    assert refused.status_code == 302
    assert "Publish your registry first" in client.get(refused["Location"]).content.decode()


def test_a_size_or_format_that_does_not_exist_is_a_404(client, couple):
    assert download(client, "poster", "png").status_code == 404
    assert download(client, "insert", "gif").status_code == 404


def test_staff_without_a_registry_of_their_own_get_no_card(admin_client):
    assert admin_client.get(reverse("registry_card")).status_code == 404
