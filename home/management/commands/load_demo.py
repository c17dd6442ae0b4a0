"""Demo content for `make run`: the page tree and Alex & Sam's registry. Safe to run again."""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Site

from accounts.services import couple_create
from home.demo_content import HOME_SEO, home_body, marketing_pages
from home.demo_pictures import demo_picture
from home.models import HomePage, SiteChrome
from marketing.models import MarketingPage
from registries.models import Gift, RegistryIndexPage, RegistryPage
from registries.services import reservation_create, reservation_mark_bought

DEMO_ADMIN_EMAIL = "admin@whispergifts.localhost"
DEMO_ADMIN_PASSWORD = "whisper-demo-admin"
DEMO_SLUG = "alex-and-sam"
DEMO_COUPLE_EMAIL = "alex-and-sam@couple.localhost"
DEMO_COUPLE_PASSWORD = "whisper-demo-couple"

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
BACKGROUND = "#f6efe9"
PALETTE = ["#c8553d", "#f28f3b", "#ffd5c2", "#588b8b", "#93b7be", "#8a3b5c", "#e0c879", "#6d597a"]


class Command(BaseCommand):
    help = "Load demo content: the marketing site, the page tree and a registry for Alex & Sam (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = self._home_page()
            self._marketing_site(home)
            index = self._registry_index(home)
            registry = self._demo_registry(index)
        self._demo_admin()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"  Demo registry: {settings.WAGTAILADMIN_BASE_URL}{registry.url}")
        if settings.DEBUG:
            self.stdout.write(f"  Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
            self.stdout.write(f"  Staff login: {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")
            couple = get_user_model().objects.filter(email=DEMO_COUPLE_EMAIL).first()
            if couple is not None and couple.check_password(DEMO_COUPLE_PASSWORD):
                self.stdout.write(
                    f"  Couple login (edits Alex & Sam's registry): {DEMO_COUPLE_EMAIL} / {DEMO_COUPLE_PASSWORD}"
                )

    def _home_page(self) -> HomePage:
        return Site.objects.get(is_default_site=True).root_page.specific

    def _marketing_site(self, home: HomePage) -> None:
        """Home, how it works, pricing, FAQ and about, the navigation and the footer; fills only what is empty."""
        images = {
            "hero": _demo_picture("Demo: friends raising a toast", "#f28f3b", size=(1600, 1067)),
            "feature": _demo_picture("Demo: gift icon", "#588b8b", size=(384, 384)),
            "couple": _demo_picture("Demo: couple unwrapping a present", "#93b7be", size=(1200, 900)),
            "social": _demo_picture("Demo: sharing card", "#8a3b5c", size=(1200, 630)),
        }
        definitions = marketing_pages(images=images)
        pages = {}
        for slug, title, description, _body in definitions:
            page = MarketingPage.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = MarketingPage(title=title, slug=slug, search_description=description)
                home.add_child(instance=page)
            pages[slug] = page
        for slug, _title, _description, body in definitions:
            page = pages[slug]
            if not page.body or not page.live:
                page.body = body(pages)
                page.social_image = images["social"]
                page.save_revision().publish()
        if not home.body:
            home.body = home_body(pages=pages, images=images)
            home.title = "WhisperGifts"
            home.seo_title = HOME_SEO["seo_title"]
            home.search_description = HOME_SEO["search_description"]
            home.social_image = images["social"]
            home.save_revision().publish()

        chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
        if not chrome.navigation:
            chrome.navigation = [("link", {"label": "", "page": pages[slug], "url": ""}) for slug in pages]
            chrome.footer_links = [
                ("link", {"label": "About us", "page": pages["about"], "url": ""}),
                ("link", {"label": "Questions", "page": pages["faq"], "url": ""}),
                ("link", {"label": "Find a couple", "page": None, "url": "/search/"}),
                ("link", {"label": "Admin", "page": None, "url": "/admin/"}),
            ]
            chrome.save()

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
            return registry

        # Made the way sign-up makes a couple, so they can log in and edit it (with a known password on a laptop).
        couple = couple_create(
            email=DEMO_COUPLE_EMAIL,
            password=DEMO_COUPLE_PASSWORD if settings.DEBUG else None,
            partner_one="Alex",
            partner_two="Sam",
            wedding_date=date.today() + timedelta(days=120),
            currency="GBP",
            slug=DEMO_SLUG,
            parent=index,
            email_confirmed=True,  # a .localhost address: no link could reach it
        )
        blocks = []
        for section_index, (heading, gifts) in enumerate(DEMO_GIFTS):
            blocks.append(("section", {"heading": heading}))
            for gift_index, (title, category, price, quantity, shop, most_wanted) in enumerate(gifts):
                colour = PALETTE[(section_index * 6 + gift_index) % len(PALETTE)]
                value = {
                    "title": title,
                    "description": f"{title}, chosen with love for our first home together.",
                    "image": _demo_image(title, colour, collection=couple.collection),
                    "price": Decimal(price),
                    "quantity_wanted": quantity,
                    "shop_name": shop,
                    "shop_url": f"https://example.com/shop/{slugify(title)}" if shop else "",
                    "most_wanted": most_wanted,
                    "category": category,
                }
                blocks.append(("gift", value))

        registry = couple.registry
        registry.place = "Brighton"
        registry.visibility = RegistryPage.Visibility.LISTED
        registry.welcome = (
            "<p>We can't wait to celebrate with you. Your being there is the best gift; "
            "if you'd like to give something more, here are a few ideas.</p>"
        )
        registry.hero_image = _demo_image("Alex & Sam", "#8a3b5c", size=(1280, 600), collection=couple.collection)
        registry.gifts = blocks
        registry.save_revision(user=couple.user).publish()
        registry = RegistryPage.objects.get(pk=registry.pk)
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


def _demo_image(title: str, colour: str, size=(800, 600), collection=None):
    """A picture of what `title` names, drawn here (home/demo_pictures.py): no network needed."""
    data = demo_picture(title, size=size, background=BACKGROUND, accent=colour)
    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(data), name=f"demo-{slugify(title)}.jpg"))
    if collection is not None:  # the couple's own, so they can choose it in the editor
        image.collection = collection
    image.save()
    return image


def _demo_picture(title: str, colour: str, *, size):
    """One demo picture per title, reused on later runs."""
    existing = get_image_model().objects.filter(title=title).first()
    return existing or _demo_image(title, colour, size=size)
