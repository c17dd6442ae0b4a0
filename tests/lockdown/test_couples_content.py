"""A couple's registry holds only their own photos and links only to pages they can see.

The choosers are narrowed for couples, but the editor and its preview take whatever ids are posted:
these tests post another couple's ids by hand, as an attacker would.
"""

import json

import pytest

from accounts.factories import UserFactory, make_couple
from registries.factories import gift, make_image, publish_gifts, registry_index
from registries.models import RegistryPage
from tests.registries.editor import page_link, page_link_as_posted, registry_edit_data


@pytest.fixture
def other_couple(db):
    other = make_couple("Robin", "Kai", slug="robin-and-kai-secret-address")
    publish_gifts(other.registry, gift(title="Hat"))
    return other


def photo_in(collection, title):
    photo = make_image(title=title)
    photo.collection = collection
    photo.save()
    return photo


@pytest.fixture
def their_photo(other_couple):
    return photo_in(other_couple.collection, "Robin's wedding hatbox")


@pytest.fixture
def own_photo(couple):
    return photo_in(couple.collection, "Our sofa")


def edit(client, registry, **kwargs):
    return client.post(f"/admin/pages/{registry.pk}/edit/", registry_edit_data(registry, **kwargs))


def preview(client, registry, **kwargs):
    """Post the editor's form to the preview, as the preview panel does, then open the preview."""
    url = f"/admin/pages/{registry.pk}/edit/preview/"
    posted = client.post(url, registry_edit_data(registry, action=None, **kwargs))
    return json.loads(posted.content), client.get(url)


def latest(registry) -> RegistryPage:
    return RegistryPage.objects.get(pk=registry.pk).get_latest_revision_as_object()


class TestPhotos:
    def test_a_couple_cannot_make_another_couples_photo_their_hero_or_social_image(self, client, couple, their_photo):
        client.force_login(couple.user)
        revisions = couple.registry.revisions.count()

        response = edit(client, couple.registry, hero_image=their_photo.pk, social_image=their_photo.pk)

        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["hero_image"] == ["Please choose one of your own photos."]
        assert errors["social_image"] == ["Please choose one of your own photos."]
        assert "Robin&#x27;s wedding hatbox" not in response.content.decode()
        assert couple.registry.revisions.count() == revisions
        assert latest(couple.registry).hero_image_id is None

    def test_a_couple_cannot_put_another_couples_photo_on_a_gift(self, client, couple, their_photo):
        client.force_login(couple.user)

        response = edit(
            client, couple.registry, gifts=[{"title": "Sofa", "image": their_photo}], action="action-publish"
        )

        assert response.status_code == 200
        assert "Please choose one of your own photos." in response.content.decode()
        assert RegistryPage.objects.get(pk=couple.registry.pk).gifts[0].value["image"] is None

    def test_a_couples_preview_refuses_another_couples_photo(self, client, couple, their_photo):
        client.force_login(couple.user)

        answer, shown = preview(
            client, couple.registry, hero_image=their_photo.pk, gifts=[{"title": "Sofa", "image": their_photo}]
        )

        assert answer == {"is_valid": False, "is_available": False}
        assert "hatbox" not in shown.content.decode().lower()

    def test_a_couple_gives_their_registry_their_own_photos(self, client, couple, own_photo):
        client.force_login(couple.user)

        response = edit(
            client,
            couple.registry,
            hero_image=own_photo.pk,
            social_image=own_photo.pk,
            gifts=[{"title": "Sofa", "image": own_photo}],
            action="action-publish",
        )

        assert response.status_code == 302
        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        assert (registry.hero_image, registry.social_image, registry.gifts[0].value["image"]) == (own_photo,) * 3

    def test_staff_may_still_give_a_registry_any_photo(self, client, couple, their_photo):
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))

        response = edit(client, couple.registry, hero_image=their_photo.pk, action="action-publish")

        assert response.status_code == 302
        assert RegistryPage.objects.get(pk=couple.registry.pk).hero_image == their_photo


