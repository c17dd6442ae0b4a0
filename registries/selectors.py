"""Reads for registry pages: what guests see, computed in a fixed number of queries."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, Sum, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.blocks import StreamValue
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from home.caching import registry_content_scope, versioned_cache_get
from home.selectors import in_private_section
from notifications.selectors import undeliverable_addresses

from .blocks import GIFT_CATEGORIES
from .models import Gift, OutsideGift, Package, RegistryIndexPage, RegistryPage, Reservation

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


class GiftCard(NamedTuple):
    """One gift as the published content has it, its list item rendered ahead in every state it can show.

    The numbers guests change (still wanted, wanted) are left as fields, so a reservation never re-renders a card.
    Plain values only (prices in cents, not Decimal): the layout is unpickled on every request after a reservation.
    """

    block_id: str
    category: str
    price_in_cents: int
    quantity_wanted: int  # the block's; the Gift row's wins once the gift is synced
    body_html: str
    wanted_item: tuple[str, ...]  # _ItemTemplate parts, for a gift guests can still reserve
    unreservable_item: tuple[str, ...]  # still wanted, but not reservable yet (no Gift row)
    given_item: tuple[str, ...]


class ListingLayout(NamedTuple):
    """Everything about the gift list that only publishing changes: cached per content version."""

    sections: list[tuple[str, list[GiftCard]]]
    categories: list[tuple[str, str]]
    hero_html: str


@dataclass
class GiftSection:
    heading: str
    items: list[str] = field(default_factory=list)

    @property
    def gifts_html(self) -> str:
        return mark_safe("".join(self.items))  # noqa: S308 (our own rendering, numbers are ints)


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
        return not any(section.items for section in self.sections)


def registry_listing(
    *, page: RegistryPage, category: str = "", sort: str = "", content_version: str = ""
) -> RegistryListing:
    """The gifts of `page` as guests see them, filtered and sorted from the query string.

    In registry order gifts stay in their sections with fully given ones last; sorted by price
    the sections give way to one list. The layout (sections, cards, prices) changes only when the couple
    publishes, so with a `content_version` it comes from one cache entry and only the numbers are read: one query,
    and the stream of gifts is never parsed after a reservation.
    """
    if content_version:
        layout = versioned_cache_get(
            _layout_key(page.pk, content_version), lambda: _build_listing_layout(page), timeout=LAYOUT_CACHE_TIMEOUT
        )
    else:
        layout = _build_listing_layout(page)
    return _listing_from(layout, registry_id=page.pk, category=category, sort=sort)


def registry_gift_sections_html(request, versions: dict[str, str], *, registry_id: int, page_url: str) -> str | None:
    """The live region of a stored registry page: its gift sections with the current numbers.

    Called by the page cache when a reservation is all that changed since the page was stored, so guests get the
    new numbers from the cached layout and one query. None when the layout is no longer cached.
    """
    layout = versioned_cache_get(_layout_key(registry_id, versions[registry_content_scope(registry_id)]))
    if layout is None:
        return None
    listing = _listing_from(
        layout, registry_id=registry_id, category=request.GET.get("category", ""), sort=request.GET.get("sort", "")
    )
    return render_to_string("registries/includes/gift_sections.html", {"listing": listing, "page_url": page_url})


def _listing_from(layout: ListingLayout, *, registry_id: int, category: str, sort: str) -> RegistryListing:
    sort = sort if sort in SORTS else ""
    category = category if category in dict(layout.categories) else ""
    numbers = {
        block_id: (wanted, reserved)
        for block_id, wanted, reserved in Gift.objects.filter(registry_id=registry_id, active=True).values_list(
            "block_id", "quantity_wanted", "quantity_reserved"
        )
    }

    sections = []
    for heading, cards in layout.sections:
        entries = []
        for card in cards:
            if category and card.category != category:
                continue
            wanted, reserved = numbers.get(card.block_id, (card.quantity_wanted, None))
            remaining = max(wanted - (reserved or 0), 0)
            entries.append((remaining == 0, card, reserved is not None, remaining, wanted))
        sections.append((heading, entries))

    if sort:
        everything = [entry for _heading, entries in sections for entry in entries]
        direction = -1 if sort == "price_desc" else 1
        everything.sort(key=lambda entry: (entry[0], direction * entry[1].price_in_cents))
        sections = [("", everything)]
    else:
        for _heading, entries in sections:
            entries.sort(key=lambda entry: entry[0])  # stable: keeps the couple's order

    return RegistryListing(
        sections=[
            GiftSection(heading=heading, items=[_gift_item_html(*entry) for entry in entries])
            for heading, entries in sections
            if entries
        ],
        categories=layout.categories,
        category=category,
        sort=sort,
        sorts=SORTS,
        hero_html=mark_safe(layout.hero_html),  # noqa: S308 (our own rendering)
    )


def _gift_item_html(all_given: bool, card: GiftCard, reservable: bool, remaining: int, wanted: int) -> str:
    parts = card.given_item if all_given else (card.wanted_item if reservable else card.unreservable_item)
    fields = {"card": card.body_html, "remaining": str(remaining), "wanted": str(wanted)}
    return "".join(part if index % 2 == 0 else fields[part] for index, part in enumerate(parts))


LAYOUT_CACHE_TIMEOUT = 60 * 60 * 24
# Part of the key: change it with GiftCard or ListingLayout, so a deploy never unpickles the old shape.
LAYOUT_FORMAT = 1


def _layout_key(registry_id: int, content_version: str) -> str:
    return f"registry-layout:{LAYOUT_FORMAT}:{registry_id}:{content_version}"


def _build_listing_layout(page: RegistryPage) -> ListingLayout:
    gift_blocks = [block for block in page.gifts if block.block_type == "gift"]
    category_labels = dict(GIFT_CATEGORIES)
    used_categories = sorted({block.value["category"] for block in gift_blocks}, key=list(category_labels).index)
    # The stream already loaded the gift images (one query); their renditions and the hero's come in one more.
    hero = page.hero_image
    images = [block.value["image"] for block in gift_blocks if block.value["image"]]
    _prefetch_renditions([*images, hero] if hero else images)
    page_url = page.url

    sections = [("", [])]
    for block in page.gifts:
        if block.block_type == "section":
            sections.append((block.value["heading"], []))
        else:
            sections[-1][1].append(_gift_card(block, page=page, page_url=page_url))
    return ListingLayout(
        sections=[(heading, cards) for heading, cards in sections if cards],
        categories=[(key, category_labels[key]) for key in used_categories],
        hero_html=render_to_string("includes/registry_hero_image.html", {"image": hero}) if hero else "",
    )


def _gift_card(block, *, page: RegistryPage, page_url: str) -> GiftCard:
    value = block.value
    body_html = render_to_string("blocks/gift_card.html", {"value": value, "image": value["image"], "page": page})
    item = _ItemTemplate(
        block_id=block.id,
        title=value["title"],
        most_wanted=bool(value["most_wanted"]),
        reserve_url=page_url + page.reverse_subpage("reserve", args=(block.id,)),
    )
    return GiftCard(
        block_id=block.id,
        category=value["category"],
        price_in_cents=int(value["price"] * 100),
        quantity_wanted=value["quantity_wanted"],
        body_html=body_html,
        wanted_item=item.parts(all_given=False, reservable=True),
        unreservable_item=item.parts(all_given=False, reservable=False),
        given_item=item.parts(all_given=True, reservable=False),
    )


@dataclass(frozen=True)
class _ItemTemplate:
    """A gift's list item rendered once per state, with markers where the card and the numbers go.

    `parts()` alternates literal HTML and field names ("card", "remaining", "wanted"). The markers are
    random for each rendering, so nothing a couple types can be mistaken for one.
    """

    block_id: str
    title: str
    most_wanted: bool
    reserve_url: str

    def parts(self, *, all_given: bool, reservable: bool) -> tuple[str, ...]:
        markers = {name: f"\ue000{uuid.uuid4().hex}\ue000" for name in ("card", "remaining", "wanted")}
        html = render_to_string(
            "registries/includes/gift_item.html",
            {
                "block_id": self.block_id,
                "title": self.title,
                "most_wanted": self.most_wanted,
                "reserve_url": self.reserve_url,
                "all_given": all_given,
                "reservable": reservable,
                "card_html": mark_safe(markers["card"]),  # noqa: S308 (a marker, replaced by our own rendering)
                "remaining": markers["remaining"],
                "quantity_wanted": markers["wanted"],
            },
        )
        names = {marker: name for name, marker in markers.items()}
        pieces = re.split("(" + "|".join(map(re.escape, names)) + ")", html)
        return tuple(piece if index % 2 == 0 else names[piece] for index, piece in enumerate(pieces))


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
    for raw in page.gifts.raw_data:
        if raw["type"] == "gift" and raw.get("id") == block_id:
            gift_block = page.gifts.stream_block.child_blocks["gift"]
            return StreamValue.StreamChild(gift_block, gift_block.to_python(raw["value"]), id=block_id)
    return None


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


def listed_registries():
    """Registries guests may find by name: live, listed, and not behind a password."""
    return RegistryPage.objects.live().filter(visibility=RegistryPage.Visibility.LISTED).exclude(in_private_section())


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

    Names and messages: show it only when `reservations_revealed` says so. Each reservation's `email_problem`
    says why the guest's address stopped taking our emails (bounced, or marked them as spam), or is None:
    that guest may not have their link to mark it bought or cancel, so the couple may want to tell them.
    """
    reservations = list(
        Reservation.objects.filter(gift__registry=registry)
        .exclude(status=Reservation.Status.RELEASED)
        .select_related("gift")
        .order_by("created_at", "pk")
    )
    problems = undeliverable_addresses(reservation.email for reservation in reservations)
    for reservation in reservations:
        reservation.email_problem = problems.get(reservation.email.lower())
    return Ledger(reservations=reservations, outside_gifts=list(registry.outside_gifts.all()))


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


