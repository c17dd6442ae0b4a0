"""Reads for registry pages: what guests see, computed in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page

from .blocks import GIFT_CATEGORIES
from .models import Gift, RegistryIndexPage, RegistryPage, Reservation

# The renditions the gift template asks for; prefetched together so a page with many gifts
# costs the same number of queries as a page with a few.
GIFT_IMAGE_WIDTHS = (320, 480, 640)
GIFT_IMAGE_FILTERS = tuple(f"fill-{w}x{w * 3 // 4}|format-webp" for w in GIFT_IMAGE_WIDTHS)

SORTS = {
    "": "Registry order",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
}


@dataclass
class GiftEntry:
    block: object
    image: object | None
    quantity_wanted: int
    quantity_reserved: int
    reservable: bool

    @property
    def value(self):
        return self.block.value

    @property
    def remaining(self) -> int:
        return max(self.quantity_wanted - self.quantity_reserved, 0)

    @property
    def all_given(self) -> bool:
        return self.remaining == 0

    @property
    def price(self) -> Decimal:
        return self.value["price"]


@dataclass
class GiftSection:
    heading: str
    gifts: list[GiftEntry] = field(default_factory=list)


@dataclass
class RegistryListing:
    sections: list[GiftSection]
    categories: list[tuple[str, str]]
    category: str
    sort: str
    sorts: dict[str, str]

    @property
    def is_empty(self) -> bool:
        return not any(section.gifts for section in self.sections)


def registry_listing(*, page: RegistryPage, category: str = "", sort: str = "") -> RegistryListing:
    """The gifts of `page` as guests see them, filtered and sorted from the query string.

    In registry order gifts stay in their sections with fully given ones last; sorted by price
    the sections give way to one list.
    """
    sort = sort if sort in SORTS else ""
    gift_blocks = [block for block in page.gifts if block.block_type == "gift"]
    category_labels = dict(GIFT_CATEGORIES)
    used_categories = sorted({block.value["category"] for block in gift_blocks}, key=list(category_labels).index)
    category = category if category in used_categories else ""

    rows = {gift.block_id: gift for gift in Gift.objects.filter(registry=page, active=True)}
    images = _images_with_renditions({block.value["image"].pk for block in gift_blocks if block.value["image"]})

    sections = [GiftSection(heading="")]
    for block in page.gifts:
        if block.block_type == "section":
            sections.append(GiftSection(heading=block.value["heading"]))
            continue
        if category and block.value["category"] != category:
            continue
        row = rows.get(block.id)
        image = block.value["image"]
        sections[-1].gifts.append(
            GiftEntry(
                block=block,
                image=images.get(image.pk) if image else None,
                quantity_wanted=row.quantity_wanted if row else block.value["quantity_wanted"],
                quantity_reserved=row.quantity_reserved if row else 0,
                reservable=row is not None,
            )
        )

    if sort:
        everything = [gift for section in sections for gift in section.gifts]
        direction = -1 if sort == "price_desc" else 1
        everything.sort(key=lambda gift: (gift.all_given, direction * gift.price))
        sections = [GiftSection(heading="", gifts=everything)]
    else:
        for section in sections:
            section.gifts.sort(key=lambda gift: gift.all_given)  # stable: keeps the couple's order

    return RegistryListing(
        sections=[section for section in sections if section.gifts],
        categories=[(key, category_labels[key]) for key in used_categories],
        category=category,
        sort=sort,
        sorts=SORTS,
    )


def _images_with_renditions(image_ids: set[int]) -> dict:
    if not image_ids:
        return {}
    images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(*GIFT_IMAGE_FILTERS)
    return {image.pk: image for image in images}


def reserved_quantities_by_block(*, registry: RegistryPage) -> dict[str, int]:
    """How many units of each gift guests hold (reserved or bought), by block id."""
    return dict(Gift.objects.filter(registry=registry).values_list("block_id", "quantity_reserved"))


def reservation_for_token(token: str) -> Reservation | None:
    return Reservation.objects.select_related("gift__registry").filter(manage_token=token).first()


def gift_block_on_page(*, page: RegistryPage, block_id: str):
    """The live StreamField block of a gift, or None if the page no longer shows it."""
    return next((block for block in page.gifts if block.block_type == "gift" and block.id == block_id), None)


def listed_registries():
    """Registries guests may find by name: live, listed, and not behind a password."""
    return RegistryPage.objects.live().public().filter(visibility=RegistryPage.Visibility.LISTED)


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


def registry_slug_problem(slug: str) -> str | None:
    """Why `slug` can't be a new registry's address, or None when it is free."""
    if slug in RESERVED_REGISTRY_SLUGS:
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
