from datetime import date

import pytest
from wagtail.models import Page

from accounts.services import couple_create
from registries.factories import registry_index
from registries.models import RegistryPage


@pytest.mark.django_db
def test_a_new_couple_gets_a_login_a_draft_registry_and_rights_on_it_alone():
    couple = couple_create(
        email="alex@example.com",
        password="a-long-enough-passphrase",
        partner_one="Alex",
        partner_two="Sam",
        wedding_date=date(2031, 6, 1),
        currency="EUR",
        slug="alex-and-sam",
        parent=registry_index(),
    )
    registry = RegistryPage.objects.get(pk=couple.registry.pk)
    assert registry.owner == couple.user
    assert not registry.live
    assert registry.url_path.endswith("/registries/alex-and-sam/")
    assert registry.package.is_default
    assert couple.user.check_password("a-long-enough-passphrase")
    assert couple.user.has_perm("wagtailadmin.access_admin")

    permissions = registry.permissions_for_user(couple.user)
    assert permissions.can_edit() and permissions.can_publish()
    other_page = Page.objects.get(depth=2)
    assert not other_page.permissions_for_user(couple.user).can_edit()


@pytest.mark.django_db(transaction=True)
def test_a_failure_half_way_leaves_no_user_group_collection_or_page_behind(monkeypatch):
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission

    from accounts.models import User

    index = registry_index()
    pages, groups, collections = Page.objects.count(), Group.objects.count(), Collection.objects.count()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    # The image permissions come after the user, the page, the group and the collection exist.
    monkeypatch.setattr(GroupCollectionPermission.objects, "create", fail)
    with pytest.raises(RuntimeError):
        couple_create(
            email="alex@example.com",
            password="a-long-enough-passphrase",
            partner_one="Alex",
            partner_two="Sam",
            wedding_date=date(2031, 6, 1),
            currency="EUR",
            slug="alex-and-sam",
            parent=index,
        )

    assert not User.objects.filter(email="alex@example.com").exists()
    assert not RegistryPage.objects.filter(slug="alex-and-sam").exists()
    assert (Page.objects.count(), Group.objects.count(), Collection.objects.count()) == (pages, groups, collections)
    index.refresh_from_db()
    assert index.numchild == 0
