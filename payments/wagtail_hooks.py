"""Admin: the couple's "Plan" page, and staff's read-only orders and payment history."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from core.permissions import ReadOnlyPermissionPolicy
from registries.selectors import registries_managed_by

from . import views
from .models import Order, PaymentEvent


@hooks.register("register_admin_urls")
def register_payment_admin_urls():
    # Wagtail wraps these in its admin login check; each view checks the order is the couple's own.
    return [
        path("plan/", views.plan, name="couple_plan"),
        path("plan/upgrade/", views.plan_upgrade, name="couple_plan_upgrade"),
        path("plan/orders/<str:invoice>/", views.order_pay, name="couple_order_pay"),
        path("plan/orders/<str:invoice>/return/", views.order_return, name="couple_order_return"),
        path("plan/orders/<str:invoice>/cancel/", views.order_cancel, name="couple_order_cancel"),
        path("payments/grant/", views.package_grant, name="payments_package_grant"),
    ]


class CouplePlanMenuItem(MenuItem):
    def is_shown(self, request):
        return registries_managed_by(request.user).first() is not None


@hooks.register("register_admin_menu_item")
def register_plan_menu_item():
    return CouplePlanMenuItem("Plan", reverse("couple_plan"), icon_name="tag", order=250)


register_permission_policy(Order, ReadOnlyPermissionPolicy(Order))
register_permission_policy(PaymentEvent, ReadOnlyPermissionPolicy(PaymentEvent))


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing with filters and an inspect page; no add, edit, copy or delete views at all."""

    def get_index_view_kwargs(self, **kwargs):
        # The page is titled as its menu item, so staff find what they clicked on.
        return super().get_index_view_kwargs(page_title=self.menu_label, **kwargs)

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


class OrderIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("payments.grant_package"):
            buttons.append(HeaderButton("Grant a package", url=reverse("payments_package_grant"), icon_name="plus"))
        return buttons


class OrderViewSet(ReadOnlyModelViewSet):
    model = Order
    name = "payments_order"
    url_prefix = "payments/orders"
    icon = "doc-full"
    menu_label = "Orders"
    index_view_class = OrderIndexView
    list_display = [
        "invoice",
        "registry",
        "package",
        Column("amount_display", label="Amount"),
        "status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["status", "package", "currency", "created_at"]
    search_fields = ["invoice", "transaction_id"]
    search_backend_name = None
    inspect_template_name = "payments/admin/order_inspect.html"
    inspect_view_fields = [
        "invoice",
        "registry",
        "package",
        "previous_package",
        "amount",
        "currency",
        "status",
        "transaction_id",
        "reason",
        "created_by",
        "created_at",
        "paid_at",
    ]


class PaymentEventViewSet(ReadOnlyModelViewSet):
    model = PaymentEvent
    name = "payments_event"
    url_prefix = "payments/notifications"
    icon = "history"
    menu_label = "Payment notifications"
    list_display = [
        "created_at",
        "outcome",
        "order",
        "invoice",
        "transaction_id",
        "payment_status",
        "amount",
        "currency",
        "reason",
    ]
    list_filter = ["outcome", "provider", "payment_status", "created_at"]
    search_fields = ["invoice", "transaction_id", "reason"]
    search_backend_name = None


class PaymentsViewSetGroup(ModelViewSetGroup):
    menu_label = "Payments"
    menu_icon = "doc-full"
    menu_order = 260
    items = (OrderViewSet, PaymentEventViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()


@hooks.register("register_couple_admin_urls")
def couples_may_manage_their_plan():
    # Each view checks the registry and order belong to the requesting couple.
    return ["couple_plan", "couple_plan_upgrade", "couple_order_pay", "couple_order_return", "couple_order_cancel"]
