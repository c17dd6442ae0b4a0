from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.permissions import ReadOnlyPermissionPolicy
from registries.selectors import registries_managed_by

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
        return registries_managed_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_email_settings_menu_item():
    return EmailSettingsMenuItem(
        "Email settings", reverse("notifications_email_settings_index"), icon_name="mail", order=250
    )


class EmailRecordViewSet(ModelViewSet):
    """Emails and bounces name guests and couples: only superusers, and groups given the model's view
    permission (Settings → Groups), may read them; nobody edits them by hand.
    """

    exclude_form_fields = []  # required by ModelViewSet; the policy refuses every add and edit

    def get_permissions_to_register(self):
        view = get_permission_codename("view", self.model_opts)
        return Permission.objects.filter(content_type=ContentType.objects.get_for_model(self.model), codename=view)


class OutboxEmailViewSet(EmailRecordViewSet):
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


class UndeliverableAddressViewSet(EmailRecordViewSet):
    model = UndeliverableAddress
    icon = "warning"
    menu_label = "Bounced addresses"
    menu_order = 901
    add_to_admin_menu = True
    list_display = ["email", "reason", "updated_at"]
    list_filter = ["reason"]
    search_fields = ["email"]


register_permission_policy(OutboxEmail, ReadOnlyPermissionPolicy(OutboxEmail))
register_permission_policy(UndeliverableAddress, ReadOnlyPermissionPolicy(UndeliverableAddress))


@hooks.register("register_admin_viewset")
def register_email_viewsets():
    return [OutboxEmailViewSet("sent_emails"), UndeliverableAddressViewSet("bounced_addresses")]


@hooks.register("register_couple_admin_urls")
def couples_may_set_their_email_preferences():
    # email_settings checks the registry is one of the couple's own.
    return ["notifications_email_settings_index", "notifications_email_settings"]
