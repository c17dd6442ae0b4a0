from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LinkBlock, PageBodyBlock
from .caching import MARKETING_CACHE_CONTROL, SITE_SCOPE, page_cache_policy


class BasePage(Page):
    """Every public page: Wagtail's SEO title and description (promote tab) plus an image for social sharing."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (cropped to 1200×630).",
    )

    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cache_versions"] = self.apply_cache_policy(request)
        return context

    def apply_cache_policy(self, request) -> dict[str, str]:
        """Staff content is the same for every visitor: cache it whole for anonymous visitors and proxies."""
        return page_cache_policy(request, cache_control=MARKETING_CACHE_CONTROL, scopes=[SITE_SCOPE])


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
        # Registries build on home, so they are imported where they are first needed.
        from registries.routing import registry_route_from_site_root

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


class PendingCacheBump(models.Model):
    """A cache version bump that the cache refused during an outage, written by the first worker to find it back.

    Kept in the caller's transaction, so a change that commits never loses the bump that hides its old pages.
    """

    scope = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Bump {self.scope} (kept {self.created_at:%Y-%m-%d %H:%M:%S})"
