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
from .email_links import PLEDGE_ACTIONS, REGISTRY_ACTIONS, RESERVATION_ACTIONS, one_click_object_id
from .forms import PledgeForm, ReservationForm
from .listing import gift_block_on_page
from .models import CoupleEmailPreferences, Gift, Pledge, RegistryPage, Reservation
from .payment_details import payment_details_for
from .selectors import pledge_for_token, reservation_for_token
from .services import (
    GiftUnavailable,
    PledgeRefused,
    pledge_create,
    pledge_mark_paid,
    pledge_release,
    pledge_reminders_stop,
    reminders_stop,
    reservation_create,
    reservation_keep_bought,
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
    if gift.takes_pledges:  # guests give an amount towards it, not a unit
        return redirect(registry.url + registry.reverse_subpage("give", args=(block_id,)))
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


NOT_POSSIBLE = "That change isn't possible for this reservation any more."


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
        elif action == "keep" and reservation.lapsed:
            _keep_bought(request, reservation)
        else:
            messages.error(request, NOT_POSSIBLE)
        return redirect(reverse("reservation_manage", kwargs={"token": token}))
    return _private(TemplateResponse(request, "registries/reservation_manage.html", _manage_context(reservation)))


@require_http_methods(["GET", "POST"])
def reservation_cancel(request, token: str):
    """Cancelling asks first, on a page of its own, so it works without JavaScript."""
    reservation = _reservation_or_404(token)
    if registry_is_closed(reservation.gift.registry):
        return _registry_closed(request, reservation=reservation)
    manage_url = reverse("reservation_manage", kwargs={"token": token})
    if reservation.status != Reservation.Status.RESERVED:
        if request.method == "POST":
            messages.error(request, NOT_POSSIBLE)
        return redirect(manage_url)
    if request.method == "POST":
        reservation_release(reservation=reservation)
        messages.success(request, "Your reservation is cancelled: the gift is available to other guests again.")
        return redirect(manage_url)
    return _private(TemplateResponse(request, "registries/reservation_cancel.html", _manage_context(reservation)))


def _keep_bought(request, reservation: Reservation) -> None:
    try:
        reservation_keep_bought(reservation=reservation)
    except GiftUnavailable as unavailable:
        messages.error(request, _taken_meanwhile(reservation, remaining=unavailable.remaining))
    else:
        messages.success(request, "It's yours again: we've noted that you bought it.")


def _taken_meanwhile(reservation: Reservation, *, remaining: int) -> str:
    """What a guest who bought a lapsed gift can do once others took it: plainly, without involving the couple."""
    if remaining:
        return (
            f"Sorry: other guests chose some of this gift after your reservation lapsed, and only {remaining} "
            f"{'is' if remaining == 1 else 'are'} still wanted, so we couldn't keep all {reservation.quantity} "
            "yours. Reserve what's still wanted from the registry and mark it bought; if the shop takes the rest "
            "back, you could choose another gift."
        )
    return (
        "Sorry: another guest chose this gift after your reservation lapsed (or it's no longer on the registry), "
        "so we couldn't keep it yours. If the shop will take it back, you could return it and choose another gift "
        "from the registry; or give it anyway, as an extra."
    )


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
    "keep": ("Did you buy it after all?", "I did buy it — keep it mine"),
}
_BOUGHT_STAYS = (
    "It stays yours, so nobody buys it twice. "
    "If something went wrong with your order, please tell the couple yourself."
)
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

    detail = ""
    if action == "bought" and reservation.status == Reservation.Status.RESERVED:
        reservation_mark_bought(reservation=reservation)
        outcome = "Thank you! We've noted that you bought it, so we won't remind you again."
    elif action == "release" and reservation.status == Reservation.Status.RESERVED:
        reservation_release(reservation=reservation)
        outcome = "Done: the gift is available to other guests again."
    elif action == "stop-reminders":
        reminders_stop(reservation=reservation)
        outcome = "We won't send you more reminders about this gift."
    elif action == "keep" and reservation.lapsed:
        try:
            reservation_keep_bought(reservation=reservation)
        except GiftUnavailable as unavailable:
            outcome, detail = (
                "Another guest chose it meanwhile",
                _taken_meanwhile(reservation, remaining=unavailable.remaining),
            )
        else:
            outcome = "It's yours again: we've noted that you bought it."
    elif reservation.status == Reservation.Status.BOUGHT:
        outcome = "You already told us you bought it. Thank you!"
        detail = _BOUGHT_STAYS
    else:
        outcome = "This reservation was already cancelled, so there's nothing to change."
    context.update(outcome=outcome, detail=detail)
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


# Pledges: a guest gives an amount towards a fund or group gift, straight to the couple.


