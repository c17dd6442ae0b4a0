"""The gift list guests see: a page at a time, from a layout cached per published version, live numbers spliced in.

The layout (sections, prices, categories, the order the couple chose) changes only when the couple publishes: it
is cached under the registry's content version and read from the stream's stored JSON, so building it never turns
a thousand gifts into Python values. Ordering, the filters and paging apply to the whole registry from the layout
and one query for the numbers; only the gifts of the page shown are rendered. Their cards are cached by what
they show (the gift as published, the registry's currency, the picture), so a publish re-renders only the gifts it
changed. The page cache's live region (core.caching) calls `registry_gift_sections_html` to rebuild the gift list
of a stored page after a reservation.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template, render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model

from core.caching import cache_get_many, registry_content_scope, versioned_cache_get
from core.currency import format_money

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

# The blocks guests give: a gift (reserved by units, or a group gift given towards) and a fund.
GIFT_KINDS = ("gift", "fund")
# A phone's worth of gifts: 24 cards are about 40 KB of HTML, whatever the registry holds.
GIFTS_PER_PAGE = 24
SORTS = {
    "": "Registry order",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
}
AVAILABLE_ONLY = "1"  # the value of the "show available only" checkbox
# Pages on either side of the current one that the page links name; the first and last are always named.
PAGE_LINKS_AROUND = 2
# Cards rendered beyond the page shown: a gift all given moves to the end (or out of "still wanted"), and the
# next one moves up; with its card cached, the page cache can still bring the page up to date without a render.
CARDS_AHEAD = 4


class ListingQuery(NamedTuple):
    """What a guest chose in the query string, each value understood or dropped (an unknown category shows all)."""

    category: str = ""
    sort: str = ""
    available_only: bool = False
    page: int | None = 1  # None: not a page number at all (page=abc); answered with a 404

    @classmethod
    def from_params(cls, params) -> "ListingQuery":
        category = params.get("category", "")
        sort = params.get("sort", "")
        return cls(
            category=category if category in dict(GIFT_CATEGORIES) else "",
            sort=sort if sort in SORTS else "",
            available_only=params.get("available", "") == AVAILABLE_ONLY,
            page=_page_number(params.get("page", "1")),
        )

    def params(self, *, page: int | None = None) -> dict[str, str]:
        """The query string naming this choice (on `page`), as the filter form and page links send it."""
        params = {"category": self.category, "sort": self.sort}
        if self.available_only:
            params["available"] = AVAILABLE_ONLY
        page = self.page if page is None else page
        if page and page > 1:
            params["page"] = str(page)
        return {name: value for name, value in params.items() if value}

    @property
    def cache_key(self) -> str:
        return f"{self.category}:{self.sort}:{int(self.available_only)}:{self.page}"


def _page_number(text: str) -> int | None:
    # Digits only, as our links write them: "02", "+2" or "²" would be one more stored copy of the same page.
    if text.isascii() and text.isdigit() and text == str(int(text)) and int(text) >= 1:
        return int(text)
    return None


class GiftEntry(NamedTuple):
    """One gift as the published content has it: what ordering and filtering need, and where its card is cached.

    The numbers guests change (reserved) are read per request. Plain values only (prices in cents, not Decimal):
    the layout is unpickled on every request after a reservation.
    """

    block_id: str
    section: int  # an index into ListingLayout.headings
    title: str
    category: str
    price_in_cents: int
    quantity_wanted: int  # the block's; the Gift row's wins once the gift is synced
    most_wanted: bool
    card_key: str
    takes_pledges: bool = False  # a fund or a group gift: guests give amounts, not units


class ListingLayout(NamedTuple):
    """Everything about the gift list that only publishing changes: cached per content version."""

    headings: tuple[str, ...]
    gifts: tuple[GiftEntry, ...]
    categories: list[tuple[str, str]]
    hero_html: str
    reserve_url: tuple[str, str]  # a gift's reserve page is before + its block id + after
    give_url: tuple[str, str] = ("", "")  # the same for the page that takes a pledge
    currency: str = "GBP"


RESERVE_URL_BLOCK_ID = "block-id"


@dataclass
class GiftItem:
    """A gift on the page shown: its cached card and its live numbers."""

    entry: GiftEntry
    card_html: str
    remaining: int
    wanted: int
    reservable: bool  # it has a Gift row (published and synced): guests can reserve it
    reserve_url: str
    # Funds and group gifts: what guests pledged, of what (no goal: a fund that just counts), formatted.
    pledged: str = ""
    goal: str = ""
    give_url: str = ""

    @property
    def all_given(self) -> bool:
        return self.remaining == 0

    @property
    def takes_pledges(self) -> bool:
        return self.entry.takes_pledges


@dataclass
class GiftSection:
    heading: str
    items: list[GiftItem]


class PageLink(NamedTuple):
    number: int | None  # None: a gap between the numbers named
    href: str
    current: bool = False


@dataclass
class RegistryListing:
    sections: list[GiftSection]
    categories: list[tuple[str, str]]
    query: ListingQuery
    page_count: int
    gift_count: int  # the gifts that match the filters, on every page
    first_number: int  # the position of the page's first gift among them (1-based)
    page_url: str
    hero_html: str = ""

    @property
    def sorts(self) -> dict[str, str]:
        return SORTS

    @property
    def category(self) -> str:
        return self.query.category

    @property
    def sort(self) -> str:
        return self.query.sort

    @property
    def available_only(self) -> bool:
        return self.query.available_only

    @property
    def page_number(self) -> int | None:
        return self.query.page

    @property
    def page_missing(self) -> bool:
        """Asked for a page that isn't there (page=abc, or past the last): answered with a 404 that says so."""
        return self.query.page is None or self.query.page > self.page_count

    @property
    def is_filtered(self) -> bool:
        return bool(self.query.category or self.query.available_only)

    @property
    def last_number(self) -> int:
        return self.first_number + sum(len(section.items) for section in self.sections) - 1

    def page_href(self, number: int) -> str:
        params = self.query.params(page=number)
        return f"{self.page_url}?{urlencode(params)}" if params else self.page_url

    @property
    def previous_href(self) -> str:
        number = self.query.page or 1
        return self.page_href(number - 1) if 1 < number <= self.page_count else ""

    @property
    def next_href(self) -> str:
        number = self.query.page or 1
        return self.page_href(number + 1) if number < self.page_count else ""

    @property
    def page_links(self) -> list[PageLink]:
        current = self.query.page or 0
        shown = {1, self.page_count, *range(current - PAGE_LINKS_AROUND, current + PAGE_LINKS_AROUND + 1)}
        links, previous = [], 0
        for number in sorted(n for n in shown if 1 <= n <= self.page_count):
            if number > previous + 1:
                links.append(PageLink(None, ""))
            links.append(PageLink(number, self.page_href(number), current=number == current))
            previous = number
        return links


