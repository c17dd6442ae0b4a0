from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.search import index

from core.blocks import LinkBlock
from core.models import BasePage
from marketing.blocks import PageBodyBlock
from registries.routing import registry_route_from_site_root


class HomePage(BasePage):
    """The site root, composed by staff from the shared blocks."""

    body = StreamField(PageBodyBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["registries.RegistryIndexPage", "marketing.MarketingPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def route(self, request, path_components):
        if len(path_components) >= 2:
            route = registry_route_from_site_root(self, request, path_components)
            if route is not None:
                return route
        return super().route(request, path_components)


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    """The navigation and footer staff edit under Settings → Navigation and footer."""

    navigation = StreamField(
        [("link", LinkBlock())], blank=True, use_json_field=True, help_text="Links in the header, in order."
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)
    footer_text = models.CharField(
        max_length=250,
        blank=True,
        default="WhisperGifts: whisper the gift you'll give, so nobody buys the same toaster twice.",
    )

    panels = [
        FieldPanel("navigation"),
        MultiFieldPanel([FieldPanel("footer_links"), FieldPanel("footer_text")], heading="Footer"),
    ]

    class Meta:
        verbose_name = "navigation and footer"
