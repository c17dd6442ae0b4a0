from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.permissions import ReadOnlyPermissionPolicy

from .models import OutboxEmail, UndeliverableAddress


class EmailRecordViewSet(ModelViewSet):
    """Emails and bounces name guests and couples: only superusers, and groups given the model's view
    permission (Settings → Groups), may read them; nobody edits them by hand.
    """

    def get_index_view_kwargs(self, **kwargs):
        # The page is titled as its menu item, so staff find what they clicked on.
        return super().get_index_view_kwargs(page_title=self.menu_label, **kwargs)

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
