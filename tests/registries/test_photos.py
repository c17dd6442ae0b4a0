"""Couples' photos: a file small in bytes but huge in pixels is refused at upload, and the sizes guests see
are made in a worker ahead of them, so no guest's request decodes an original."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import PngImagePlugin
from wagtail.images import get_image_model

from accounts.factories import make_couple
from core.renditions import ADMIN_THUMBNAIL_FILTER, SOCIAL_IMAGE_FILTER
from registries.factories import gift, make_image
from registries.listing import GIFT_IMAGE_FILTERS, HERO_IMAGE_FILTERS, SEARCH_CARD_IMAGE_FILTERS
from registries.models import RegistryPage
from tests.notifications.test_worker import CLOSED_PORT, broker

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()


def png(size: tuple[int, int], name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("P", size, 3).save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


@pytest.fixture
def couple(client):
    couple = make_couple("Robin", "Kim")
    client.force_login(couple.user)
    return couple


def upload(client, couple, file):
    return client.post("/admin/images/add/", {"title": "Us", "file": file, "collection": couple.collection.pk})


class TestHugeImages:
    def test_a_tiny_file_of_huge_dimensions_is_refused_with_a_clear_message_and_nothing_is_stored(
        self, client, couple, media_root
    ):
        bomb = png((11000, 11000))
        assert bomb.size < 500_000  # a few hundred kilobytes that would decode to 121 megapixels

        response = upload(client, couple, bomb)

        assert response.status_code == 200
        assert "too many pixels (121000000)" in response.content.decode()
        assert not Image.objects.exists()
        assert stored_files(media_root) == []

    def test_it_is_refused_from_its_header_without_decoding_it(self, client, couple, monkeypatch):
        def decoding(self):
            raise AssertionError("the upload decoded the whole image")

        bomb = png((11000, 11000))
        monkeypatch.setattr(PILImage.Image, "load", decoding)
        monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", decoding)
        response = upload(client, couple, bomb)

        assert "too many pixels (121000000)" in response.content.decode()

    def test_uploading_from_the_page_editor_refuses_it_too(self, client, couple, media_root):
        response = client.post(
            "/admin/images/chooser/create/",
            {"image-chooser-upload-title": "Us", "image-chooser-upload-file": png((11000, 11000))},
        )

        assert "too many pixels" in response.json()["htmlFragment"]
        assert not Image.objects.exists()
        assert stored_files(media_root) == []

    def test_a_photo_as_large_as_a_phone_takes_is_accepted(self, client, couple):
        response = upload(client, couple, png((6000, 6000)))  # 36 megapixels

        assert response.status_code == 302
        assert Image.objects.get().width == 6000


def specs_of(image) -> set[str]:
    return set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))


class TestRenditionsAreMadeAheadOfTheirRequests:
    def test_the_photo_listing_thumbnail_is_made_after_the_upload_not_by_the_listing(
        self, client, couple, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert upload(client, couple, png((800, 600))).status_code == 302

        photo = Image.objects.get()
        assert specs_of(photo) == {ADMIN_THUMBNAIL_FILTER}
        renditions = Rendition.objects.count()
        assert client.get("/admin/images/").status_code == 200
        assert Rendition.objects.count() == renditions

    def test_publishing_makes_what_guests_will_see_so_the_first_guest_makes_nothing(
        self, client, couple, django_capture_on_commit_callbacks
    ):
        hero, teapot, social = make_image("Hero"), make_image("Teapot"), make_image("Social")
        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        registry.hero_image, registry.social_image = hero, social
        registry.visibility = RegistryPage.Visibility.LISTED
        registry.gifts = [gift(title="Teapot", image=teapot)]
        with django_capture_on_commit_callbacks(execute=True):
            registry.save_revision(user=couple.user).publish()

        assert specs_of(hero) == set(HERO_IMAGE_FILTERS) | set(SEARCH_CARD_IMAGE_FILTERS)
        assert specs_of(teapot) == set(GIFT_IMAGE_FILTERS)
        assert specs_of(social) == {SOCIAL_IMAGE_FILTER}

        renditions = Rendition.objects.count()
        client.logout()
        page = client.get(registry.url).content.decode()
        assert Rendition.objects.count() == renditions
        for rendition in Rendition.objects.filter(image__in=[hero, teapot]).exclude(
            filter_spec__in=SEARCH_CARD_IMAGE_FILTERS
        ):
            assert rendition.url in page

    def test_a_registry_that_search_never_lists_gets_no_search_thumbnail(
        self, couple, django_capture_on_commit_callbacks
    ):
        hero = make_image("Hero")
        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        registry.hero_image = hero
        with django_capture_on_commit_callbacks(execute=True):
            registry.save_revision(user=couple.user).publish()

        assert specs_of(hero) == set(HERO_IMAGE_FILTERS)

    def test_with_the_broker_down_an_upload_still_succeeds(
        self, client, couple, caplog, django_capture_on_commit_callbacks
    ):
        with broker(f"redis://127.0.0.1:{CLOSED_PORT}/0"), django_capture_on_commit_callbacks(execute=True):
            response = upload(client, couple, png((800, 600)))

        assert response.status_code == 302
        assert Image.objects.get().title == "Us"
        assert not Rendition.objects.exists()  # the listing makes its thumbnail, as it always could
        assert "Could not queue renditions" in caplog.text
