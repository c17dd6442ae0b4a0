from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


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