def registry_listing(*, page: RegistryPage, query: ListingQuery, content_version: str = "") -> RegistryListing:
    """One page of the gifts of `page` as guests see them, filtered and sorted as the query string asks.

    In registry order gifts stay in their sections, the most wanted first and fully given ones last; sorted by
    price the sections give way to one list. With a `content_version` the layout comes from one cache entry and
    the cards of the page from another round-trip (only the missing ones are rendered), plus one query for the
    numbers; without one (a preview of the draft) everything is built from `page` and nothing is stored.
    """
    if content_version:
        layout = versioned_cache_get(
            _layout_key(page.pk, content_version), lambda: _build_listing_layout(page), timeout=LAYOUT_CACHE_TIMEOUT
        )
    else:
        layout = _build_listing_layout(page)
    return _listing_from(
        layout,
        registry_id=page.pk,
        query=query,
        page_url=page.url,
        cards=lambda shown, ahead: _cards(page, shown + ahead, store=bool(content_version)),
    )


def registry_gift_sections_html(request, versions: dict[str, str], *, registry_id: int, page_url: str) -> str | None:
    """The live region of a stored registry page: its page of gifts with the current numbers.

    Called by the page cache when a reservation is all that changed since the page was stored, so guests get the
    new numbers from the cached layout and cards and one query. None when a full render is needed: the layout or
    a card is no longer cached, or the page asked for is no longer there.
    """
    layout = versioned_cache_get(_layout_key(registry_id, versions[registry_content_scope(registry_id)]))
    if layout is None:
        return None
    listing = _listing_from(
        layout,
        registry_id=registry_id,
        query=ListingQuery.from_params(request.GET),
        page_url=page_url,
        cards=_cached_cards,
    )
    if listing is None or listing.page_missing:
        return None
    return render_to_string("registries/includes/gift_sections.html", {"listing": listing})


