from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from core.models import BasePage
from marketing.blocks import PageBodyBlock


class MarketingPage(BasePage):
    """A general page staff compose: features, how it works, pricing, about, FAQ."""

    body = StreamField(PageBodyBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "marketing.MarketingPage"]
    subpage_types = ["marketing.MarketingPage"]

    class Meta:
        verbose_name = "marketing page"
