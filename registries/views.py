from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail import views as wagtail_views

from core import ratelimit
from ops.headers import secret_link_headers
from ops.proxy import client_address

from .addresses import closed_registry_for_short_code, registry_for_short_code, registry_is_closed
from .email_links import REGISTRY_ACTIONS, RESERVATION_ACTIONS, one_click_object_id
from .forms import ReservationForm
from .listing import gift_block_on_page
from .models import CoupleEmailPreferences, Gift, RegistryPage, Reservation
from .selectors import reservation_for_token
from .services import (
    GiftUnavailable,
    reminders_stop,
    reservation_create,
    reservation_mark_bought,
    reservation_release,
)


def _private(response):
    # The guest's own pages post forms (mark bought, release): see secret_link_headers.
    return secret_link_headers(response, referrer_policy="same-origin")


@never_cache
@require_http_methods(["GET", "POST"])
def reserve_gift(request, *, registry: RegistryPage, block_id: str):
    # Active gift rows are exactly the gifts of the live page (they follow every publish).
    gift = Gift.objects.filter(registry=registry, block_id=block_id, active=True).first()
    # Not "block": Django's {% block %} tag owns that name in the template context. Read from the page's
    # gift list (and its image loaded) only when a page shows it: a reservation that succeeds just redirects.
    gift_block = SimpleLazyObject(lambda: gift_block_on_page(page=registry, block_id=block_id)) if gift else None
    context = {"page": registry, "gift": gift, "gift_block": gift_block}
    if gift is None:
        return TemplateResponse(request, "registries/gift_not_found.html", context, status=404)
    gift.registry = registry  # the page we routed through: the emails needn't load it again

    form = ReservationForm(request.POST or None, remaining=gift.quantity_remaining)
    if request.method == "POST":
        if not gift.quantity_remaining:
            return _ran_out(request, context, remaining=0)
        if form.is_valid():
            try:
                result = reservation_create(gift=gift, **form.cleaned_data)
            except GiftUnavailable as unavailable:
                return _ran_out(request, context, remaining=unavailable.remaining)
            return redirect("reservation_thanks", token=result.reservation.manage_token)

    context.update(form=form if gift.quantity_remaining else None, remaining=gift.quantity_remaining)
    return TemplateResponse(request, "registries/reserve.html", context)


def _ran_out(request, context: dict, *, remaining: int):
    """Someone else was quicker: say so plainly; nothing was saved."""
    context.update(form=None, remaining=remaining, ran_out=True)
    return TemplateResponse(request, "registries/reserve.html", context, status=409)


def _reservation_or_404(token: str) -> Reservation:
    reservation = reservation_for_token(token)
    if reservation is None:
        raise Http404("This reservation link is not valid. Please check you copied the whole link.")
    return reservation


@require_http_methods(["GET"])
def reservation_thanks(request, token: str):
    reservation = _reservation_or_404(token)
    return _private(TemplateResponse(request, "registries/reservation_thanks.html", _manage_context(reservation)))


@require_http_methods(["GET", "POST"])
def reservation_manage(request, token: str):
    reservation = _reservation_or_404(token)
    if registry_is_closed(reservation.gift.registry):
        return _registry_closed(request, reservation=reservation)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "bought" and reservation.status == Reservation.Status.RESERVED:
            reservation_mark_bought(reservation=reservation)
            messages.success(request, "Thank you! We've noted that you bought it.")
        elif action == "release" and reservation.is_active:
            reservation_release(reservation=reservation)
            messages.success(request, "Your reservation is cancelled: the gift is available to other guests again.")
        else:
            messages.error(request, "That change isn't possible for this reservation any more.")
        return redirect(reverse("reservation_manage", kwargs={"token": token}))
    return _private(TemplateResponse(request, "registries/reservation_manage.html", _manage_context(reservation)))


def _manage_context(reservation: Reservation) -> dict:
    registry = reservation.gift.registry
    gift_block = gift_block_on_page(page=registry, block_id=reservation.gift.block_id) if registry else None
    return {"reservation": reservation, "gift": reservation.gift, "registry": registry, "gift_block": gift_block}


def _registry_closed(request, *, reservation: Reservation | None = None):
    # Gone for good, and said kindly; the closed registry's address and names are never shown.
    context = {"reservation": reservation}
    return _private(TemplateResponse(request, "registries/registry_closed.html", context, status=410))


SHORT_ADDRESS_MISSES_PER_CLIENT = 30
SHORT_ADDRESS_WINDOW_SECONDS = 10 * 60