@never_cache
@require_http_methods(["GET", "POST"])
def pledge_gift(request, *, registry: RegistryPage, block_id: str):
    gift = Gift.objects.filter(registry=registry, block_id=block_id, active=True).first()
    if gift is None or not gift.takes_pledges:
        return TemplateResponse(request, "registries/gift_not_found.html", {"page": registry}, status=404)
    gift.registry = registry  # the page we routed through: the emails needn't load it again
    gift_block = SimpleLazyObject(lambda: gift_block_on_page(page=registry, block_id=block_id))
    context = {"page": registry, "gift": gift, "gift_block": gift_block, "remaining": gift.amount_remaining}
    form = PledgeForm(
        request.POST or None,
        minimum=gift.minimum_contribution,
        remaining=gift.amount_remaining,
        currency=registry.currency,
        initial={"amount": _suggested_amount(request)},
    )
    if gift.amount_remaining == 0:
        form = None  # all given: nothing more to pledge
    elif request.method == "POST" and form.is_valid():
        try:
            result = pledge_create(gift=gift, **form.cleaned_data)
        except PledgeRefused as refused:
            context.update(form=None, refused=str(refused), remaining=refused.remaining)
            return TemplateResponse(request, "registries/pledge.html", context, status=409)
        return redirect("pledge_thanks", token=result.pledge.manage_token)
    context["form"] = form
    return TemplateResponse(request, "registries/pledge.html", context)


def _suggested_amount(request) -> str:
    # A suggested amount's link (?amount=50) fills the form in; anything else is left for the guest to type.
    amount = request.GET.get("amount", "")
    return amount if amount.replace(".", "", 1).isdigit() and len(amount) <= 12 else ""


def _pledge_page(request, pledge: Pledge | None, template: str):
    """One of the guest's own pages about their pledge, with how to pay the couple."""
    if pledge is None:
        raise Http404("This pledge link is not valid. Please check you copied the whole link.")
    registry = pledge.gift.registry
    payment = payment_details_for(registry_id=registry.pk) if registry else None
    context = {"pledge": pledge, "gift": pledge.gift, "registry": registry, "payment": payment}
    return _private(TemplateResponse(request, template, context))


@require_http_methods(["GET"])
def pledge_thanks(request, token: str):
    return _pledge_page(request, pledge_for_token(token), "registries/pledge_thanks.html")


@require_http_methods(["GET", "POST"])
def pledge_manage(request, token: str):
    """The guest's pledge: how to pay, "I've paid", and cancelling, which asks first."""
    pledge = pledge_for_token(token)
    if pledge and registry_is_closed(pledge.gift.registry):
        return _registry_closed(request)
    action = request.POST.get("action") if pledge and request.method == "POST" else None
    if action == "release" and pledge.status == Pledge.Status.PLEDGED and request.POST.get("confirmed") != "yes":
        return _pledge_page(request, pledge, "registries/pledge_cancel.html")
    if action in ("paid", "release"):
        messages.info(request, _pledge_action_done(pledge, action))
    if action is not None:
        return redirect(reverse("pledge_manage", kwargs={"token": token}))
    return _pledge_page(request, pledge, "registries/pledge_manage.html")


PLEDGE_QUESTIONS = {
    "paid": ("Have you paid the couple?", "Yes, I've paid"),
    "release": ("Cancel your pledge?", "Cancel my pledge"),
    "stop-reminders": ("Stop reminders about this pledge?", "Stop reminders"),
}


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def pledge_action(request, action: str, token: str):
    """A one-click link from a pledge's emails (see the reservations' above): a GET asks, the POST acts."""
    pledge_id = one_click_object_id(token=token, scope="pledge", action=action) if action in PLEDGE_ACTIONS else None
    pledge = Pledge.objects.select_related("gift__registry").filter(pk=pledge_id).first()
    if pledge is None:
        raise Http404(BROKEN_LINK)
    question, button = PLEDGE_QUESTIONS[action]
    outcome = _pledge_action_done(pledge, action) if request.method == "POST" else ""
    context = {"pledge": pledge, "gift": pledge.gift, "question": question, "button": button, "outcome": outcome}
    return _one_click_private(TemplateResponse(request, "registries/pledge_action.html", context))


def _pledge_action_done(pledge: Pledge, action: str) -> str:
    if action == "stop-reminders":
        pledge_reminders_stop(pledge=pledge)
        return "We won't send you more reminders about this pledge."
    if action == "paid" and pledge.status == Pledge.Status.PLEDGED:
        pledge_mark_paid(pledge=pledge)
        return "Thank you! We've noted that you paid, so we won't remind you again."
    if action == "release" and pledge.status == Pledge.Status.PLEDGED:
        pledge_release(pledge=pledge)
        return "Done: your pledge is cancelled."
    if pledge.status == Pledge.Status.PAID:
        # Paid money can't be un-given here: freeing the amount would let others give it twice.
        return "You already told us you paid, so your pledge stands. If something went wrong, please ask the couple."
    return "This pledge was already cancelled, so there's nothing to change."
