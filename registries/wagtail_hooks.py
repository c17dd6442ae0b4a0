from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .models import Package
from .selectors import registries_looked_after_by, registry_progress
from .services import SCHEDULED_PUBLISH_REFUSED


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "tag"
    menu_label = "Packages"
    list_display = ["name", "price", "currency", "gift_limit", "is_default"]


register_snippet(PackageViewSet)


# --- The couple's reservations in the admin (issue 3) ---


class ReservationsMenuItem(MenuItem):
    def is_shown(self, request):
        return registries_looked_after_by(request.user).exists()


@hooks.register("register_admin_urls")
def register_reservations_urls():
    return [path("reservations/", include(admin_urls, namespace="registries_reservations"))]


@hooks.register("register_admin_menu_item")
def register_reservations_menu_item():
    return ReservationsMenuItem(
        "Reservations", reverse("registries_reservations:index"), icon_name="list-ul", order=250
    )


class RegistryHomePanel(Component):
    """The couple's dashboard: their registry, whether guests can see it, and how covered it is."""

    template_name = "registries/admin/home_panel.html"
    order = 50

    def __init__(self, registry):
        self.registry = registry

    def get_context_data(self, parent_context=None):
        return {"registry": self.registry, "progress": registry_progress(registry=self.registry)}


@hooks.register("construct_homepage_panels")
def couples_see_their_registry_first(request, panels):
    if not request.user.is_superuser:
        panels[:0] = [RegistryHomePanel(registry) for registry in registries_looked_after_by(request.user)]


@hooks.register("register_couple_admin_urls")
def couples_may_see_their_reservations():
    return ["registries_reservations:*"]


@hooks.register("register_log_actions")
def register_refused_scheduled_publish(actions):
    @actions.register_action(SCHEDULED_PUBLISH_REFUSED)
    class ScheduledPublishRefused(LogFormatter):
        label = "Scheduled publishing refused"

        def format_message(self, log_entry):
            return f"Scheduled publishing refused: {log_entry.data.get('reason', '')}"
