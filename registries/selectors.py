"""Reads for registry pages: what guests see, computed in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch, Q, Sum, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page

from .blocks import GIFT_CATEGORIES
from .models import Gift, OutsideGift, RegistryIndexPage, RegistryPage, Reservation

# The renditions the gift template asks for; prefetched together so a page with many gifts
# costs the same number of queries as a page with a few.
GIFT_IMAGE_WIDTHS = (320, 480, 640)
GIFT_IMAGE_FILTERS = tuple(f"fill-{w}x{w * 3 // 4}|format-webp" for w in GIFT_IMAGE_WIDTHS)
HERO_IMAGE_FILTERS = ("fill-640x300|format-webp", "fill-960x450|format-webp", "fill-1280x600|format-webp")

SORTS = {
    "": "Registry order",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
}


@dataclass
class GiftEntry:
    block: object
    card_html: str
    reserve_url: str
    quantity_wanted: int
    quantity_reserved: int
    reservable: bool

    @property
    def value(self):
        return self.block.value

    @property
    def title(self) -> str:
        return self.value["title"]

    @property
    def most_wanted(self) -> bool:
        return bool(self.value["most_wanted"])

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
    hero_html: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(section.gifts for section in self.sections)


def registry_listing(
    *, page: RegistryPage, category: str = "", sort: str = "", content_version: str = ""
) -> RegistryListing:
    """The gifts of `page` as guests see them, filtered and sorted from the query string.

    In registry order gifts stay in their sections with fully given ones last; sorted by price
    the sections give way to one list. Each gift's card (picture, words, price) changes only when the couple
    publishes, so with a `content_version` the cards come from one cache entry and only the numbers are fresh.
    """
    sort = sort if sort in SORTS else ""
    gift_blocks = [block for block in page.gifts if block.block_type == "gift"]
    category_labels = dict(GIFT_CATEGORIES)
    used_categories = sorted({block.value["category"] for block in gift_blocks}, key=list(category_labels).index)
    category = category if category in used_categories else ""

    rows = {gift.block_id: gift for gift in Gift.objects.filter(registry=page, active=True)}
    cards = _cards_html(page=page, gift_blocks=gift_blocks, content_version=content_version)

    sections = [GiftSection(heading="")]
    for block in page.gifts:
        if block.block_type == "section":
            sections.append(GiftSection(heading=block.value["heading"]))
            continue
        if category and block.value["category"] != category:
            continue
        row = rows.get(block.id)
        sections[-1].gifts.append(
            GiftEntry(
                block=block,
                card_html=cards[block.id],
                reserve_url=page.url + page.reverse_subpage("reserve", args=(block.id,)),
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
        hero_html=cards[HERO_KEY],
    )


HERO_KEY = "__hero__"
CARDS_CACHE_TIMEOUT = 60 * 60 * 24


def _cards_html(*, page: RegistryPage, gift_blocks: list, content_version: str) -> dict[str, str]:
    """Rendered cards by block id (and the hero picture under HERO_KEY), from one cache entry when warm."""
    key = f"gift-cards:{page.pk}:{content_version}"
    cards = cache.get(key) if content_version else None
    if cards is not None and all(block.id in cards for block in gift_blocks):
        return {block_id: mark_safe(html) for block_id, html in cards.items()}  # noqa: S308 (our own rendering)
    # The stream already loaded the gift images (one query); their renditions and the hero's come in one more.
    images = {block.value["image"].pk: block.value["image"] for block in gift_blocks if block.value["image"]}
    hero = page.hero_image
    _prefetch_renditions([*images.values(), hero] if hero else list(images.values()))
    cards = {
        block.id: render_to_string(
            "blocks/gift_card.html",
            {
                "value": block.value,
                "image": images.get(block.value["image"].pk) if block.value["image"] else None,
                "page": page,
            },
        )
        for block in gift_blocks
    }
    cards[HERO_KEY] = render_to_string("includes/registry_hero_image.html", {"image": hero}) if hero else ""
    if content_version:
        cache.set(key, cards, timeout=CARDS_CACHE_TIMEOUT)
    return {block_id: mark_safe(html) for block_id, html in cards.items()}  # noqa: S308 (our own rendering)


def _prefetch_renditions(images: list) -> None:
    """What `prefetch_renditions()` does for a queryset, for images already loaded."""
    rendition_model = get_image_model().get_rendition_model()
    renditions = rendition_model.objects.filter(filter_spec__in=GIFT_IMAGE_FILTERS + HERO_IMAGE_FILTERS)
    prefetch_related_objects(images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"))


def reserved_quantities_by_block(*, registry: RegistryPage) -> dict[str, int]:
    """How many units of each gift guests hold (reserved or bought), by block id."""
    return dict(Gift.objects.filter(registry=registry).values_list("block_id", "quantity_reserved"))


def reservation_for_token(token: str) -> Reservation | None:
    return Reservation.objects.select_related("gift__registry").filter(manage_token=token).first()


def gift_block_on_page(*, page: RegistryPage, block_id: str):
    """The live StreamField block of a gift, or None if the page no longer shows it.

    Converts only that block: iterating the stream would turn all its gifts (and their images) into values.
    """
    gift_block = page.gifts.stream_block.child_blocks["gift"]
    for raw in page.gifts.raw_data:
        if raw["type"] == "gift" and raw.get("id") == block_id:
            return StreamValue.StreamChild(gift_block, gift_block.to_python(raw["value"]), id=block_id)
    return None


def listed_registries():
    """Registries guests may find by name: live, listed, and not behind a password."""
    return RegistryPage.objects.live().public().filter(visibility=RegistryPage.Visibility.LISTED)


# --- The couple's view of their reservations (issue 3): surprise first, thank-yous after. ---


def reservations_revealed(registry: RegistryPage, today: date | None = None) -> bool:
    """May the couple see who reserved what, and their messages? The one place this rule lives.

    Yes once the wedding day is over (from the day after), when they revealed early, or when they
    never wanted the surprise. Until then they see progress only: how much of each gift is taken.
    """
    if not registry.keep_surprise or registry.revealed_at is not None:
        return True
    return (today or timezone.localdate()) > registry.wedding_date


@dataclass(frozen=True)
class GiftProgress:
    title: str
    wanted: int
    reserved: int
    bought: int
    on_page: bool

    @property
    def taken(self) -> int:
        return self.reserved + self.bought

    @property
    def remaining(self) -> int:
        return max(self.wanted - self.taken, 0)


@dataclass(frozen=True)
class RegistryProgress:
    gifts: list[GiftProgress]

    @property
    def units_wanted(self) -> int:
        return sum(gift.wanted for gift in self.gifts if gift.on_page)

    @property
    def units_taken(self) -> int:
        return sum(min(gift.taken, gift.wanted) for gift in self.gifts if gift.on_page)

    @property
    def percent_covered(self) -> int:
        """Rounded down, so a registry shows 100 % only when every unit is taken."""
        if not self.units_wanted:
            return 0
        return self.units_taken * 100 // self.units_wanted


def registry_progress(*, registry: RegistryPage) -> RegistryProgress:
    """Per gift: wanted, reserved, bought. Gifts taken off the page still show while guests hold some."""
    gifts = (
        Gift.objects.filter(registry=registry)
        .annotate(
            units_reserved=Sum("reservations__quantity", filter=Q(reservations__status=Reservation.Status.RESERVED)),
            units_bought=Sum("reservations__quantity", filter=Q(reservations__status=Reservation.Status.BOUGHT)),
        )
        .order_by("-active", "title", "pk")
    )
    return RegistryProgress(
        gifts=[
            GiftProgress(
                title=gift.title,
                wanted=gift.quantity_wanted,
                reserved=gift.units_reserved or 0,
                bought=gift.units_bought or 0,
                on_page=gift.active,
            )
            for gift in gifts
            if gift.active or gift.units_reserved or gift.units_bought
        ]
    )


@dataclass(frozen=True)
class Ledger:
    reservations: list[Reservation]
    outside_gifts: list[OutsideGift]


def registry_ledger(*, registry: RegistryPage) -> Ledger:
    """Everything the couple was given: reservations guests still hold, and gifts noted by hand.

    Names and messages: show it only when `reservations_revealed` says so.
    """
    reservations = (
        Reservation.objects.filter(gift__registry=registry)
        .exclude(status=Reservation.Status.RELEASED)
        .select_related("gift")
        .order_by("created_at", "pk")
    )
    return Ledger(reservations=list(reservations), outside_gifts=list(registry.outside_gifts.all()))


PROGRESS_CSV_HEADER = ["Gift", "Wanted", "Reserved", "Bought", "Still wanted"]
LEDGER_CSV_HEADER = ["Gift", "From", "Quantity", "Status", "Message", "Received", "Thanked", "Source"]


def ledger_csv_rows(*, registry: RegistryPage, today: date | None = None) -> list[list[str]]:
    """The ledger as spreadsheet rows. Before the reveal: progress only, never a name or message."""
    if not reservations_revealed(registry, today):
        progress = registry_progress(registry=registry)
        rows = [PROGRESS_CSV_HEADER]
        rows += [[g.title, g.wanted, g.reserved, g.bought, g.remaining] for g in progress.gifts]
        rows.append([f"{progress.percent_covered} % of your registry is covered"])
        return [[_csv_safe(cell) for cell in row] for row in rows]

    ledger = registry_ledger(registry=registry)
    rows = [LEDGER_CSV_HEADER]
    for reservation in ledger.reservations:
        rows.append(
            [
                reservation.gift.title,
                reservation.name,
                reservation.quantity,
                reservation.get_status_display(),
                reservation.message,
                _yes_no(reservation.received),
                _yes_no(reservation.thanked),
                "Registry",
            ]
        )
    for outside in ledger.outside_gifts:
        rows.append([outside.description, outside.giver, "", "", "", "Yes", _yes_no(outside.thanked), "Added by you"])
    return [[_csv_safe(cell) for cell in row] for row in rows]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _csv_safe(value) -> str:
    """Guests type names and messages: never let a spreadsheet run one as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def registries_looked_after_by(user):
    """The registries `user` may manage reservations for: a couple's own, or every one for superusers."""
    if user.is_superuser:
        return RegistryPage.objects.all()
    return RegistryPage.objects.filter(
        group_permissions__group__user=user, group_permissions__permission__codename="change_page"
    ).distinct()


# --- end couple's view of reservations ---
def is_canonical_listing_query(params) -> bool:
    """Only the filters guests can choose: any other query string is never stored in the page cache."""
    allowed = {"category": {"", *dict(GIFT_CATEGORIES)}, "sort": SORTS}
    return all(key in allowed and params.get(key) in allowed[key] for key in params) and all(
        len(params.getlist(key)) == 1 for key in params
    )


def listing_cache_key(*, category: str, sort: str) -> str:
    """The filters as far as they change the gift list; anything else shares the unfiltered fragment."""
    return f"{category if category in dict(GIFT_CATEGORIES) else ''}:{sort if sort in SORTS else ''}"


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