def _listing_from(layout: ListingLayout, *, registry_id: int, query: ListingQuery, page_url: str, cards):
    numbers, pledges = {}, {}
    rows = Gift.objects.filter(registry_id=registry_id, active=True).values_list(
        "block_id", "quantity_wanted", "quantity_reserved", "group_gift", "amount_pledged", "pledge_goal"
    )
    for block_id, wanted, reserved, group_gift, pledged, goal in rows:
        numbers[block_id] = (wanted, reserved)
        pledges[block_id] = (group_gift, pledged, goal)
    if query.category not in dict(layout.categories):
        query = query._replace(category="")

    matching = []  # (all given, entry, reservable, remaining, wanted), in the couple's order
    for entry in layout.gifts:
        if query.category and entry.category != query.category:
            continue
        wanted, reserved = numbers.get(entry.block_id, (entry.quantity_wanted, None))
        remaining = max(wanted - (reserved or 0), 0)
        if entry.takes_pledges:  # one "unit", given once pledges reach a group gift's price (a fund never is)
            group_gift, pledged, goal = pledges.get(entry.block_id, (False, 0, None))
            wanted, remaining = 1, int(not group_gift or pledged < goal)
        if query.available_only and not remaining:
            continue
        matching.append((remaining == 0, entry, reserved is not None, remaining, wanted))

    if query.sort:
        direction = -1 if query.sort == "price_desc" else 1
        matching.sort(key=lambda gift: (gift[0], direction * gift[1].price_in_cents))
    else:  # stable: the couple's order within each group
        matching.sort(key=lambda gift: (gift[1].section, gift[0], not gift[1].most_wanted))

    page_count = max(math.ceil(len(matching) / GIFTS_PER_PAGE), 1)
    number = query.page if query.page is not None and query.page <= page_count else None
    start = (number - 1) * GIFTS_PER_PAGE if number else 0
    shown = matching[start : start + GIFTS_PER_PAGE] if number else []
    ahead = matching[start + GIFTS_PER_PAGE : start + GIFTS_PER_PAGE + CARDS_AHEAD] if number else []
    card_html = cards([gift[1] for gift in shown], [gift[1] for gift in ahead])
    if card_html is None:
        return None

    sections: list[GiftSection] = []
    for _all_given, entry, reservable, remaining, wanted in shown:
        heading = "" if query.sort else layout.headings[entry.section]
        if not sections or sections[-1].heading != heading:
            sections.append(GiftSection(heading=heading, items=[]))
        _group_gift, pledged, goal = pledges.get(entry.block_id, (False, 0, None))
        sections[-1].items.append(
            GiftItem(
                entry=entry,
                card_html=mark_safe(card_html[entry.card_key]),  # noqa: S308 (our own rendering)
                remaining=remaining,
                wanted=wanted,
                reservable=reservable,
                reserve_url=entry.block_id.join(layout.reserve_url),
                pledged=format_money(pledged, layout.currency) if entry.takes_pledges else "",
                goal=format_money(goal, layout.currency) if entry.takes_pledges and goal else "",
                give_url=entry.block_id.join(layout.give_url),
            )
        )
    return RegistryListing(
        sections=sections,
        categories=layout.categories,
        query=query,
        page_count=page_count,
        gift_count=len(matching),
        first_number=start + 1,
        page_url=page_url,
        hero_html=mark_safe(layout.hero_html),  # noqa: S308 (our own rendering)
    )


LAYOUT_CACHE_TIMEOUT = 60 * 60 * 24
CARD_CACHE_TIMEOUT = 60 * 60 * 24
# Part of the keys: change them with GiftEntry or ListingLayout, and with the card's template, so a deploy never
# unpickles the old shape or shows the old markup.
LAYOUT_FORMAT = 3
CARD_FORMAT = 2


def _layout_key(registry_id: int, content_version: str) -> str:
    return f"registry-layout:{LAYOUT_FORMAT}:{registry_id}:{content_version}"


def _stream_items(page: RegistryPage):
    """The stream's stored JSON as (block id, type, value); a block the editor has just added has no id yet."""
    for index, raw in enumerate(page.gifts.raw_data):
        yield raw.get("id") or f"unsaved-{index}", raw["type"], raw["value"]


def _build_listing_layout(page: RegistryPage) -> ListingLayout:
    """The layout from the stream's stored JSON: a registry of a thousand gifts is read, never converted."""
    items = list(_stream_items(page))
    pictures = _picture_signatures([value.get("image") for _id, kind, value in items if kind in GIFT_KINDS])
    headings, entries = [""], []
    for block_id, kind, value in items:
        if kind == "section":
            headings.append(value.get("heading", ""))
        elif kind in GIFT_KINDS:
            is_fund = kind == "fund"  # a fund: one "unit", sorted by its goal, always given towards
            shown = {**value, "type": kind} if is_fund else value  # a fund's card never shares a gift's key
            entries.append(
                GiftEntry(
                    block_id=block_id,
                    section=len(headings) - 1,
                    title=value.get("title", ""),
                    category=value.get("category") or "other",
                    price_in_cents=int(Decimal(str(value.get("goal" if is_fund else "price") or 0)) * 100),
                    quantity_wanted=1 if is_fund else int(value.get("quantity_wanted") or 1),
                    most_wanted=bool(value.get("most_wanted")),
                    card_key=_card_key(shown, currency=page.currency, picture=pictures.get(value.get("image"))),
                    takes_pledges=is_fund or bool(value.get("group_gift")),
                )
            )
    category_labels = dict(GIFT_CATEGORIES)
    used = {entry.category for entry in entries}
    hero = page.hero_image
    if hero:
        _prefetch_renditions([hero], HERO_IMAGE_FILTERS)
    return ListingLayout(
        headings=tuple(headings),
        gifts=tuple(entries),
        categories=[(key, label) for key, label in GIFT_CATEGORIES if key in used and key in category_labels],
        hero_html=render_to_string("includes/registry_hero_image.html", {"image": hero}) if hero else "",
        # The last one: the couple's address might hold the same letters.
        reserve_url=_block_url(page, "reserve"),
        give_url=_block_url(page, "give"),
        currency=page.currency,
    )


