"""The gift list guests see: rendered once per published version, with the live numbers spliced in.

The layout (sections, cards, prices) changes only when the couple publishes: it is cached under the
registry's content version, and after a reservation only the numbers are read (one query). The page
cache's live region (core.caching) calls `registry_gift_sections_html` to rebuild just the gift sections.
"""

import re
import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model

from core.caching import registry_content_scope, versioned_cache_get

from .blocks import GIFT_CATEGORIES
from .models import Gift, RegistryPage

# The renditions the gift template asks for; prefetched together so a page with many gifts
# costs the same number of queries as a page with a few.
GIFT_IMAGE_WIDTHS = (320, 480, 640)
GIFT_IMAGE_FILTERS = tuple(f"fill-{w}x{w * 3 // 4}|format-webp" for w in GIFT_IMAGE_WIDTHS)
HERO_IMAGE_FILTERS = (
    "fill-640x300|format-webp",
    "fill-960x450|format-webp",
    "fill-1280x600|format-webp",
    # The short banner a phone gets (includes/registry_hero_image.html).
    "fill-640x240|format-webp",
    "fill-960x360|format-webp",
)
# The hero picture as a listed registry's search result card shows it (search/couple_result.html).
SEARCH_CARD_IMAGE_FILTERS = ("fill-160x120|format-webp", "fill-320x240|format-webp")

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


def gift_block_on_page(*, page: RegistryPage, block_id: str):
    """The live StreamField block of a gift, or None if the page no longer shows it.

    Converts only that block: iterating the stream would turn all its gifts (and their images) into values.
    """
    for raw in page.gifts.raw_data:
        if raw["type"] == "gift" and raw.get("id") == block_id:
            gift_block = page.gifts.stream_block.child_blocks["gift"]
            return StreamValue.StreamChild(gift_block, gift_block.to_python(raw["value"]), id=block_id)
    return None


def is_canonical_listing_query(params) -> bool:
    """Only the filters guests can choose: any other query string is never stored in the page cache."""
    allowed = {"category": {"", *dict(GIFT_CATEGORIES)}, "sort": SORTS}
    return all(key in allowed and params.get(key) in allowed[key] for key in params) and all(
        len(params.getlist(key)) == 1 for key in params
    )


def listing_cache_key(*, category: str, sort: str) -> str:
    """The filters as far as they change the gift list; anything else shares the unfiltered fragment."""
    return f"{category if category in dict(GIFT_CATEGORIES) else ''}:{sort if sort in SORTS else ''}"
