"""The couple's plan page and the order pages around PayPal, plus staff's "grant a package"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from registries.models import Package
from registries.selectors import registries_managed_by

from . import paypal, selectors, services
from .forms import PackageGrantForm


def _admin_page(request, template: str, *, title: str, icon: str = "tag", status: int = 200, **context):
    context.update(page_title=title, header_title=title, header_icon=icon)
    return TemplateResponse(request, template, context, status=status)


def plan(request):
    registry = registries_managed_by(request.user).first()
    if registry is None:
        return _admin_page(request, "payments/plan_not_a_couple.html", title="Plan")
    return _admin_page(
        request,
        "payments/plan.html",
        title="Your plan",
        plan=selectors.registry_plan(registry=registry),
        orders=selectors.order_history(registry=registry),
        payments_enabled=paypal.payments_enabled(),
    )


@require_POST
def plan_upgrade(request):
    registry = registries_managed_by(request.user).first()
    if registry is None:
        raise Http404("Only a couple can upgrade their registry.")
    if not paypal.payments_enabled():
        messages.error(request, "Upgrades are not available on this site yet.")
        return redirect("couple_plan")
    package = get_object_or_404(Package, pk=request.POST.get("package"))
    try:
        order = services.order_create(registry=registry, package=package, created_by=request.user)
    except services.PackageNotAnUpgrade:
        messages.error(request, f"You are already on {registry.effective_package} or a bigger package.")
        return redirect("couple_plan")
    return redirect("couple_order_pay", invoice=order.invoice)


def _couple_order_or_404(request, invoice: str):
    order = selectors.couple_order(user=request.user, invoice=invoice)
    if order is None:
        raise Http404("No such order.")
    return order


def order_pay(request, invoice: str):
    order = _couple_order_or_404(request, invoice)
    if not order.is_awaiting_payment:
        messages.info(request, f"Order {order.invoice} is {order.get_status_display().lower()}.")
        return redirect("couple_plan")
    current = order.registry.effective_package
    if current is not None and not order.package.is_upgrade_from(current):
        messages.info(request, f"Your registry is already on {current}, so there is nothing to pay for.")
        return redirect("couple_plan")
    return _admin_page(
        request,
        "payments/order_pay.html",
        title=f"Upgrade to {order.package}",
        order=order,
        form=paypal.payment_form(order=order, request=request),
        simulator_enabled=paypal.simulated_payments_allowed(),
    )


@csrf_exempt  # PayPal may send the payer back with a POST; this page only reads.
def order_return(request, invoice: str):
    """Where PayPal sends the couple back. Shows the order as it stands; never changes it."""
    order = _couple_order_or_404(request, invoice)
    return _admin_page(request, "payments/order_return.html", title="Thank you", order=order)


def order_cancel(request, invoice: str):
    order = _couple_order_or_404(request, invoice)
    messages.info(request, f"You cancelled the payment for {order.package}. Nothing was charged.")
    return redirect("couple_plan")


def package_grant(request):
    if not request.user.has_perm("payments.grant_package"):
        raise PermissionDenied
    form = PackageGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = services.package_grant(
            registry=form.cleaned_data["registry"],
            package=form.cleaned_data["package"],
            reason=form.cleaned_data["reason"],
            granted_by=request.user,
        )
        messages.success(request, f"{order.registry} is now on {order.package} (order {order.invoice}).")
        return redirect("payments_order:index")
    return _admin_page(request, "payments/package_grant.html", title="Grant a package", form=form)
