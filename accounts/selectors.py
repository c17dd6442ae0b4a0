"""Reads about couples: which registry a user shares, and who shares it."""

from django.contrib.auth.models import Group

from registries.models import RegistryPage

from .models import User


def couple_registry_for_user(user: User) -> RegistryPage | None:
    """The registry `user` edits as one of the couple, through their per-couple group."""
    if not user.is_authenticated:
        return None
    return RegistryPage.objects.filter(group_permissions__group__user=user).order_by("pk").first()


def couple_group_for_registry(registry: RegistryPage) -> Group | None:
    return Group.objects.filter(page_permissions__page=registry).order_by("pk").first()


def couple_members(registry: RegistryPage) -> list[User]:
    return list(User.objects.filter(groups__page_permissions__page=registry).distinct().order_by("date_joined"))