class TestLinks:
    def test_a_couple_cannot_link_to_another_couples_registry_and_the_editor_never_shows_its_address(
        self, client, couple, other_couple
    ):
        client.force_login(couple.user)

        response = edit(client, couple.registry, welcome=page_link(other_couple.registry.pk), action="action-publish")

        assert response.status_code == 200
        assert response.context["form"].errors["welcome"] == [
            "This links to a page outside your registry. Please remove the link or choose the page again."
        ]
        assert "secret-address" not in response.content.decode()
        assert "secret-address" not in RegistryPage.objects.get(pk=couple.registry.pk).welcome

    def test_a_couples_preview_refuses_a_link_to_another_couples_registry(self, client, couple, other_couple):
        client.force_login(couple.user)

        answer, shown = preview(client, couple.registry, welcome=page_link(other_couple.registry.pk))

        assert answer == {"is_valid": False, "is_available": False}
        assert "secret-address" not in shown.content.decode()

    def test_a_link_to_a_page_that_does_not_exist_or_is_malformed_is_refused(self, client, couple):
        client.force_login(couple.user)
        for page_id in (987654, "not-a-number", "1 or 1=1"):
            data = registry_edit_data(couple.registry)
            data["welcome"] = page_link_as_posted(page_id)
            response = client.post(f"/admin/pages/{couple.registry.pk}/edit/", data)
            assert response.status_code == 200
            assert "welcome" in response.context["form"].errors

    def test_a_couple_links_to_their_own_registry_and_the_pages_above_it(self, client, couple):
        client.force_login(couple.user)
        index = registry_index()
        welcome = page_link(index.pk) + page_link(couple.registry.pk)

        response = edit(client, couple.registry, welcome=welcome, action="action-publish")

        assert response.status_code == 302
        live = client.get(couple.registry.url).content.decode()
        assert f'<a href="{index.url}">our other page</a>' in live
        assert f'<a href="{couple.registry.url}">our other page</a>' in live

    def test_a_link_to_another_couples_registry_already_stored_is_never_expanded(self, client, couple, other_couple):
        """However it got into the page (before these checks): guests, the couple and their editor never see it."""
        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        registry.welcome = page_link(other_couple.registry.pk)
        registry.save_revision(user=couple.user).publish()

        live = client.get(couple.registry.url).content.decode()
        assert "our other page" in live and "secret-address" not in live

        client.force_login(couple.user)
        editor = client.get(f"/admin/pages/{couple.registry.pk}/edit/").content.decode()
        assert "our other page" in editor and "secret-address" not in editor
        answer, shown = preview(client, couple.registry, welcome=page_link(other_couple.registry.pk))
        assert "secret-address" not in shown.content.decode()

    def test_staff_may_still_link_a_registry_to_any_page(self, client, couple, other_couple):
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))

        response = edit(client, couple.registry, welcome=page_link(other_couple.registry.pk), action="action-save")

        assert response.status_code == 302
        assert f'id="{other_couple.registry.pk}"' in latest(couple.registry).welcome

    def test_a_url_a_couple_pastes_stays_an_external_link_instead_of_naming_the_page_it_matches(
        self, client, couple, other_couple
    ):
        client.force_login(couple.user)
        registry = RegistryPage.objects.get(pk=other_couple.registry.pk)
        registry.title = "Robin & Kai's unpublished title"
        registry.save_revision(user=other_couple.user)

        response = client.post(
            "/admin/choose-external-link/", {"external-link-chooser-url": other_couple.registry.url}
        )

        chosen = json.loads(response.content)
        assert chosen["step"] == "external_link_chosen"
        assert chosen["result"]["url"] == other_couple.registry.url
        assert "id" not in chosen["result"] and "unpublished" not in response.content.decode()

    def test_staff_still_have_a_pasted_url_turned_into_a_link_to_the_page(self, client, couple):
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))

        response = client.post("/admin/choose-external-link/", {"external-link-chooser-url": couple.registry.url})

        assert json.loads(response.content)["result"]["id"] == couple.registry.pk