def _block_url(page: RegistryPage, route: str) -> tuple[str, str]:
    """A gift's page of `route` as (before, after) its block id.

    Split at the last one: the couple's address might hold the same letters."""
    return (page.url + page.reverse_subpage(route, args=(RESERVE_URL_BLOCK_ID,))).rpartition(RESERVE_URL_BLOCK_ID)[::2]


def _picture_signatures(image_ids) -> dict[int, tuple]:
    """What a gift's picture looks like, by image id: a new file or focal point gives its card a new key."""
    ids = {image_id for image_id in image_ids if image_id}
    if not ids:
        return {}
    fields = ("pk", "file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
    return {row[0]: row[1:] for row in get_image_model().objects.filter(pk__in=ids).values_list(*fields)}


def _card_key(value: dict, *, currency: str, picture: tuple | None) -> str:
    """A card's cache key: a digest of everything it shows, so equal gifts share a card and edits get a new one."""
    shown = json.dumps([value, currency, picture], sort_keys=True, default=str, separators=(",", ":"))
    return f"gift-card:{CARD_FORMAT}:{hashlib.sha256(shown.encode()).hexdigest()}"


def _cached_cards(shown: list[GiftEntry], ahead: list[GiftEntry]) -> dict[str, str] | None:
    """The cards of the gifts shown from the cache in one round-trip, or None if any is missing."""
    found = cache_get_many(list({entry.card_key for entry in shown}))
    return found if all(entry.card_key in found for entry in shown) else None


def _cards(page: RegistryPage, entries: list[GiftEntry], *, store: bool) -> dict[str, str]:
    """The cards of `entries`: from the cache (with `store`) and the missing ones rendered, their pictures together."""
    found = cache_get_many(list({entry.card_key for entry in entries})) if store else {}
    missing = {entry.block_id: entry.card_key for entry in entries if entry.card_key not in found}
    if missing:
        rendered = _cards_render(page, missing)
        if store:
            cache.set_many(rendered, timeout=CARD_CACHE_TIMEOUT)
        found.update(rendered)
    return found


def _cards_render(page: RegistryPage, keys_by_block_id: dict[str, str]) -> dict[str, str]:
    """Render these gifts' cards: their pictures in one query, their renditions in one more, one template."""
    rendered = {}
    for kind in GIFT_KINDS:
        block = page.gifts.stream_block.child_blocks[kind]
        wanted = [
            (block_id, value)
            for block_id, k, value in _stream_items(page)
            if k == kind and block_id in keys_by_block_id
        ]
        if not wanted:
            continue
        values = block.bulk_to_python([value for _block_id, value in wanted])
        _prefetch_renditions([value["image"] for value in values if value["image"]], GIFT_IMAGE_FILTERS)
        template = get_template(block.meta.template)
        rendered.update(
            (keys_by_block_id[block_id], template.render({"value": value, "page": page}))
            for (block_id, _raw), value in zip(wanted, values, strict=True)
        )
    return rendered


def _prefetch_renditions(images: list, filters: tuple[str, ...]) -> None:
    """What `prefetch_renditions()` does for a queryset, for images already loaded."""
    rendition_model = get_image_model().get_rendition_model()
    renditions = rendition_model.objects.filter(filter_spec__in=filters)
    prefetch_related_objects(images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"))


def gift_block_on_page(*, page: RegistryPage, block_id: str):
    """The live StreamField block of a gift, or None if the page no longer shows it.

    Converts only that block: iterating the stream would turn all its gifts (and their images) into values.
    """
    for raw in page.gifts.raw_data:
        if raw["type"] in GIFT_KINDS and raw.get("id") == block_id:
            gift_block = page.gifts.stream_block.child_blocks[raw["type"]]
            return StreamValue.StreamChild(gift_block, gift_block.to_python(raw["value"]), id=block_id)
    return None


def is_canonical_listing_query(params) -> bool:
    """Only what the filter form and the page links send: any other query string is answered but never stored."""
    allowed = {"category": {"", *dict(GIFT_CATEGORIES)}, "sort": SORTS, "available": {"", AVAILABLE_ONLY}}
    for name in params:
        values = params.getlist(name)
        if len(values) != 1:
            return False
        if name == "page":
            if _page_number(values[0]) is None:
                return False
        elif name not in allowed or values[0] not in allowed[name]:
            return False
    return True
