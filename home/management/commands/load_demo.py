"""Demo content for `make run`: the page tree and Alex & Sam's registry. Safe to run again."""

import io
import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site

from home.models import HomePage
from registries.models import Gift, RegistryIndexPage, RegistryPage
from registries.services import reservation_create, reservation_mark_bought

DEMO_ADMIN_EMAIL = "admin@whispergifts.localhost"
DEMO_ADMIN_PASSWORD = "whisper-demo-admin"
DEMO_SLUG = "alex-and-sam"
DEMO_COUPLE_EMAIL = "alex-and-sam@couple.localhost"  # owns the demo registry, so its emails have someone to go to

# (section, [(title, category, price, quantity, shop, most_wanted)])
DEMO_GIFTS = [
    (
        "In the kitchen",
        [
            ("Cast-iron casserole dish", "kitchen", "189.00", 1, "Cookshop", True),
            ("Chef's knife", "kitchen", "95.00", 1, "Cookshop", False),
            ("Espresso machine", "kitchen", "349.00", 1, "Coffee Corner", True),
            ("Linen tea towels", "kitchen", "12.50", 6, "Homestead", False),
            ("Stand mixer", "kitchen", "429.00", 1, "Cookshop", False),
            ("Ceramic mixing bowls", "kitchen", "38.00", 3, "Potter's Lane", False),
        ],
    ),
    (
        "Around the table",
        [
            ("Dinner plates", "dining", "18.00", 8, "Potter's Lane", False),
            ("Wine glasses", "dining", "14.00", 8, "Glasshouse", False),
            ("Oak serving board", "dining", "45.00", 1, "Woodworks", False),
            ("Table linen set", "dining", "65.00", 1, "Homestead", False),
            ("Cutlery set for eight", "dining", "220.00", 1, "Cookshop", True),
            ("Candle holders", "dining", "24.00", 2, "Glasshouse", False),
        ],
    ),
    (
        "Home and garden",
        [
            ("Wool throw", "home", "120.00", 1, "Homestead", False),
            ("Bed linen", "home", "140.00", 2, "Homestead", False),
            ("Reading lamp", "home", "85.00", 1, "Lightroom", False),
            ("Herb planters", "garden", "30.00", 3, "Green Thumb", False),
            ("Garden bench", "garden", "260.00", 1, "Woodworks", False),
            ("Watering can", "garden", "28.00", 1, "Green Thumb", False),
        ],
    ),
    (
        "Honeymoon",
        [
            ("Dinner by the harbour", "experiences", "90.00", 2, "", True),
            ("Sunset sailing trip", "experiences", "150.00", 1, "", False),
            ("A night in the mountains", "travel", "200.00", 2, "", False),
            ("Train tickets along the coast", "travel", "75.00", 2, "", False),
            ("Museum passes", "experiences", "40.00", 2, "", False),
            ("Cooking class for two", "experiences", "110.00", 1, "", False),
        ],
    ),
]
PALETTE = ["#c8553d", "#f28f3b", "#ffd5c2", "#588b8b", "#93b7be", "#8a3b5c", "#e0c879", "#6d597a"]


