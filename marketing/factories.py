"""Test data for the public site: marketing pages built from the shared blocks, published."""

import factory

from core.factories import PublishedPageFactory, home_page, link_value

from .models import MarketingPage


def hero(heading="Gift lists that keep the surprise", **overrides) -> tuple[str, dict]:
    value = {"heading": heading, "text": "", "image": None, "call_to_action": link_value("", url="")}
    value.update(overrides)
    return ("hero", value)


class MarketingPageFactory(PublishedPageFactory):
    """`MarketingPageFactory(slug="pricing", body=[("pricing_table", {...})])` builds and publishes under home."""

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = factory.LazyFunction(list)
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = MarketingPage