ADDRESS_UNCONFIRMED = (
    "Please confirm your email address before you publish: follow the link in the email we sent you. "
    "Until one of you does, your registry can be edited and previewed, but guests can't see it."
)


def publish_problems(*, registry: RegistryPage, gifts) -> list[ValidationError]:
    """Why publishing `gifts` (the page's gift list) is refused now: empty when the registry may go live.

    The one rule every way of publishing follows: the editor, the admin API, scheduled publishing.
    """
    problems = []
    if couple_address_unconfirmed(registry=registry):
        problems.append(ValidationError(ADDRESS_UNCONFIRMED, code="address_unconfirmed"))
    gift_limit = gift_limit_problem(registry=registry, gifts=gifts)
    if gift_limit:
        problems.append(ValidationError(gift_limit, code="gift_limit"))
    return problems


def couple_address_unconfirmed(*, registry: RegistryPage) -> bool:
    """Whether the registry has a couple and none of them has confirmed their email address yet.

    Registries without a couple (made by staff) are never held.
    """
    if registry.pk is None:
        return False
    members = get_user_model().objects.filter(groups__page_permissions__page_id=registry.pk, is_superuser=False)
    counts = members.aggregate(
        members=Count("pk", distinct=True),
        confirmed=Count("pk", filter=Q(email_confirmed_at__isnull=False), distinct=True),
    )
    return bool(counts["members"]) and not counts["confirmed"]


def gift_limit_problem(*, registry: RegistryPage, gifts) -> str | None:
    """Why publishing `gifts` (the page's gift list) would take the registry past its package's limit, or None.

    A registry already over it (say, after a refund) keeps what it has published and may still
    publish edits, just not more gifts than are live now.
    """
    stored = RegistryPage.objects.filter(pk=registry.pk).select_related("package").first() if registry.pk else None
    package = stored.effective_package if stored else Package.default()
    wanted = sum(1 for block in gifts if block.block_type == "gift")
    if package is None or package.allows_gift_count(wanted):
        return None
    published = Gift.objects.filter(registry=stored, active=True).count() if stored else 0
    if wanted <= published:
        return None
    over = wanted - max(package.gift_limit, published)
    return (
        f"Your {package.name} package lets you publish up to {package.gift_limit} gifts, and this registry "
        f"would have {wanted}. Upgrade your package on the Plan page to publish more, or remove {over} "
        f"gift{'' if over == 1 else 's'}."
    )
