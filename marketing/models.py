from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from home.models import BasePage


class MarketingPage(BasePage):
    """A general page staff write: features, how it works, about, FAQ."""

    body = RichTextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]

    parent_page_types = ["home.HomePage", "marketing.MarketingPage"]
    subpage_types = ["marketing.MarketingPage"]

    class Meta:
        verbose_name = "marketing page"
