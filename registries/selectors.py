"""Reads about registries that several concerns share: who manages one, which are listed, reservations by token."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
from wagtail.models import Collection

from core.selectors import in_private_section

from .models import CoupleEmailPreferences, Gift, Package, Pledge, RegistryPage, Reservation


def reserved_quantities_by_block(*, registry: RegistryPage) -> dict[str, int]:
    """How many units of each gift guests hold (reserved or bought), by block id."""
    return dict(Gift.objects.filter(registry=registry).values_list("block_id", "quantity_reserved"))


def reservation_for_token(token: str) -> Reservation | None:
    return Reservation.objects.select_related("gift__registry").filter(manage_token=token).first()


def pledge_for_token(token: str) -> Pledge | None:
    return Pledge.objects.select_related("gift__registry").filter(manage_token=token).first()


def listed_registries():
    """Registries guests may find by name: live, listed, and not behind a password."""
    return RegistryPage.objects.live().filter(visibility=RegistryPage.Visibility.LISTED).exclude(in_private_section())


def registries_managed_by(user):
    """The registries `user` looks after as one of the couple: their couple's group holds rights on that page.

    The one answer to "whose registries are these?". Staff with rights over the whole tree are not couples of
    every registry, so this ignores superuser status and inherited permissions: views open to staff say so.
    """
    if not user.is_authenticated:
        return RegistryPage.objects.none()
    return RegistryPage.objects.filter(group_permissions__group__user=user).distinct().order_by("pk")


def registries_open_to(user):
    """The registries whose reservations `user` may look after in the admin: their own, or all for superusers."""
    return RegistryPage.objects.order_by("pk") if user.is_superuser else registries_managed_by(user)


def couple_registry_ids(user) -> frozenset[int]:
    """The registries `user` looks after as one of the couple (through their couple group).

    Staff (superusers, editors) get none: they are not locked down. Cached on the user object,
    which lives for one request.
    """
    if not user.is_authenticated or user.is_superuser:
        return frozenset()
    if not hasattr(user, "_couple_registry_ids"):
        user._couple_registry_ids = frozenset(registries_managed_by(user).values_list("pk", flat=True))
    return user._couple_registry_ids


def couple_page_ids_in_sight(user) -> frozenset[int]:
    """A couple's registries and the pages above them: what their choosers may show and their links name."""
    ids = set()
    for registry in RegistryPage.objects.filter(pk__in=couple_registry_ids(user)):
        ids |= registry.page_ids_in_sight()
    return frozenset(ids)


def is_couple(user) -> bool:
    return bool(couple_registry_ids(user))


def couple_recipients(registry: RegistryPage) -> list[str]:
    """The couple's addresses: the registry's owner and the members of the couple's own group."""
    return _addresses(_couple_users(registry))


def reservation_email_recipients(registry: RegistryPage) -> list[str]:
    """Who hears of each reservation as it is made: the couple, unless they chose the digest or no emails.

    One query: the couple's preference is a condition on the same query rather than a row read first.
    """
    chose_otherwise = CoupleEmailPreferences.objects.filter(registry=registry).exclude(
        reservation_emails=CoupleEmailPreferences.ReservationEmails.EACH
    )
    return _addresses(_couple_users(registry).filter(~Exists(chose_otherwise)))


def _couple_users(registry: RegistryPage):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(pk=registry.owner_id) | Q(groups__page_permissions__page=registry, is_superuser=False))


def _addresses(users) -> list[str]:
    return sorted({email.lower() for email in users.values_list("email", flat=True)})


def email_preferences(registry: RegistryPage) -> CoupleEmailPreferences:
    """The couple's settings, or the defaults (unsaved) if they never changed them."""
    preferences = CoupleEmailPreferences.objects.filter(registry=registry).first()
    return preferences or CoupleEmailPreferences(registry=registry)


def registry_collection(registry: RegistryPage):
    """The collection of the couple's photos for `registry` (their couple group may add to it), or None."""
    return (
        Collection.objects.filter(group_permissions__group__page_permissions__page=registry)
        .distinct()
        .order_by("pk")
        .first()
    )


def ledger_download_allowed(registry: RegistryPage) -> bool:
    """Whether the registry's package includes downloading the thank-you list as a spreadsheet."""
    package = registry.effective_package
    return bool(package and package.exports_ledger)


def packages_with_ledger_download() -> str:
    """The packages that include the download, as a sentence says them: "Plus and Unlimited"."""
    names = list(Package.objects.filter(exports_ledger=True).values_list("name", flat=True))
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "a paid package"