@require_http_methods(["GET", "HEAD"])
def registry_short_address(request, code: str):
    """A card's short address: on to the registry (asking its password, if it has one), wherever it lives now.

    Temporary, so a registry that moves or closes takes its card with it; wrong guesses are limited per client,
    as an unlisted registry's address is what keeps it private.
    """
    limit_key = f"short-address-misses:{client_address(request)}"
    registry = registry_for_short_code(code)
    if registry is not None:
        return redirect(registry.url)
    if closed_registry_for_short_code(code) is not None:
        return _registry_closed(request)
    if not ratelimit.attempt_allowed(
        key=limit_key, limit=SHORT_ADDRESS_MISSES_PER_CLIENT, window_seconds=SHORT_ADDRESS_WINDOW_SECONDS
    ):
        return ratelimit.refusal_response(
            request, "registries/short_address_rate_limited.html", window_seconds=SHORT_ADDRESS_WINDOW_SECONDS
        )
    return TemplateResponse(request, "registries/short_address_not_found.html", {"code": code}, status=404)


PAGE_PASSWORD_ATTEMPTS = 10
PAGE_PASSWORD_WINDOW_SECONDS = 15 * 60


@never_cache
def authenticate_with_password(request, page_view_restriction_id: int, page_id: int):
    """Wagtail's page-password form, with a limit on wrong guesses per visitor and page.

    Wagtail's own view has no limit, so a short password could be guessed by brute force.
    """
    key = f"page-password:{page_view_restriction_id}:{client_address(request)}"
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if not ratelimit.attempt_allowed(
        key=key, limit=PAGE_PASSWORD_ATTEMPTS, window_seconds=PAGE_PASSWORD_WINDOW_SECONDS
    ):
        return ratelimit.refusal_response(
            request, "registries/password_rate_limited.html", window_seconds=PAGE_PASSWORD_WINDOW_SECONDS
        )
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 200:  # not the form again: the password was right, so it was no wrong guess
        ratelimit.attempt_forgiven(key=key)
    return response


# One-click links from emails. A GET only shows a button (mail scanners follow links); the POST acts.
# The signed token in the URL is the credential, so these work without logging in, and the POSTs accept no
# cookie-based authority (hence no CSRF token: RFC 8058 one-click unsubscribe posts from the mail provider).


RESERVATION_QUESTIONS = {
    "bought": ("Did you buy it?", "Yes, I bought it"),
    "release": ("Release this gift for another guest?", "Release it"),
    "stop-reminders": ("Stop reminders about this gift?", "Stop reminders"),
}
BROKEN_LINK = "This link is not valid any more. Please check you copied the whole link from the email."


def _one_click_private(response):
    # The email links' pages post no CSRF-protected form (they are csrf_exempt): nothing at all is sent on.
    return secret_link_headers(response, referrer_policy="no-referrer")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def reservation_action(request, action: str, token: str):
    if action not in RESERVATION_ACTIONS:
        raise Http404(BROKEN_LINK)
    reservation_id = one_click_object_id(token=token, scope="reservation", action=action)
    reservation = Reservation.objects.select_related("gift__registry").filter(pk=reservation_id).first()
    if reservation is None:
        raise Http404(BROKEN_LINK)
    question, button = RESERVATION_QUESTIONS[action]
    context = {"reservation": reservation, "gift": reservation.gift, "question": question, "button": button}
    if request.method == "GET":
        return _one_click_private(TemplateResponse(request, "registries/reservation_action.html", context))

    if action == "bought" and reservation.status == Reservation.Status.RESERVED:
        reservation_mark_bought(reservation=reservation)
        outcome = "Thank you! We've noted that you bought it, so we won't remind you again."
    elif action == "release" and reservation.is_active:
        reservation_release(reservation=reservation)
        outcome = "Done: the gift is available to other guests again."
    elif action == "stop-reminders":
        reminders_stop(reservation=reservation)
        outcome = "We won't send you more reminders about this gift."
    elif action == "bought" and reservation.status == Reservation.Status.BOUGHT:
        outcome = "You already told us you bought it. Thank you!"
    else:
        outcome = "This reservation was already released, so there's nothing to change."
    context["outcome"] = outcome
    return _one_click_private(TemplateResponse(request, "registries/reservation_action.html", context))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def registry_action(request, action: str, token: str):
    if action not in REGISTRY_ACTIONS:
        raise Http404(BROKEN_LINK)
    registry = RegistryPage.objects.filter(
        pk=one_click_object_id(token=token, scope="registry", action=action)
    ).first()
    if registry is None:
        raise Http404(BROKEN_LINK)
    context = {"registry": registry}
    if request.method == "POST":
        CoupleEmailPreferences.objects.update_or_create(
            registry=registry, defaults={"reservation_emails": CoupleEmailPreferences.ReservationEmails.OFF}
        )
        context["outcome"] = "Done: we won't email you when guests reserve gifts."
    return _one_click_private(TemplateResponse(request, "registries/registry_action.html", context))
