"""One-click links from emails. A GET only shows a button (mail scanners follow links); the POST acts.

The signed token in the URL is the credential, so these work without logging in, and the POSTs
accept no cookie-based authority (hence no CSRF token: RFC 8058 one-click unsubscribe posts from
the mail provider itself).
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ops.headers import secret_link_headers
from registries.models import RegistryPage, Reservation
from registries.services import reservation_mark_bought, reservation_release

from .links import REGISTRY_ACTIONS, RESERVATION_ACTIONS, object_id_from_token
from .models import CoupleEmailPreferences
from .services import reminders_stop

RESERVATION_QUESTIONS = {
    "bought": ("Did you buy it?", "Yes, I bought it"),
    "release": ("Release this gift for another guest?", "Release it"),
    "stop-reminders": ("Stop reminders about this gift?", "Stop reminders"),
}
BROKEN_LINK = "This link is not valid any more. Please check you copied the whole link from the email."


def _private(response):
    # The email links' pages post no CSRF-protected form (they are csrf_exempt): nothing at all is sent on.
    return secret_link_headers(response, referrer_policy="no-referrer")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def reservation_action(request, action: str, token: str):
    if action not in RESERVATION_ACTIONS:
        raise Http404(BROKEN_LINK)
    reservation_id = object_id_from_token(token=token, scope="reservation", action=action)
    reservation = Reservation.objects.select_related("gift__registry").filter(pk=reservation_id).first()
    if reservation is None:
        raise Http404(BROKEN_LINK)
    question, button = RESERVATION_QUESTIONS[action]
    context = {"reservation": reservation, "gift": reservation.gift, "question": question, "button": button}
    if request.method == "GET":
        return _private(TemplateResponse(request, "notifications/reservation_action.html", context))

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
    return _private(TemplateResponse(request, "notifications/reservation_action.html", context))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def registry_action(request, action: str, token: str):
    if action not in REGISTRY_ACTIONS:
        raise Http404(BROKEN_LINK)
    registry = RegistryPage.objects.filter(
        pk=object_id_from_token(token=token, scope="registry", action=action)
    ).first()
    if registry is None:
        raise Http404(BROKEN_LINK)
    context = {"registry": registry}
    if request.method == "POST":
        CoupleEmailPreferences.objects.update_or_create(
            registry=registry, defaults={"reservation_emails": CoupleEmailPreferences.ReservationEmails.OFF}
        )
        context["outcome"] = "Done: we won't email you when guests reserve gifts."
    return _private(TemplateResponse(request, "notifications/registry_action.html", context))
