"""The benchmark's data set, built through the same services the site uses; `verify` counts over-reservations.

Run by run.py as `python -m tests.benchmarks.dataset build|verify` with the benchmark's settings.
"""

import io
import json
import random
import sys
from datetime import date, timedelta
from decimal import Decimal

import django

BENCH_SLUG = "bench-200"
CONTESTED_GIFTS = 10
CONTESTED_QUANTITY = 1000  # enough that five rounds of contention never sell a gift out
LISTED_COUPLES = 50
SEARCH_QUERY = "bench"
GIFT_COUNT = 200


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
        gifts=gifts,
        package=Package.objects.get(gift_limit__isnull=True),  # 200 gifts: more than the other packages allow
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


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


def build() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registries.models import Gift, RegistryIndexPage, Reservation

    from . import RESERVATION_HEADER

    call_command("load_demo", stdout=io.StringIO())
    index = RegistryIndexPage.objects.get()
    rng = random.Random("bench")
    gifts = []
    for number in range(GIFT_COUNT):
        if number % 25 == 0:
            gifts.append(("section", {"heading": f"Section {number // 25 + 1}"}))
        gifts.append(_gift(number, rng, quantity=CONTESTED_QUANTITY if number < CONTESTED_GIFTS else 1 + number % 4))
    registry = _registry(index, slug=BENCH_SLUG, partner_one="Robin", partner_two="Charlie", gifts=gifts, rng=rng)
    for number in range(LISTED_COUPLES):
        _registry(
            index,
            slug=f"bench-couple-{number}",
            partner_one=f"Bench{number}",
            partner_two="Partner",
            gifts=[_gift(10_000 + number, rng, quantity=2)],
            rng=rng,
        )

    # A rerun on the same database starts the contest afresh (bench data only: reservations are never deleted).
    Reservation.objects.filter(gift__registry=registry).delete()
    Gift.objects.filter(registry=registry).update(quantity_reserved=0)
    contested = list(
        Gift.objects.filter(registry=registry, quantity_wanted=CONTESTED_QUANTITY).values_list("block_id", flat=True)
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    paths = {
        "home": "/",
        "marketing": "/features/",
        "registry": registry.url,
        "after_reservation": registry.url,
        "search": f"/search/?query={SEARCH_QUERY}",
    }
    for path in paths.values():  # renditions are made here, never during a measurement
        for _ in range(2):
            assert client.get(path).status_code == 200, path
    registry_bytes = len(client.get(registry.url).content)
    with CaptureQueriesContext(connection) as queries:
        client.get(registry.url, headers={RESERVATION_HEADER: str(registry.pk)})
    return {
        "paths": paths,
        "registry_id": registry.pk,
        "registry_bytes": registry_bytes,
        "queries_after_reservation": len(queries),
        "reserve_paths": [f"{registry.url}reserve/{block_id}/" for block_id in contested],
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
