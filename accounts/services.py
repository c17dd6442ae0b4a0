"""Creating a couple: their login, their own corner of the admin, and their registry."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from registries.models import Package, RegistryIndexPage, RegistryPage

from . import emails
from .models import User

COUPLE_PAGE_PERMISSIONS = ("add", "change", "publish")
COUPLE_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")


@dataclass(frozen=True)
class Couple:
    user: User
    group: Group
    collection: Collection
    registry: RegistryPage


@transaction.atomic
def couple_create(
    *,
    email: str,
    password: str,
    partner_one: str,
    partner_two: str,
    wedding_date: date,
    currency: str,
    slug: str,
    parent: RegistryIndexPage,
) -> Couple:
    """Everything a new couple needs, in one transaction: a failure half-way leaves nothing behind.

    The couple's group may add, change and publish their own registry page alone, and add, change
    and choose images in their own collection alone. The welcome email leaves once it is all saved.
    """
    user = User.objects.create_user(email=email, password=password, first_name=partner_one)
    names = f"{partner_one} & {partner_two}"

    registry = RegistryPage(
        title=names,
        slug=slug,
        partner_one=partner_one,
        partner_two=partner_two,
        wedding_date=wedding_date,
        currency=currency,
        owner=user,
        live=False,
        package=Package.default(),
    )
    parent.add_child(instance=registry)
    registry.save_revision(user=user)

    group = Group.objects.create(name=f"Couple {registry.pk}: {names}"[:150])
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for permission_type in COUPLE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(group=group, page=registry, permission_type=permission_type)

    collection = Collection.get_first_root_node().add_child(name=f"{names} ({registry.pk})")
    for codename in COUPLE_IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )

    user.groups.add(group)
    transaction.on_commit(lambda: _send_welcome(user=user, registry=registry))
    return Couple(user=user, group=group, collection=collection, registry=registry)


def _send_welcome(*, user: User, registry: RegistryPage) -> None:
    base_url = get_admin_base_url()
    emails.send_welcome(
        user=user,
        registry=registry,
        editor_url=base_url + reverse("wagtailadmin_pages:edit", args=[registry.pk]),
        login_url=base_url + reverse("wagtailadmin_login"),
    )
