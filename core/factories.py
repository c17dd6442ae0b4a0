"""Test data for any app's pages: the site's root, links, and pages built published as an editor would."""

import factory
import wagtail_factories
from wagtail.models import Site


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


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
