"""The benchmark's data set, built through the same services the site uses; `verify` counts over-reservations.

Run by run.py as `python -m tests.benchmarks.dataset build|verify` with the benchmark's settings. Built once per
database and reused: a registry or couple that exists already is kept, so only the first run pays (the 1,000-gift
registry and the 5,000 listed couples take minutes; progress goes to stderr).
"""

import io
import json
import random
import sys
from datetime import date, timedelta
from decimal import Decimal

import django

BENCH_SLUG = "bench-200"
SCALE_SLUG = "bench-1000"
SMALL_SLUG = "bench-50"
CONTESTED_GIFTS = 10
CONTESTED_QUANTITY = 1000  # enough that five rounds of contention never sell a gift out
LISTED_COUPLES = 50
SCALE_COUPLES = 5000  # listed too, sharing a few pictures: what search runs through
SCALE_COUPLE_PICTURES = 25
SEARCH_QUERY = "bench"
GIFT_COUNT = 200
SCALE_GIFT_COUNT = 1000
SMALL_GIFT_COUNT = 50
SECTION_EVERY = 25


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _image(title: str, rng: random.Random, size=(800, 600)):
    from django.core.files.images import ImageFile
    from PIL import Image, ImageDraw
    from wagtail.images import get_image_model

    picture = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _ in range(4):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(20, size[1] // 2)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.jpg"))


def _registry(index, *, slug, partner_one, partner_two, gifts, rng, place="Brighton"):
    from registries.models import Package, RegistryPage

    existing = RegistryPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    page = RegistryPage(
        title=f"{partner_one} & {partner_two}",
        slug=slug,
        partner_one=partner_one,
        partner_two=partner_two,
        wedding_date=date.today() + timedelta(days=30 + rng.randrange(400)),
        place=place,
        welcome="<p>Thank you for celebrating with us.</p>",
        hero_image=_image(f"{slug} hero", rng, size=(1280, 600)),
        visibility=RegistryPage.Visibility.LISTED,
        gifts=gifts() if callable(gifts) else gifts,
        package=Package.objects.get(gift_limit__isnull=True),  # 200 gifts: more than the other packages allow
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    _renditions_make(page)
    return page


def _renditions_make(page) -> None:
    """Every picture size the registry shows, as the worker makes them after a publish (no worker runs here)."""
    from core.renditions import renditions_prepare
    from registries.listing import GIFT_IMAGE_FILTERS, HERO_IMAGE_FILTERS, SEARCH_CARD_IMAGE_FILTERS

    wanted = {page.hero_image_id: HERO_IMAGE_FILTERS + SEARCH_CARD_IMAGE_FILTERS}
    for block in page.gifts.raw_data:
        if block["type"] == "gift" and block["value"].get("image"):
            wanted[block["value"]["image"]] = GIFT_IMAGE_FILTERS
    renditions_prepare(wanted=wanted)


def _gift(number: int, rng: random.Random, *, quantity: int) -> tuple[str, dict]:
    return (
        "gift",
        {
            "title": f"Gift number {number}",
            "description": "Something lovely for our first home together.",
            "image": _image(f"bench gift {number}", rng),
            "price": Decimal(rng.randrange(500, 40000)) / 100,
            "quantity_wanted": quantity,
            "shop_name": "The Shop",
            "shop_url": f"https://example.com/gift/{number}",
            "most_wanted": number % 17 == 0,
            "category": rng.choice(["home", "kitchen", "dining", "garden", "experiences"]),
        },
    )


def _gift_list(count: int, rng: random.Random, *, first_number: int = 0, contested: int = 0) -> list:
    gifts = []
    for index in range(count):
        if index % SECTION_EVERY == 0:
            gifts.append(("section", {"heading": f"Section {index // SECTION_EVERY + 1}"}))
        gifts.append(
            _gift(first_number + index, rng, quantity=CONTESTED_QUANTITY if index < contested else 1 + index % 4)
        )
        if (index + 1) % 100 == 0:
            progress(f"    {index + 1} of {count} gifts")
    return gifts


def _scale_couples(index, rng: random.Random) -> None:
    """Listed couples enough to make search work: one page row each (no gifts), pictures shared."""
    from django.db import transaction

    from core.renditions import renditions_prepare
    from registries.listing import SEARCH_CARD_IMAGE_FILTERS
    from registries.models import Package, RegistryPage

    made = RegistryPage.objects.filter(slug__startswith="bench-scale-").count()
    if made >= SCALE_COUPLES:
        return
    progress(f"  {SCALE_COUPLES:,} listed couples for search ({made:,} made before)…")
    pictures = [_image(f"bench couple picture {n}", rng, size=(640, 300)) for n in range(SCALE_COUPLE_PICTURES)]
    renditions_prepare(wanted={picture.pk: SEARCH_CARD_IMAGE_FILTERS for picture in pictures})
    package = Package.objects.get(gift_limit__isnull=True)
    for number in range(made, SCALE_COUPLES):
        with transaction.atomic():
            index.add_child(
                instance=RegistryPage(
                    title=f"Bench{LISTED_COUPLES + number} & Partner",
                    slug=f"bench-scale-{number}",
                    partner_one=f"Bench{LISTED_COUPLES + number}",
                    partner_two="Partner",
                    wedding_date=date.today() + timedelta(days=30 + rng.randrange(400)),
                    place=rng.choice(["Brighton", "Leeds", "Bath", "York"]),
                    hero_image=pictures[number % SCALE_COUPLE_PICTURES],
                    visibility=RegistryPage.Visibility.LISTED,
                    package=package,
                    live=True,
                    has_unpublished_changes=False,
                )
            )
        if (number + 1) % 250 == 0:
            progress(f"    {number + 1:,} of {SCALE_COUPLES:,} couples")


def build() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registries.models import Gift, RegistryIndexPage, Reservation

    from . import PUBLISH_HEADER, RESERVATION_HEADER

    call_command("load_demo", stdout=io.StringIO())
    index = RegistryIndexPage.objects.get()
    rng = random.Random("bench")
    progress(f"  the registry with {GIFT_COUNT} gifts…")
    registry = _registry(
        index,
        slug=BENCH_SLUG,
        partner_one="Robin",
        partner_two="Charlie",
        gifts=lambda: _gift_list(GIFT_COUNT, rng, contested=CONTESTED_GIFTS),
        rng=rng,
    )
    progress(f"  {LISTED_COUPLES} listed couples with a gift each…")
    for number in range(LISTED_COUPLES):
        _registry(
            index,
            slug=f"bench-couple-{number}",
            partner_one=f"Bench{number}",
            partner_two="Partner",
            gifts=[_gift(10_000 + number, rng, quantity=2)],
            rng=rng,
        )
    progress(f"  the registries with {SMALL_GIFT_COUNT} and {SCALE_GIFT_COUNT:,} gifts…")
    small = _registry(
        index,
        slug=SMALL_SLUG,
        partner_one="Kit",
        partner_two="Jules",
        gifts=lambda: _gift_list(SMALL_GIFT_COUNT, rng, first_number=20_000),
        rng=rng,
    )
    scale = _registry(
        index,
        slug=SCALE_SLUG,
        partner_one="Morgan",
        partner_two="Ash",
        gifts=lambda: _gift_list(SCALE_GIFT_COUNT, rng, first_number=30_000),
        rng=rng,
    )
    _scale_couples(index, rng)
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without statistics the planner took 5,000 couples for 4 and
        # chose a nested loop that made every search take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    contested = list(
        Gift.objects.filter(registry=registry, quantity_wanted=CONTESTED_QUANTITY).values_list("block_id", flat=True)
    )
    reserve_paths = [f"{registry.url}reserve/{block_id}/" for block_id in contested]
    search = f"/search/?query={SEARCH_QUERY}"
    paths = {
        "home": "/",
        "marketing": "/features/",
        "registry": registry.url,
        "after_reservation": registry.url,
        "scale_registry": scale.url,
        "scale_after_publish": scale.url,
        "search": search,
        "search_uncached": search,
    }
    requests = {
        **{name: (path, {}) for name, path in paths.items()},
        "after_reservation": (registry.url, {RESERVATION_HEADER: str(registry.pk)}),
        "scale_after_publish": (scale.url, {PUBLISH_HEADER: str(scale.pk)}),
        "search_uncached": (f"{search}&n=probe", {}),
    }
    for path in paths.values():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
    measured = {}
    for name, (path, headers) in requests.items():
        client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        measured[name] = {"bytes": len(response.content), "queries": len(queries)}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reserve_paths[0], _reservation_form())
    assert response.status_code == 302, response.status_code
    measured["reserve"] = {"bytes": len(response.content), "queries": len(queries)}

    # A rerun on the same database starts the contest afresh (bench data only: reservations are never deleted).
    Reservation.objects.filter(gift__registry=registry).delete()
    Gift.objects.filter(registry=registry).update(quantity_reserved=0)
    return {
        "paths": paths,
        "registry_id": registry.pk,
        "scale_registry_id": scale.pk,
        "small_registry_id": small.pk,
        "registry_bytes": measured["registry"]["bytes"],
        "measured": measured,
        "reserve_paths": reserve_paths,
    }


def _reservation_form() -> dict:
    import uuid

    return {
        "name": "Bench Guest",
        "email": "guest@example.com",
        "quantity": "1",
        "message": "",
        "idempotency_key": str(uuid.uuid4()),
    }


def verify() -> dict:
    from django.db.models import Sum

    from registries.models import Gift, RegistryPage, Reservation

    registry = RegistryPage.objects.get(slug=BENCH_SLUG)
    over_reserved = 0
    reserved = 0
    for gift in Gift.objects.filter(registry=registry):
        held = (
            Reservation.objects.filter(gift=gift)
            .exclude(status=Reservation.Status.RELEASED)
            .aggregate(total=Sum("quantity"))["total"]
            or 0
        )
        reserved += held
        if held > gift.quantity_wanted or held != gift.quantity_reserved:
            over_reserved += 1
    return {"over_reserved_gifts": over_reserved, "units_reserved": reserved}


if __name__ == "__main__":
    django.setup()
    action = {"build": build, "verify": verify}[sys.argv[1]]
    print("BENCH_JSON " + json.dumps(action()))
