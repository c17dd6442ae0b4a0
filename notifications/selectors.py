"""Reads for emails: who hears about a registry, and what a couple may see yet."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q

from registries.models import RegistryPage

from .models import CoupleEmailPreferences, UndeliverableAddress


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


def staff_recipients() -> list[str]:
    """Who receives the daily metrics email: active staff."""
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted({email.lower() for email in staff.values_list("email", flat=True)})


def email_preferences(registry: RegistryPage) -> CoupleEmailPreferences:
    """The couple's settings, or the defaults (unsaved) if they never changed them."""
    preferences = CoupleEmailPreferences.objects.filter(registry=registry).first()
    return preferences or CoupleEmailPreferences(registry=registry)


def undeliverable_addresses(emails) -> dict[str, str]:
    """{address: reason label} for those of `emails` that bounced or complained."""
    lowered = {email.lower() for email in emails}
    rows = UndeliverableAddress.objects.filter(email__in=lowered)
    return {row.email: row.get_reason_display() for row in rows}
