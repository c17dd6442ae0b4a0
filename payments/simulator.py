"""The "simulate PayPal" page of development: stands in for PayPal's checkout, and pays through our real IPN endpoint
with PayPal's verification answered in-process. Only with DEBUG on and PAYPAL_SIMULATOR set; production
settings force it off."""

import secrets
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import paypal
from .paypal import BUTTON_FIELDS, FORM_CONTENT_TYPE, postback_answered_with
from .paypal import simulated_payments_allowed as simulator_enabled


@csrf_exempt
@require_POST
def simulator(request):
    """Stands in for PayPal's checkout page: receives the very fields our PayPal button posts."""
    if not simulator_enabled():
        raise Http404("The PayPal simulator is only available in development.")
    fields = {name: request.POST.get(name, "") for name in BUTTON_FIELDS}
    return render(request, "payments/paypal_simulator.html", {"fields": fields})


@require_POST
def simulator_pay(request):
    """Pays (or cancels) as PayPal would: an IPN through our real endpoint, then back to `return`."""
    if not simulator_enabled():
        raise Http404("The PayPal simulator is only available in development.")
    fields = {name: request.POST.get(name, "") for name in BUTTON_FIELDS}
    if request.POST.get("action") != "pay":
        return _redirect_back(request, fields["cancel_return"])
    response = _post_simulated_ipn(simulated_ipn_params(fields))
    if response.status_code != 200:
        return render(
            request,
            "payments/paypal_simulator.html",
            {"fields": fields, "error": response.content.decode()},
            status=502,
        )
    return _redirect_back(request, fields["return"])


def simulated_ipn_params(fields: Mapping[str, str]) -> dict[str, str]:
    """A "web_accept" IPN as PayPal sends one after a Buy-now payment (PayPal's documented variables)."""
    paid_at = datetime.now(ZoneInfo("America/Los_Angeles"))
    return {
        "mc_gross": fields["amount"],
        "protection_eligibility": "Eligible",
        "payer_id": "SIMULATED" + secrets.token_hex(2).upper(),
        "payment_date": paid_at.strftime("%H:%M:%S %b %d, %Y %Z"),
        "payment_status": "Completed",
        "charset": "UTF-8",
        "first_name": "Simulated",
        "last_name": "Payer",
        "mc_fee": "0.00",
        "notify_version": "3.9",
        "custom": fields["custom"],
        "payer_status": "verified",
        "business": fields["business"],
        "quantity": "1",
        "verify_sign": secrets.token_urlsafe(40),
        "payer_email": "simulated-payer@example.com",
        "txn_id": secrets.token_hex(9).upper()[:17],
        "payment_type": "instant",
        "receiver_email": fields["business"],
        "receiver_id": settings.PAYPAL_RECEIVER_ID or "SIMULATEDRECVR",
        "txn_type": "web_accept",
        "item_name": fields["item_name"],
        "mc_currency": fields["currency_code"],
        "item_number": "",
        "residence_country": "GB",
        "test_ipn": "1" if settings.PAYPAL_TEST else "",
        "invoice": fields["invoice"],
        "handling_amount": "0.00",
        "transaction_subject": "",
        "shipping": "0.00",
        "ipn_track_id": secrets.token_hex(6),
    }


def _post_simulated_ipn(params: Mapping[str, str]) -> HttpResponse:
    # An in-process request to the real endpoint: no second server thread needed under runserver.
    from django.test import RequestFactory

    body = urlencode(params)
    request = RequestFactory().post(reverse("paypal-ipn"), data=body, content_type=FORM_CONTENT_TYPE)
    with postback_answered_with(b"VERIFIED"):
        return paypal.ipn(request)


def _redirect_back(request, url: str) -> HttpResponseRedirect:
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        raise Http404("That return address is not on this site.")
    return HttpResponseRedirect(url)
