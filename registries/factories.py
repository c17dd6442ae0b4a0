"""Test data for registries: pages built the way the admin builds them, then published."""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from core.factories import PublishedPageFactory

from .models import Gift, Package, RegistryIndexPage, RegistryPage
from .services import pledge_create, reservation_create


def gift(**overrides) -> tuple[str, dict]:
    """One `gift` StreamField child, e.g. `gift(title="Toaster", quantity_wanted=2)`."""
    value = {
        "title": "Toaster",
        "description": "",
        "image": None,
        "price": Decimal("25.00"),
        "quantity_wanted": 1,
        "shop_name": "Kitchen Shop",
        "shop_url": "https://example.com/toaster",
        "most_wanted": False,
        "category": "kitchen",
    }
    value.update(overrides)
    return ("gift", value)


def fund(**overrides) -> tuple[str, dict]:
    """One `fund` StreamField child, e.g. `fund(title="Honeymoon", goal=Decimal("2000"))`."""
    value = {
        "title": "Honeymoon",
        "story": "Two weeks in Lisbon.",
        "image": None,
        "goal": None,
        "suggested_amounts": [],
        "minimum_contribution": None,
        "category": "travel",
    }
    value.update(overrides)
    return ("fund", value)


def section(heading: str) -> tuple[str, dict]:
    return ("section", {"heading": heading})


def make_image(title: str = "Gift photo", colour: str = "#8a3b5c", size=(400, 300)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="gift.png"))


def registry_index() -> RegistryIndexPage:
    index = RegistryIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = RegistryIndexPage(title="Registries", slug="registries")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def unlimited_package() -> Package:
    """The package with no gift limit, for registries with more gifts than the free one allows."""
    return Package.objects.get(gift_limit__isnull=True)


class RegistryPageFactory(PublishedPageFactory):
    """`RegistryPageFactory(gifts=[gift(), section("Kitchen"), gift()])` builds and publishes."""

    title = factory.LazyAttribute(lambda page: f"{page.partner_one} & {page.partner_two}")
    slug = factory.Sequence(lambda n: f"couple-{n}")
    partner_one = "Alex"
    partner_two = "Sam"
    wedding_date = factory.LazyFunction(lambda: date.today() + timedelta(days=90))
    place = "Brighton"
    currency = "GBP"
    gifts = factory.LazyFunction(list)
    parent = factory.LazyFunction(registry_index)

    class Meta:
        model = RegistryPage


def gift_row(page: RegistryPage, title: str) -> Gift:
    return Gift.objects.get(registry=page, title=title)


def publish_gifts(page: RegistryPage, *gifts) -> RegistryPage:
    """Give a registry these gifts (`gift(...)`, `section(...)`) and publish it, as the couple would."""
    page = RegistryPage.objects.get(pk=page.pk)
    page.gifts = list(gifts)
    page.save_revision().publish()
    return RegistryPage.objects.get(pk=page.pk)


def reserve(page: RegistryPage, title: str, *, name: str = "Guest", quantity: int = 1, message: str = ""):
    """A guest's reservation of the gift called `title`, through the real service."""
    return reservation_create(
        gift=gift_row(page, title),
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        quantity=quantity,
        message=message,
        idempotency_key=uuid.uuid4(),
    ).reservation


def pledge(page: RegistryPage, title: str, amount, *, name: str = "Guest", message: str = ""):
    """A guest's pledge of `amount` towards the fund or group gift called `title`, through the real service."""
    return pledge_create(
        gift=gift_row(page, title),
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        amount=Decimal(str(amount)),
        message=message,
        idempotency_key=uuid.uuid4(),
    ).pledge
