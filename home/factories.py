"""Test data for the public site: marketing pages built from the shared blocks, published."""

import factory
import wagtail_factories
from wagtail.models import Site

from marketing.models import MarketingPage


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def hero(heading="Gift lists that keep the surprise", **overrides) -> tuple[str, dict]:
    value = {"heading": heading, "text": "", "image": None, "call_to_action": link_value("", url="")}
    value.update(overrides)
    return ("hero", value)


def link_value(label="", *, page=None, url="") -> dict:
    return {"label": label, "page": page, "url": url}


class PublishedPageFactory(wagtail_factories.PageFactory):
    """Builds a page under its `parent` and publishes it, as an editor would; `publish=False` keeps a draft."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create and extracted is not False:
            page.save_revision().publish()


class MarketingPageFactory(PublishedPageFactory):
    """`MarketingPageFactory(slug="pricing", body=[("pricing_table", {...})])` builds and publishes under home."""

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = factory.LazyFunction(list)
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = MarketingPage
