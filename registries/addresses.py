"""A registry's address: which slugs it may have, the old addresses that still forward to it, and the short
address printed on invitation cards."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .models import RegistryIndexPage, RegistryPage

# Registry addresses that would confuse guests or impersonate the site itself.
RESERVED_REGISTRY_SLUGS = frozenset(
    {
        "about", "account", "accounts", "admin", "api", "blog", "contact", "dashboard", "delete", "documents",
        "edit", "faq", "help", "home", "images", "invitations", "login", "logout", "media", "new", "password",
        "plans", "pricing", "privacy", "register", "registries", "registry", "reservations", "reserve", "search",
        "settings", "signup", "sign-up", "sitemap", "static", "support", "terms", "test", "whispergifts", "www",
    }
)  # fmt: skip
REGISTRY_SLUG_MAX_LENGTH = 50
# A deleted registry's row stays (what guests reserved adds up), unpublished, under a meaningless address.
DELETED_REGISTRY_SLUG_PREFIX = "deleted-"


def registry_slug_problem(slug: str) -> str | None:
    """Why `slug` can't be a new registry's address, or None when it is free."""
    if slug in RESERVED_REGISTRY_SLUGS or slug.startswith(DELETED_REGISTRY_SLUG_PREFIX):
        return f"“{slug}” is reserved for the site itself. Please choose another address."
    if registry_slug_taken(slug):
        return f"/registries/{slug}/ is already taken."
    return None


def registry_slug_taken(slug: str) -> bool:
    """Whether any page (draft or live) already uses `slug` under /registries/."""
    index = RegistryIndexPage.objects.first()
    return index is not None and Page.objects.child_of(index).filter(slug=slug).exists()


def registry_slug_suggestion(*, partner_one: str, partner_two: str, wanted: str = "") -> str:
    """A free address made from the couple's names (or from `wanted`): "alex-and-sam", then "alex-and-sam-2"."""
    names = [slugify(name) for name in (partner_one, partner_two) if slugify(name)]
    base = slugify(wanted) or "-and-".join(names) or "our-wedding"
    base = base[: REGISTRY_SLUG_MAX_LENGTH - 4].strip("-")
    candidate, number = base, 1
    while candidate in RESERVED_REGISTRY_SLUGS or registry_slug_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@dataclass(frozen=True)
class Forwarding:
    """An old address of a registry that still leads to it (Wagtail made it when the address changed)."""

    pk: int
    address: str


def registry_forwardings(registry: RegistryPage) -> list[Forwarding]:
    """Every old address that forwards to the registry, oldest first."""
    redirects = Redirect.objects.filter(redirect_page=registry).select_related("site").order_by("created_at", "pk")
    return [Forwarding(pk=redirect.pk, address=_forwarding_address(redirect)) for redirect in redirects]


def _forwarding_address(redirect: Redirect) -> str:
    # Stored without its trailing slash; shown as guests typed or clicked it.
    path = redirect.old_path if "?" in redirect.old_path else redirect.old_path + "/"
    return (redirect.site.root_url if redirect.site else "") + path


def registry_forwardings_to_announce(
    *, registry: RegistryPage, known_before: set[int], was_listed: bool
) -> list[Forwarding]:
    """The old addresses to tell the couple about after a publish, or none.

    An unlisted registry's address is what keeps it private, and a protected one's invitations carry it:
    when an old address starts forwarding to such a registry (it was just renamed, or it stopped being
    listed while old addresses forward), the couple must know that anyone with the old link still gets in.
    """
    if registry.visibility == RegistryPage.Visibility.LISTED:
        return []
    forwardings = registry_forwardings(registry)
    if was_listed or any(forwarding.pk not in known_before for forwarding in forwardings):
        return forwardings
    return []


def registry_for_short_code(code: str) -> RegistryPage | None:
    """The live registry a printed card's short address names, whatever it is called now."""
    return RegistryPage.objects.live().filter(short_code=code.strip().lower()).first()


def registry_is_closed(registry: RegistryPage | None) -> bool:
    """Whether the couple deleted the registry: guests following a link made for them are told so (410)."""
    return registry is not None and not registry.live and registry.slug.startswith(DELETED_REGISTRY_SLUG_PREFIX)


def closed_registry_for_short_code(code: str) -> RegistryPage | None:
    registry = RegistryPage.objects.filter(short_code=code.strip().lower(), live=False).first()
    return registry if registry_is_closed(registry) else None


def short_address(registry: RegistryPage) -> str:
    """The registry's short address as printed: the site's public address, then /r/<code>/."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("registry_short_address", args=[registry.short_code])
