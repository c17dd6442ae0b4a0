from functools import partial

from django.db import transaction
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls, admin_views, shop_link_views
from .addresses import registry_forwardings, registry_forwardings_to_announce
from .admin_menu import CoupleMenuItem
from .models import Package, RegistryPage
from .progress import registry_progress
from .selectors import registries_managed_by, registries_open_to
from .services import SCHEDULED_PUBLISH_REFUSED, registry_forwardings_make_temporary


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "tag"
    menu_label = "Packages"
    list_display = ["name", "price", "currency", "gift_limit", "is_default"]


register_snippet(PackageViewSet)


# The couple's reservations in the admin.
class ReservationsMenuItem(MenuItem):
    def is_shown(self, request):
        return registries_open_to(request.user).exists()


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
        panels[:0] = [RegistryHomePanel(registry) for registry in registries_open_to(request.user)]


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


# A registry's old addresses after a rename.
@hooks.register("before_publish_page")
def remember_the_old_addresses(request, page):
    if isinstance(page, RegistryPage):
        # A live page's row still holds what guests see until the publish; a draft was never listed.
        live, visibility = RegistryPage.objects.filter(pk=page.pk).values_list("live", "visibility").get()
        request.registry_before_publish = {
            "known_before": {forwarding.pk for forwarding in registry_forwardings(page)},
            "was_listed": live and visibility == RegistryPage.Visibility.LISTED,
        }


@hooks.register("after_publish_page")
def tell_the_couple_who_still_gets_in(request, page):
    before = getattr(request, "registry_before_publish", None)
    if isinstance(page, RegistryPage) and before is not None:
        # Wagtail makes the forwarding once the rename is committed.
        transaction.on_commit(partial(_announce_forwardings, request, page, **before))


def _announce_forwardings(request, registry: RegistryPage, *, known_before: set[int], was_listed: bool) -> None:
    registry_forwardings_make_temporary(registry=registry)
    forwardings = registry_forwardings_to_announce(registry=registry, known_before=known_before, was_listed=was_listed)
    if not forwardings:
        return
    links = ", ".join(forwarding.address for forwarding in forwardings)
    which = f"old link, {links}," if len(forwardings) == 1 else f"one of its old links ({links})"
    password = " (and asked for the password)" if registry.visibility == RegistryPage.Visibility.PASSWORD else ""
    text = (
        f"Anyone with your registry's {which} is still taken to it{password}. If you changed the address so that "
        "an old link stops working, remove it under Account & sharing."
    )
    # Staff get the warning too, without the couple's page.
    couples_own = registries_managed_by(request.user).filter(pk=registry.pk).exists()
    old_addresses = reverse("couple_account:index") + "#old-addresses"
    messages.warning(
        request, text, buttons=[messages.button(old_addresses, "See old addresses")] if couples_own else None
    )


# The couple's email settings.


@hooks.register("register_admin_urls")
def register_email_settings_urls():
    return [
        path("email-settings/", admin_views.email_settings_index, name="couple_email_settings_index"),
        path("email-settings/<int:registry_id>/", admin_views.email_settings, name="couple_email_settings"),
    ]


@hooks.register("register_admin_menu_item")
def register_email_settings_menu_item():
    return CoupleMenuItem("Email settings", reverse("couple_email_settings_index"), icon_name="mail", order=250)


@hooks.register("register_couple_admin_urls")
def couples_may_set_their_email_preferences():
    # email_settings checks the registry is one of the couple's own.
    return ["couple_email_settings_index", "couple_email_settings"]


# The card for the invitations.


@hooks.register("register_admin_urls")
def register_registry_card_urls():
    return [
        path("invitation-card/", admin_views.registry_card, name="registry_card"),
        path(
            "invitation-card/<str:size>.<str:file_format>",
            admin_views.registry_card_download,
            name="registry_card_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_registry_card_menu_item():
    return CoupleMenuItem("Invitation card", reverse("registry_card"), icon_name="doc-full", order=260)


@hooks.register("register_couple_admin_urls")
def couples_may_make_their_card():
    return ["registry_card", "registry_card_download"]


# Filling a gift in from its shop's page.


@hooks.register("register_admin_urls")
def register_shop_link_urls():
    return [path("shop-link/<int:registry_id>/", shop_link_views.shop_link_details, name="registry_shop_link")]


@hooks.register("register_couple_admin_urls")
def couples_may_fill_gifts_from_links():
    # shop_link_details checks the registry is one of the couple's own.
    return ["registry_shop_link"]
