from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

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

    @property
    def meta_description(self) -> str:
        """What search results and link previews say of the page: the description staff wrote (Promote tab)."""
        return self.search_description

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cache_versions"] = self.apply_cache_policy(request)
        return context

    def apply_cache_policy(self, request) -> dict[str, str]:
        """Staff content is the same for every visitor: cache it whole for anonymous visitors and proxies."""
        return page_cache_policy(request, cache_control=MARKETING_CACHE_CONTROL, scopes=[SITE_SCOPE])


class PendingCacheBump(models.Model):
    """A cache version bump that the cache refused during an outage, written by the first worker to find it back.

    Kept in the caller's transaction, so a change that commits never loses the bump that hides its old pages.
    """

    scope = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Bump {self.scope} (kept {self.created_at:%Y-%m-%d %H:%M:%S})"
