from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import OutboxEmail, UndeliverableAddress


@hooks.register("register_admin_urls")
def register_email_settings_urls():
    return [
        path("email-settings/", admin_views.email_settings_index, name="notifications_email_settings_index"),
        path("email-settings/<int:registry_id>/", admin_views.email_settings, name="notifications_email_settings"),
    ]


class EmailSettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(admin_views.registries_for_email_settings(request.user))


@hooks.register("register_admin_menu_item")
def register_email_settings_menu_item():
    return EmailSettingsMenuItem(
        "Email settings", reverse("notifications_email_settings_index"), icon_name="mail", order=250
    )


class ViewOnlyForStaff(ModelPermissionPolicy):
    """Emails and delivery events are a record: staff may read them; nobody edits them by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and (user.is_staff or user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True).filter(Q(is_staff=True) | Q(is_superuser=True))


class OutboxEmailViewSet(ModelViewSet):
    model = OutboxEmail
    icon = "mail"
    menu_label = "Sent emails"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["to_email", "kind", "status", "attempts", "delivery_status", "created_at", "sent_at"]
    list_filter = ["status", "kind", "delivery_status"]
    search_fields = ["to_email", "key"]
    inspect_view_fields = [
        "key", "kind", "to_email", "status", "attempts", "last_error", "next_attempt_at",
        "esp_message_id", "delivery_status", "created_at", "sent_at",
    ]  # fmt: skip
    exclude_form_fields = []  # required by ModelViewSet; the policy refuses every add and edit


class UndeliverableAddressViewSet(ModelViewSet):
    model = UndeliverableAddress
    icon = "warning"
    menu_label = "Bounced addresses"
    menu_order = 901
    add_to_admin_menu = True
    list_display = ["email", "reason", "updated_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    exclude_form_fields = []


register_permission_policy(OutboxEmail, ViewOnlyForStaff(OutboxEmail))
register_permission_policy(UndeliverableAddress, ViewOnlyForStaff(UndeliverableAddress))


@hooks.register("register_admin_viewset")
def register_email_viewsets():
    return [OutboxEmailViewSet("sent_emails"), UndeliverableAddressViewSet("bounced_addresses")]


@hooks.register("register_couple_admin_urls")
def couples_may_set_their_email_preferences():
    # email_settings checks the registry is one of the couple's own.
    return ["notifications_email_settings_index", "notifications_email_settings"]
