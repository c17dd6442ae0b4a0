"""Couples' accounts: creating one, sharing it with a partner, and deleting it with its personal data."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Comment,
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageViewRestriction,
)

from notifications.services import email_partner_invitation, email_welcome, registry_emails_erase
from registries.models import Package, RegistryIndexPage, RegistryPage, Reservation

from .models import PartnerInvitation, User
from .selectors import couple_group_for_registry, couple_members, couple_registry_for_user

COUPLE_PAGE_PERMISSIONS = ("add", "change", "publish")
COUPLE_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
COUPLE_MAX_MEMBERS = 2
INVITATION_VALIDITY = timedelta(days=7)
INVITATION_SALT = "accounts.partner-invitation"


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
    and choose images in their own collection alone.
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
    return Couple(user=user, group=group, collection=collection, registry=registry)


@transaction.atomic
def couple_sign_up(**details) -> Couple:
    """A couple signing up on the site: everything `couple_create` makes, and a welcome email with it."""
    couple = couple_create(**details)
    email_welcome(user=couple.user, registry=couple.registry)
    return couple


class InvitationError(Exception):
    """Why an invitation can't be sent or accepted, in words for the person who tried."""


@transaction.atomic
def partner_invite(*, registry: RegistryPage, invited_by: User, email: str) -> PartnerInvitation:
    """Invite the other partner to share `registry`: the invitation and its email (a signed link) in one go."""
    email = User.objects.normalize_email(email).lower()
    members = couple_members(registry)
    if any(member.email.lower() == email for member in members):
        raise InvitationError(f"{email} already shares this registry.")
    if len(members) >= COUPLE_MAX_MEMBERS:
        raise InvitationError("Your registry is already shared by two people.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and couple_registry_for_user(existing) is not None:
        raise InvitationError(f"{email} already has a registry of their own, so they can't join this one.")

    invitation = PartnerInvitation.objects.create(
        registry=registry, email=email, invited_by=invited_by, expires_at=timezone.now() + INVITATION_VALIDITY
    )
    email_partner_invitation(registry=registry, invited_by=invited_by, to_email=email, invitation_id=invitation.pk)
    return invitation


def invitation_token(invitation: PartnerInvitation) -> str:
    return signing.dumps({"id": invitation.pk, "nonce": invitation.nonce}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> PartnerInvitation:
    """The invitation a link stands for, or InvitationError saying why the link no longer works."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature as error:
        raise InvitationError("This invitation link isn't valid. Please check you copied the whole link.") from error
    invitation = PartnerInvitation.objects.select_related("registry", "invited_by").filter(pk=data.get("id")).first()
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(data.get("nonce", ""))):
        raise InvitationError("This invitation was cancelled. Ask your partner to send a new one.")
    _check_still_usable(invitation)
    return invitation


def _check_still_usable(invitation: PartnerInvitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used. Log in with your email and password.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("This invitation has expired. Ask your partner to send a new one.")


@transaction.atomic
def partner_invitation_accept(
    *, invitation: PartnerInvitation, user: User | None = None, first_name: str = "", password: str = ""
) -> User:
    """Join the registry's couple: as `user` if they already have an account, else as a new one.

    Locks the invitation row, so two clicks on the same link make one member.
    """
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_still_usable(invitation)
    group = couple_group_for_registry(invitation.registry)
    if group is None:
        raise InvitationError("This registry no longer exists.")
    if len(couple_members(invitation.registry)) >= COUPLE_MAX_MEMBERS:
        raise InvitationError("This registry is already shared by two people.")
    if user is None:
        user = User.objects.create_user(email=invitation.email, password=password, first_name=first_name)
    elif couple_registry_for_user(user) is not None:
        raise InvitationError("You already have a registry of your own, so you can't join this one.")

    user.groups.add(group)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def partner_invitation_cancel(*, invitation: PartnerInvitation) -> None:
    invitation.delete()


DELETED_REGISTRY_TITLE = "Deleted registry"


@transaction.atomic
def couple_delete(*, registry: RegistryPage) -> None:
    """Close a couple's account: unpublish and anonymise the registry, erase guests' personal data,
    delete the couple's photos, invitations, emails, group and users.

    What guests reserved stays, with the gift's title and price, so the numbers still add up; the
    payment records stay too (payments.Order and PayPal's notifications), as accounting must keep them.
    """
    registry = RegistryPage.objects.select_for_update().get(pk=registry.pk)
    group = couple_group_for_registry(registry)
    members = couple_members(registry)
    leaving = [member for member in members if not (member.is_staff or member.is_superuser)]
    collections = list(Collection.objects.filter(group_permissions__group=group).distinct()) if group else []
    images = list(get_image_model().objects.filter(collection__in=collections))
    invitation_ids = list(PartnerInvitation.objects.filter(registry=registry).values_list("pk", flat=True))
    couple_addresses = {member.email.lower() for member in leaving}
    forgotten_addresses = _addresses_only_this_registry_knows(registry, leaving=leaving)
    url_parts = registry.get_url_parts()
    address = url_parts[2] if url_parts else None

    if registry.live:
        registry.unpublish(log_action=None)
        registry.refresh_from_db()
    _anonymise_registry(registry)
    _redirects_erase(registry, address=address)

    registry_emails_erase(
        registry=registry,
        invitation_ids=invitation_ids,
        couple_addresses=couple_addresses,
        forgotten_addresses=forgotten_addresses,
    )
    Reservation.objects.filter(gift__registry=registry).update(name="", email="", message="")
    _history_erase(leaving=leaving, images=images)
    AccessAttempt.objects.filter(username__in=couple_addresses).delete()  # failed log-ins name the account
    for image in images:
        image.delete()
    for collection in collections:
        collection.delete()
    PartnerInvitation.objects.filter(registry=registry).delete()
    if group is not None:
        group.delete()
    for member in leaving:  # staff only lose their place in the couple's group
        member.delete()


def _addresses_only_this_registry_knows(registry: RegistryPage, *, leaving: list[User]) -> set[str]:
    """Its guests', its invitees' and the leaving couple's addresses that no other registry, invitation
    or account uses: what we know of them (bounces, complaints) can go with the registry.
    """
    known_here = (
        _lowercase_addresses(Reservation.objects.filter(gift__registry=registry))
        | _lowercase_addresses(PartnerInvitation.objects.filter(registry=registry))
        | {member.email.lower() for member in leaving}
    ) - {""}
    elsewhere = [
        Reservation.objects.exclude(gift__registry=registry),
        PartnerInvitation.objects.exclude(registry=registry),
        User.objects.exclude(pk__in=[member.pk for member in leaving]),
    ]
    return known_here - set().union(*(_lowercase_addresses(rows, among=known_here) for rows in elsewhere))


def _lowercase_addresses(rows, *, among: set[str] | None = None) -> set[str]:
    rows = rows.annotate(address=Lower("email"))
    if among is not None:
        rows = rows.filter(address__in=among)
    return set(rows.values_list("address", flat=True))


def _anonymise_registry(registry: RegistryPage) -> None:
    registry.title = registry.draft_title = DELETED_REGISTRY_TITLE
    registry.slug = f"deleted-{registry.pk}-{secrets.token_hex(4)}"
    registry.set_url_path(registry.get_parent())
    # Saved on its own first: a slug changed by save() makes Wagtail keep the old address as a redirect.
    Page.objects.filter(pk=registry.pk).update(slug=registry.slug, url_path=registry.url_path)
    registry.seo_title = registry.search_description = ""
    registry.partner_one = registry.partner_two = ""
    registry.place = registry.welcome = registry.guest_password = ""
    registry.hero_image = None
    registry.gifts = []
    registry.visibility = RegistryPage.Visibility.UNLISTED
    registry.owner = registry.locked_by = None
    registry.locked = False
    registry.latest_revision = registry.live_revision = None
    registry.has_unpublished_changes = False
    registry.save(clean=False)
    # Revisions, the history log and comments hold earlier names, messages and photos.
    registry.revisions.all().delete()
    PageLogEntry.objects.filter(page=registry).delete()
    Comment.objects.filter(page=registry).delete()
    PageViewRestriction.objects.filter(page=registry).delete()


def _history_erase(*, leaving: list[User], images: list) -> None:
    """The admin's history of what the couple did, and of their photos, names them and their pictures."""
    image_type = ContentType.objects.get_for_model(get_image_model())
    ModelLogEntry.objects.filter(
        Q(user_id__in=[member.pk for member in leaving])
        | Q(content_type=image_type, object_id__in=[str(image.pk) for image in images])
    ).delete()


def _redirects_erase(registry: RegistryPage, *, address: str | None) -> None:
    """No redirect may lead to the registry, or from or to its address: that address must answer 404."""
    leading_there = Q(redirect_page=registry)
    if address:
        leading_there |= Q(old_path=Redirect.normalise_path(address)) | Q(redirect_link__endswith=address)
    Redirect.objects.filter(leading_there).delete()
