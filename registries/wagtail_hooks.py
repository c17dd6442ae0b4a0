from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .models import Package
from .selectors import registries_looked_after_by


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


@hooks.register("register_couple_admin_urls")
def couples_may_see_their_reservations():
    return ["registries_reservations:*"]