class Command(BaseCommand):
    help = "Load demo content: the page tree and a registry for Alex & Sam (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self._home_page()
            index = self._registry_index(home)
            registry = self._demo_registry(index)
        self._demo_admin()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"  Demo registry: {settings.WAGTAILADMIN_BASE_URL}{registry.url}")
        if settings.DEBUG:
            self.stdout.write(f"  Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
            self.stdout.write(f"  Login: {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")

    def _home_page(self) -> HomePage:
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        if not home.intro:
            home.intro = (
                "<p>A wedding gift registry that keeps the surprise: guests whisper the gift they'll give, "
                "so nobody buys the same toaster twice.</p>"
            )
            home.save_revision().publish()
        return home

    def _registry_index(self, home: HomePage) -> RegistryIndexPage:
        index = RegistryIndexPage.objects.first()
        if index is None:
            index = RegistryIndexPage(title="Registries", slug="registries")
            home.add_child(instance=index)
            index.save_revision().publish()
        return index

    def _demo_registry(self, index: RegistryIndexPage) -> RegistryPage:
        registry = RegistryPage.objects.filter(slug=DEMO_SLUG).first()
        if registry is not None:
            if registry.owner_id is None:
                RegistryPage.objects.filter(pk=registry.pk).update(owner=_demo_couple())
            return registry

        rng = random.Random(DEMO_SLUG)
        blocks = []
        for section_index, (heading, gifts) in enumerate(DEMO_GIFTS):
            blocks.append(("section", {"heading": heading}))
            for gift_index, (title, category, price, quantity, shop, most_wanted) in enumerate(gifts):
                image = _demo_image(title, PALETTE[(section_index * 6 + gift_index) % len(PALETTE)], rng)
                value = {
                    "title": title,
                    "description": f"{title}, chosen with love for our first home together.",
                    "image": image,
                    "price": Decimal(price),
                    "quantity_wanted": quantity,
                    "shop_name": shop,
                    "shop_url": f"https://example.com/shop/{slugify(title)}" if shop else "",
                    "most_wanted": most_wanted,
                    "category": category,
                }
                blocks.append(("gift", value))

        registry = RegistryPage(
            title="Alex & Sam",
            slug=DEMO_SLUG,
            partner_one="Alex",
            partner_two="Sam",
            wedding_date=date.today() + timedelta(days=120),
            place="Brighton",
            currency="GBP",
            welcome="<p>We can't wait to celebrate with you. Your being there is the best gift; "
            "if you'd like to give something more, here are a few ideas.</p>",
            hero_image=_demo_image("Alex & Sam", "#8a3b5c", rng, size=(1280, 600)),
            gifts=blocks,
            owner=_demo_couple(),
        )
        index.add_child(instance=registry)
        registry.save_revision().publish()
        self._demo_reservations(registry)
        return registry

    def _demo_reservations(self, registry: RegistryPage) -> None:
        by_title = {gift.title: gift for gift in Gift.objects.filter(registry=registry)}
        guests = [
            ("Chef's knife", "Jo Bloggs", 1, True),
            ("Linen tea towels", "Priya Shah", 2, False),
            ("Dinner plates", "The Okafor family", 8, True),
            ("Wine glasses", "Mina Lee", 4, False),
            ("Sunset sailing trip", "Uncle Tom", 1, False),
        ]
        for title, name, quantity, bought in guests:
            result = reservation_create(
                gift=by_title[title],
                name=name,
                email=f"{name.split()[0].lower()}@guests.localhost",
                quantity=quantity,
                message="Congratulations to you both!",
                idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{title}"),
            )
            if bought:
                reservation_mark_bought(reservation=result.reservation)

    def _demo_admin(self) -> None:
        if not settings.DEBUG:
            return  # a known password belongs on a laptop only
        User = get_user_model()
        if not User.objects.filter(email=DEMO_ADMIN_EMAIL).exists():
            User.objects.create_superuser(
                email=DEMO_ADMIN_EMAIL, password=DEMO_ADMIN_PASSWORD, first_name="Demo", last_name="Admin"
            )


def _demo_couple():
    """The demo couple can't log in (no password); they exist so reservations have a couple to tell."""
    User = get_user_model()
    couple = User.objects.filter(email=DEMO_COUPLE_EMAIL).first()
    if couple is None:
        couple = User.objects.create_user(email=DEMO_COUPLE_EMAIL, password=None, first_name="Alex")
    return couple


def _demo_image(title: str, colour: str, rng: random.Random, size=(800, 600)):
    """A pleasant, locally generated picture: no network needed."""
    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for _ in range(6):
        radius = rng.randint(height // 8, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tint = rng.choice(PALETTE)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tint)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    filename = f"demo-{slugify(title)}.jpg"
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=filename))
