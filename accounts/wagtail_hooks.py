from django.urls import include, path, reverse
from wagtail import hooks

from registries.admin_menu import CoupleMenuItem
from registries.payment_details import PAYMENT_DETAILS_HOOK, PaymentDetails

from . import admin_views
from .models import CouplePaymentDetails
from .throttling import LoginPauseViewSet

account_urls = [
    path("", admin_views.AccountIndexView.as_view(), name="index"),
    path("invitations/<int:pk>/cancel/", admin_views.InvitationCancelView.as_view(), name="invitation_cancel"),
    path(
        "old-addresses/<int:forwarding_id>/remove/",
        admin_views.ForwardingRemoveView.as_view(),
        name="forwarding_remove",
    ),
    path("email/", admin_views.EmailChangeView.as_view(), name="email_change"),
    path("email/confirm/", admin_views.EmailConfirmationResendView.as_view(), name="email_confirmation_resend"),
    path("payments/", admin_views.PaymentDetailsView.as_view(), name="payment_details"),
    path("export/", admin_views.ExportView.as_view(), name="export"),
    path("delete/", admin_views.DeleteView.as_view(), name="delete"),
]


@hooks.register("register_admin_urls")
def register_couple_account_urls():
    return [path("account/registry/", include((account_urls, "couple_account"), namespace="couple_account"))]


@hooks.register("register_couple_admin_urls")
def couples_may_reach_their_account():
    """For the couples' admin allow-list (lockdown/access.py): these views check the registry is theirs."""
    return ["couple_account:*"]


@hooks.register("register_admin_menu_item")
def register_couple_account_menu_item():
    return CoupleMenuItem(
        "Account & sharing", reverse("couple_account:index"), icon_name="user", name="couple-account", order=900
    )


@hooks.register("register_admin_viewset")
def register_login_pause_viewset():
    return LoginPauseViewSet("login_pauses")


@hooks.register(PAYMENT_DETAILS_HOOK)
def couple_payment_details(registry_id: int) -> PaymentDetails | None:
    """What guests who pledge are shown: the couple's own PayPal.me link and bank details."""
    details = CouplePaymentDetails.objects.filter(registry_id=registry_id).first()
    if details is None:
        return None
    return PaymentDetails(paypal_me_url=details.paypal_me_url, bank_transfer_details=details.bank_transfer_details)
