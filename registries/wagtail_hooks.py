from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Package


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "tag"
    menu_label = "Packages"
    list_display = ["name", "price", "currency", "gift_limit", "is_default"]


register_snippet(PackageViewSet)
