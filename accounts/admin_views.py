"""The couple's account page in the admin: share the registry with a partner, download or delete everything."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views import account as wagtail_account
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core import ratelimit
from registries.addresses import registry_forwardings
from registries.selectors import registries_managed_by
from registries.services import registry_forwarding_remove

from .forms import AccountDeleteForm, CouplePaymentDetailsForm, EmailChangeForm, PartnerInviteForm
from .models import CouplePaymentDetails
from .selectors import couple_export, couple_members
from .services import (
    COUPLE_MAX_MEMBERS,
    InvitationError,
    address_awaiting_confirmation,
    couple_delete,
    couple_payment_details_save,
    email_change_request,
    email_confirmation_send,
    partner_invitation_cancel,
    partner_invite,
)

CONFIRMATION_EMAILS_PER_HOUR = 5


class CoupleAccountMixin:
    """Only one of the couple gets here, and only ever about their own registry."""

    def dispatch(self, request, *args, **kwargs):
        self.registry = registries_managed_by(request.user).first()
        if self.registry is None:
            raise Http404("This page is for couples with a registry.")
        return super().dispatch(request, *args, **kwargs)


ACCOUNT_TITLE = "Account & sharing"
ACCOUNT_BREADCRUMBS = [
    {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"},
    {"url": reverse_lazy("couple_account:index"), "label": ACCOUNT_TITLE},
]


class AccountIndexView(CoupleAccountMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/account.html"
    page_title = ACCOUNT_TITLE
    header_icon = "user"
    breadcrumbs_items = ACCOUNT_BREADCRUMBS

    def get_context_data(self, invite_form=None, email_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        members = couple_members(self.registry)
        user = self.request.user
        context.update(
            email_confirmed=user.email_confirmed_at is not None,
            address_awaiting_confirmation=address_awaiting_confirmation(user),
            email_form=email_form or EmailChangeForm(user=user),
            registry=self.registry,
            members=members,
            can_invite=len(members) < COUPLE_MAX_MEMBERS,
            invitations=[i for i in self.registry.invitations.select_related("invited_by") if i.is_pending],
            invite_form=invite_form or PartnerInviteForm(),
            forwardings=registry_forwardings(self.registry),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PartnerInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = partner_invite(
                    registry=self.registry, invited_by=request.user, email=form.cleaned_data["email"]
                )
            except InvitationError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    f"Invitation sent to {invitation.email}. The link works once, "
                    f"until {timezone.localtime(invitation.expires_at):%-d %B}.",
                )
                return redirect("couple_account:index")
        return self.render_to_response(self.get_context_data(invite_form=form))


class EmailConfirmationResendView(CoupleAccountMixin, View):
    """Send the confirmation link again (from the editor's notice or this page), a few times an hour at most."""

    def post(self, request):
        allowed = ratelimit.attempt_allowed(
            key=f"email-confirmation:{request.user.pk}",
            limit=CONFIRMATION_EMAILS_PER_HOUR,
            window_seconds=60 * 60,
        )
        if not allowed:
            messages.error(request, "We've sent you several links this hour: please use the latest, or try later.")
        elif (confirmation := email_confirmation_send(user=request.user)) is not None:
            messages.success(request, f"We've sent a new link to {confirmation.email}. It works for three days.")
        else:
            messages.info(request, "Your email address is already confirmed.")
        return redirect(_safe_next(request) or "couple_account:index")


class EmailChangeView(AccountIndexView):
    """The account page's "change your email" form: the new address is used once its emailed link is followed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EmailChangeForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(email_form=form))
        confirmation = email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        messages.success(
            request,
            f"We've sent a link to {confirmation.email}. Your account keeps {request.user.email} until you follow it.",
        )
        return redirect("couple_account:index")


def _safe_next(request) -> str | None:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


class InvitationCancelView(CoupleAccountMixin, View):
    def post(self, request, pk: int):
        invitation = get_object_or_404(self.registry.invitations, pk=pk, accepted_at__isnull=True)
        partner_invitation_cancel(invitation=invitation)
        messages.success(request, f"The invitation for {invitation.email} is cancelled: its link no longer works.")
        return redirect("couple_account:index")


class ForwardingRemoveView(CoupleAccountMixin, View):
    def post(self, request, forwarding_id: int):
        forwarding = registry_forwarding_remove(registry=self.registry, forwarding_id=forwarding_id)
        if forwarding is None:
            raise Http404("Your registry has no such old address.")
        messages.success(request, f"{forwarding.address} no longer leads to your registry.")
        return redirect("couple_account:index")


class ExportView(CoupleAccountMixin, View):
    def get(self, request):
        data = couple_export(self.registry, base_url=request.build_absolute_uri("/")[:-1])
        response = JsonResponse(
            data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        filename = f"whispergifts-{self.registry.slug}-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class DeleteView(CoupleAccountMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/delete.html"
    page_title = "Delete your account"
    header_icon = "bin"
    breadcrumbs_items = [*ACCOUNT_BREADCRUMBS, {"url": "", "label": "Delete your account"}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            registry=self.registry,
            members=couple_members(self.registry),
            form=form or AccountDeleteForm(user=self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = AccountDeleteForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        couple_delete(registry=self.registry)
        logout(request)
        messages.success(request, "Your account and your registry are deleted. Thank you for using WhisperGifts.")
        return redirect("/")


class PaymentDetailsView(CoupleAccountMixin, WagtailAdminTemplateMixin, TemplateView):
    """Where guests pay the couple for funds and group gifts: entered once, for the couple's registry."""

    template_name = "accounts/admin/payment_details.html"
    page_title = "How guests pay you"
    header_icon = "pick"
    breadcrumbs_items = [*ACCOUNT_BREADCRUMBS, {"url": "", "label": "How guests pay you"}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        instance = CouplePaymentDetails.objects.filter(registry=self.registry).first()
        context.update(registry=self.registry, form=form or CouplePaymentDetailsForm(instance=instance))
        return context

    def post(self, request, *args, **kwargs):
        form = CouplePaymentDetailsForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        couple_payment_details_save(registry=self.registry, **form.cleaned_data)
        messages.success(request, "Saved: guests who pledge from now on are shown these details.")
        return redirect("couple_account:payment_details")


class NameEmailWithOptionalLastNameForm(NameEmailForm):
    last_name = forms.CharField(required=False, label="Last name")


class NameEmailSettingsPanel(wagtail_account.NameEmailSettingsPanel):
    form_class = NameEmailWithOptionalLastNameForm


class AccountView(wagtail_account.AccountView):
    """Wagtail's account page (name, email, password...), where a last name may stay empty.

    Couples sign up with first names only, and Wagtail's own name form requires a last name: it refused
    every change on the page, a new password included, until one was typed.
    """

    def get_panels(self):
        return [
            NameEmailSettingsPanel(self.request, self.request.user, panel.profile)
            if type(panel) is wagtail_account.NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]
