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

from registries.addresses import DELETED_REGISTRY_SLUG_PREFIX
from registries.emails import registry_emails_erase
from registries.models import Package, Pledge, RegistryIndexPage, RegistryPage, Reservation
from registries.selectors import registries_managed_by

from .emails import (
    email_account_exists,
    email_address_changed,
    email_address_confirmation,
    email_partner_invitation,
    email_welcome,
)
from .models import CouplePaymentDetails, EmailConfirmation, PartnerInvitation, User
from .selectors import couple_group_for_registry, couple_members

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
    email_confirmed: bool = False,
) -> Couple:
    """Everything a new couple needs, in one transaction: a failure half-way leaves nothing behind.

    The couple's group may add, change and publish their own registry page alone, and add, change
    and choose images in their own collection alone. Their registry is published only once their address
    is confirmed: `email_confirmed` for an address known to be theirs (demo data).
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=partner_one,
        email_confirmed_at=timezone.now() if email_confirmed else None,
    )
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
    """A couple signing up on the site: everything `couple_create` makes, and a welcome email with it that
    carries the link confirming their address (their registry is published only once it is confirmed)."""
    couple = couple_create(**details)
    confirmation = EmailConfirmation.objects.create(user=couple.user, email=couple.user.email)
    email_welcome(user=couple.user, registry=couple.registry, confirmation_id=confirmation.pk)
    return couple


def sign_up_with_a_taken_address(*, email: str) -> None:
    """Someone signed up with an existing account's address: its owner hears of it by email, once a day at most."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        email_account_exists(user=user, on=timezone.localdate())


class EmailConfirmationError(Exception):
    """Why an address confirmation link can't be used, in words for the person who followed it."""


EMAIL_CONFIRMATION_SALT = "accounts.email-confirmation"
EMAIL_CONFIRMATION_VALIDITY = timedelta(days=3)


def email_confirmation_token(confirmation: EmailConfirmation) -> str:
    return signing.dumps(confirmation.pk, salt=EMAIL_CONFIRMATION_SALT, compress=True)


def address_awaiting_confirmation(user: User) -> str | None:
    """The address a link would prove now: a new one the account asked for, else its own if never proved."""
    change = _latest_change_requested(user)
    if change is not None:
        return change.email
    return None if user.email_confirmed_at else user.email


def _latest_change_requested(user: User) -> EmailConfirmation | None:
    latest = user.email_confirmations.filter(confirmed_at__isnull=True).first()
    return latest if latest is not None and latest.email != user.email else None


@transaction.atomic
def email_confirmation_send(*, user: User) -> EmailConfirmation | None:
    """Email a fresh link to the address awaiting confirmation; None when there is none."""
    address = address_awaiting_confirmation(user)
    if address is None:
        return None
    confirmation = EmailConfirmation.objects.create(user=user, email=address)
    email_address_confirmation(
        user=user, to_email=address, confirmation_id=confirmation.pk, changing=address != user.email
    )
    return confirmation


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> EmailConfirmation:
    """Ask to use `new_email`: the account keeps its address until the link sent to the new one is followed."""
    # Whether another account uses the address is only checked when the link is followed: the person asking
    # never learns it, and the address's owner gets a link they can ignore.
    new_email = User.objects.normalize_email(new_email).lower()
    confirmation = EmailConfirmation.objects.create(user=user, email=new_email)
    email_address_confirmation(user=user, to_email=new_email, confirmation_id=confirmation.pk, changing=True)
    return confirmation


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Follow a confirmation link: prove the account's address, or move the account to the new one it asked for."""
    try:
        confirmation_id = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_VALIDITY)
    except signing.SignatureExpired as expired:
        raise EmailConfirmationError(
            "This link has expired. Log in and we'll offer to send you a new one from your registry's editor."
        ) from expired
    except signing.BadSignature as bad:
        raise EmailConfirmationError("This link isn't valid. Please check you copied the whole link.") from bad
    confirmation = (
        EmailConfirmation.objects.select_for_update().select_related("user").filter(pk=confirmation_id).first()
    )
    if confirmation is None or not confirmation.user.is_active:
        raise EmailConfirmationError("This link is for an account that no longer exists.")
    user, now = confirmation.user, timezone.now()
    if confirmation.email == user.email:
        if user.email_confirmed_at is None:
            User.objects.filter(pk=user.pk).update(email_confirmed_at=now)
            user.email_confirmed_at = now
    else:
        if confirmation != _latest_change_requested(user):
            raise EmailConfirmationError(
                "This link was for an address you've since replaced. Use the link in the latest email we sent."
            )
        if User.objects.filter(email__iexact=confirmation.email).exclude(pk=user.pk).exists():
            raise EmailConfirmationError("Another account uses this address now, so yours keeps its own.")
        old_email = user.email
        user.email, user.email_confirmed_at = confirmation.email, now
        user.save(update_fields=["email", "email_confirmed_at"])
        email_address_changed(user=user, old_email=old_email, confirmation_id=confirmation.pk)
    if confirmation.confirmed_at is None:
        confirmation.confirmed_at = now
        confirmation.save(update_fields=["confirmed_at"])
    return user


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
    if existing is not None and registries_managed_by(existing).first() is not None:
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

    Locks the invitation row, so two clicks on the same link make one member. Following the emailed link
    proves the address, as a confirmation link would.
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
    elif registries_managed_by(user).first() is not None:
        raise InvitationError("You already have a registry of your own, so you can't join this one.")
    if user.email_confirmed_at is None and user.email.lower() == invitation.email.lower():
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])

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
    # Their own addresses, and any they asked to move to: emails went to those too.
    couple_addresses = {member.email.lower() for member in leaving} | set(
        EmailConfirmation.objects.filter(user__in=leaving).values_list("email", flat=True)
    )
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
    Pledge.objects.filter(gift__registry=registry).update(name="", email="", message="")
    CouplePaymentDetails.objects.filter(registry=registry).delete()
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
        | _lowercase_addresses(Pledge.objects.filter(gift__registry=registry))
        | _lowercase_addresses(PartnerInvitation.objects.filter(registry=registry))
        | {member.email.lower() for member in leaving}
    ) - {""}
    elsewhere = [
        Reservation.objects.exclude(gift__registry=registry),
        Pledge.objects.exclude(gift__registry=registry),
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
    registry.slug = f"{DELETED_REGISTRY_SLUG_PREFIX}{registry.pk}-{secrets.token_hex(4)}"
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


def couple_payment_details_save(*, registry: RegistryPage, paypal_me_url: str, bank_transfer_details: str):
    """Store where guests pay the couple (once per couple, for their registry). WhisperGifts only shows them."""
    details, _ = CouplePaymentDetails.objects.update_or_create(
        registry=registry,
        defaults={"paypal_me_url": paypal_me_url, "bank_transfer_details": bank_transfer_details},
    )
    return details
