from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class BasePage(Page):
    """Every public page: SEO fields come from Wagtail's promote tab (seo_title, search_description)."""

    class Meta:
        abstract = True


class HomePage(BasePage):
    """The site root: a simple landing page that leads to the registries."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["registries.RegistryIndexPage", "marketing.MarketingPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from registries.models import RegistryIndexPage

        context = super().get_context(request, *args, **kwargs)
        context["registry_index"] = RegistryIndexPage.objects.live().first()
        return context

    class Meta:
        verbose_name = "home page"
