"""What couples, editors and superusers may do in the admin."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accounts.factories import UserFactory, make_couple
from home.models import HomePage
from lockdown.wagtail_hooks import OwnPagesFilterSet
from marketing.models import MarketingPage
from registries.factories import gift, make_image, publish_gifts, registry_index
from registries.models import Package, RegistryPage


@pytest.fixture
def couple(db):
    return make_couple("Alex", "Sam")


@pytest.fixture
def other_couple(db):
    return make_couple("Robin", "Kai")


@pytest.fixture
def editor(db):
    user = UserFactory(email="editor@example.com")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_a_couple_edits_publishes_and_unpublishes_their_registry_but_cannot_delete_move_or_copy_it(client, couple):
    registry = publish_gifts(couple.registry, gift(title="Toaster"))
    permissions = registry.permissions_for_user(couple.user)
    assert permissions.can_edit() and permissions.can_publish() and permissions.can_unpublish()
    assert not permissions.can_delete() and not permissions.can_move() and not permissions.can_copy()

    client.force_login(couple.user)
    assert client.get(f"/admin/pages/{registry.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{registry.pk}/history/").status_code == 200
    assert client.post(f"/admin/pages/{registry.pk}/delete/").status_code == 404
    assert RegistryPage.objects.filter(pk=registry.pk, live=True).exists()
    client.post(f"/admin/pages/{registry.pk}/unpublish/")
    assert not RegistryPage.objects.get(pk=registry.pk).live


def test_a_couples_menu_holds_their_registry_reservations_and_photos_only(client, couple):
    client.force_login(couple.user)
    body = client.get("/admin/").content.decode()
    for url in ("/admin/pages/", "/admin/reservations/", "/admin/images/"):
        assert f'"url": "{url}"' in body
    for hidden in ("/admin/reports/", "/admin/snippets/", "/admin/documents/", "/admin/users/", "/admin/collections/"):
        assert f'"url": "{hidden}' not in body
    assert client.get("/admin/reports/locked/").status_code == 404


def test_other_apps_open_their_couple_views_through_the_hook(client, couple):
    client.force_login(couple.user)
    usage = f"/admin/pages/{couple.registry.pk}/usage/"
    assert client.get(usage).status_code == 404
    with hooks.register_temporarily("register_couple_admin_urls", lambda: ["wagtailadmin_pages:usage"]):
        assert client.get(usage).status_code == 200


def test_couples_photos_carry_no_tags(client, couple):
    photo = make_image(title="Our sofa")
    photo.collection = couple.collection
    photo.save()
    client.force_login(couple.user)

    form_page = client.get(f"/admin/images/{photo.pk}/").content.decode()
    assert 'name="tags"' not in form_page
    response = client.post(
        f"/admin/images/{photo.pk}/", {"title": "Our new sofa", "tags": "secret-tag", "description": ""}
    )
    assert response.status_code == 302
    photo = get_image_model().objects.get(pk=photo.pk)
    assert photo.title == "Our new sofa"
    assert list(photo.tags.names()) == []
    assert client.get("/admin/tag-autocomplete/?term=sec").status_code == 404


def test_the_explorers_owner_and_editor_filters_name_no_other_couple(couple, other_couple):
    PageLogEntry.objects.log_action(other_couple.registry, "wagtail.edit", user=other_couple.user)
    request = RequestFactory().get("/admin/pages/")
    request.user = couple.user
    filters = OwnPagesFilterSet(request.GET, queryset=Page.objects.all(), request=request)
    assert list(filters.form.fields["owner"].queryset) == [couple.user]
    assert other_couple.user not in filters.form.fields["edited_by"].queryset

    request.user = UserFactory(is_superuser=True)
    filters = OwnPagesFilterSet(request.GET, queryset=Page.objects.all(), request=request)
    assert other_couple.user in filters.form.fields["owner"].queryset
    assert other_couple.user in filters.form.fields["edited_by"].queryset


def test_editors_edit_the_home_and_marketing_pages_and_the_packages(client, editor):
    home = HomePage.objects.get()
    client.force_login(editor)
    assert home.permissions_for_user(editor).can_publish()
    response = client.post(
        f"/admin/pages/add/marketing/marketingpage/{home.pk}/",
        nested_form_data(
            {"title": "How it works", "slug": "how-it-works", "body": streamfield([]), "action-publish": "publish"}
        ),
    )
    assert response.status_code == 302
    assert MarketingPage.objects.get(slug="how-it-works").live

    package = Package.objects.get(is_default=True)
    response = client.post(
        f"/admin/snippets/registries/package/edit/{package.pk}/",
        {
            "name": "Free",
            "price": "0",
            "currency": "GBP",
            "gift_limit": "30",
            "features": "",
            "is_default": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    assert Package.objects.get(pk=package.pk).gift_limit == 30


def test_editors_see_registries_for_support_but_cannot_change_them(client, editor, couple):
    registry = publish_gifts(couple.registry, gift(title="Toaster"))
    permissions = registry.permissions_for_user(editor)
    assert not permissions.can_edit() and not permissions.can_publish() and not permissions.can_unpublish()
    assert not permissions.can_delete() and not permissions.can_lock()
    assert not registry_index().permissions_for_user(editor).can_add_subpage()

    client.force_login(editor)
    listing = client.get(f"/admin/pages/{registry_index().pk}/")
    assert listing.status_code == 200
    assert "Alex &amp; Sam" in listing.content.decode()
    assert client.get(f"/admin/pages/{registry.pk}/edit/").status_code == 302
    assert client.get(f"/admin/reservations/{registry.pk}/").status_code == 404


def test_editors_do_not_see_couples_photos(editor, couple):
    photo = make_image(title="Our sofa")
    photo.collection = couple.collection
    photo.save()
    policy = policy_registry.get_by_type(get_image_model())
    assert photo not in policy.instances_user_has_any_permission_for(editor, ["choose", "change", "delete"])


def test_superusers_can_still_delete_move_and_copy_a_registry(couple):
    superuser = UserFactory(email="root@example.com", is_superuser=True)
    permissions = RegistryPage.objects.get(pk=couple.registry.pk).permissions_for_user(superuser)
    assert permissions.can_edit() and permissions.can_delete() and permissions.can_move() and permissions.can_copy()


def test_the_form_builder_is_not_installed_so_its_submissions_listing_cannot_leak():
    assert not apps.is_installed("wagtail.contrib.forms")


def test_a_couples_dashboard_leads_to_their_registry_and_publishing_keeps_them_in_its_editor(client, couple):
    registry = publish_gifts(couple.registry, gift(title="Toaster"))
    client.force_login(couple.user)
    dashboard = client.get("/admin/").content.decode()
    assert "Edit your registry" in dashboard and f"/admin/pages/{registry.pk}/edit/" in dashboard
    assert "0&nbsp;% of your registry is covered" in dashboard

    edit_page = client.get(f"/admin/pages/{registry.pk}/edit/")
    assert edit_page.status_code == 200
    response = client.post(
        f"/admin/pages/{registry.pk}/edit/",
        nested_form_data(
            {
                "title": "Alex & Sam",
                "slug": registry.slug,
                "partner_one": "Alex",
                "partner_two": "Sam",
                "wedding_date": registry.wedding_date.isoformat(),
                "currency": "GBP",
                "visibility": "unlisted",
                "keep_surprise": "on",
                "welcome": rich_text("Welcome!"),
                "gifts": streamfield([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{registry.pk}/edit/"


def test_the_admin_apis_page_actions_are_closed_to_couples_so_they_cannot_delete_move_or_copy_their_registry(
    client, couple
):
    registry = publish_gifts(couple.registry, gift(title="Toaster"))
    client.force_login(couple.user)
    api = f"/admin/api/main/pages/{registry.pk}/action"
    index = registry_index()
    for action, data in (
        ("delete", {}),
        ("move", {"destination_page_id": index.pk}),
        ("copy", {"destination_page_id": index.pk, "slug": "copy"}),
        ("unpublish", {}),
        ("publish", {}),
        ("revert_to_page_revision", {"revision_id": registry.live_revision_id}),
    ):
        assert client.post(f"{api}/{action}/", data, content_type="application/json").status_code == 404, action
    assert list(RegistryPage.objects.values_list("slug", "live")) == [(registry.slug, True)]
    assert RegistryPage.objects.get(pk=registry.pk).latest_revision_id == registry.latest_revision_id
    # The explorer's side panel still reads the API.
    assert client.get(f"/admin/api/main/pages/{registry.pk}/").status_code == 200
    assert client.get(f"/admin/api/main/pages/?child_of={index.pk}&for_explorer=1").status_code == 200
