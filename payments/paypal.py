"""Everything PayPal-specific (Payments Standard + IPN, through django-paypal) lives here.

The order logic in services.py only ever sees a `PaymentNotification`; a second provider would be
a sibling of this module. What django-paypal leaves to us:
- it checks neither receiver, amount nor currency, and accepts sandbox messages in production:
  `_provider_problems` and the services do;
- its postback has no timeout and a failed postback still answers 200: ours times out, and a
  postback that fails (or answers neither VERIFIED nor INVALID) answers 503 so PayPal retries;
- it saves the IPN row before the signal fires, so a crash in our handler would leave a row that
  makes PayPal's retry a "duplicate": the whole request runs in one transaction instead;
- a non-form body raises AssertionError (a 500): we answer 415 first, and a body PayPal never sends
  (too large, too many fields, without the variables of every IPN) gets 400 before any postback, where
  Django's own field limit would have raised inside the transaction and answered 503 (retry, forever).

django-paypal's IPN app is configured in `apps.py` (it ships no AppConfig); the development stand-in for
PayPal's checkout is `simulator.py`.
"""

import contextvars
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl

import requests
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from paypal.standard.forms import PayPalPaymentsForm
from paypal.standard.ipn.signals import invalid_ipn_received, valid_ipn_received

logger = logging.getLogger(__name__)

PROVIDER = "paypal"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
POSTBACK_ANSWERS = ("VERIFIED", "INVALID")
# PayPal's notifications are a few kilobytes in a few dozen variables: these bounds leave ample room.
IPN_MAX_BYTES = 64 * 1024
IPN_MAX_FIELDS = 200
# PayPal's IPN reference lists these in every message it posts.
IPN_VARIABLES_IN_EVERY_MESSAGE = ("notify_version", "verify_sign")
# What our button sends PayPal (and the simulator reads back).
BUTTON_FIELDS = (
    "business",
    "amount",
    "currency_code",
    "item_name",
    "invoice",
    "custom",
    "notify_url",
    "return",
    "cancel_return",
)


class PostbackFailed(Exception):
    """PayPal could not confirm the message: try again later, decide nothing."""


# The postback.
_simulated_postback: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("simulated_postback", default=None)


def simulated_payments_allowed() -> bool:
    """Only with DEBUG on; production settings force PAYPAL_SIMULATOR off."""
    return bool(settings.DEBUG and settings.PAYPAL_SIMULATOR)


@contextmanager
def postback_answered_with(answer: bytes):
    """Within this block, this process answers our postbacks itself (the development simulator, only)."""
    token = _simulated_postback.set(answer)
    try:
        yield
    finally:
        _simulated_postback.reset(token)


def postback_with_timeout(ipn) -> bytes:
    """django-paypal's postback (replaces PayPalIPN._postback), with a timeout and HTTP errors raised."""
    simulated = _simulated_postback.get()
    if simulated is not None and simulated_payments_allowed():
        return simulated
    response = requests.post(
        ipn.get_endpoint(),
        data=b"cmd=_notify-validate&" + ipn.query.encode("ascii"),
        timeout=settings.PAYPAL_POSTBACK_TIMEOUT,
    )
    response.raise_for_status()
    return response.content


# The IPN endpoint.
@csrf_exempt
@require_POST
def ipn(request):
    """PayPal's notify_url: record the message, verify it with PayPal, act on it, all or nothing."""
    if request.content_type != FORM_CONTENT_TYPE:
        return HttpResponse(
            "PayPal notifications must be sent as application/x-www-form-urlencoded.",
            status=415,
            content_type="text/plain",
        )
    problem = _not_a_paypal_message(request)
    if problem:
        logger.warning("Refused a malformed PayPal IPN before any postback: %s", problem)
        return HttpResponseBadRequest(f"Not a PayPal notification: {problem}.", content_type="text/plain")

    from paypal.standard.ipn.views import ipn as record_and_verify_ipn

    try:
        with transaction.atomic():
            return record_and_verify_ipn(request)
    except (PostbackFailed, requests.RequestException, UnicodeDecodeError) as error:
        _record_unverified_request(request, f"PayPal could not verify this notification ({_describe(error)}).")
        return HttpResponse("Could not verify with PayPal; please retry.", status=503, content_type="text/plain")
    except Exception:
        # Nothing was saved: PayPal's retry is processed afresh.
        logger.exception("Processing a PayPal IPN failed; PayPal will retry it")
        return HttpResponse("Temporary error; please retry.", status=503, content_type="text/plain")


def _not_a_paypal_message(request) -> str:
    """Why this form body cannot be one of PayPal's notifications ("" if it could be one)."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > IPN_MAX_BYTES:  # before reading it, as Django does
        return f"the body is too large (at most {IPN_MAX_BYTES} bytes)"
    body = request.body
    if not body.isascii():
        return "the body is not URL-encoded ASCII"
    try:
        names = {
            name for name, _ in parse_qsl(body.decode("ascii"), keep_blank_values=True, max_num_fields=IPN_MAX_FIELDS)
        }
    except ValueError:
        return f"too many fields (at most {IPN_MAX_FIELDS})"
    missing = [name for name in IPN_VARIABLES_IN_EVERY_MESSAGE if name not in names]
    if missing:
        return f"{', '.join(missing)} missing"
    return ""


def _describe(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return f"no answer within {settings.PAYPAL_POSTBACK_TIMEOUT:g} s"
    if isinstance(error, requests.ConnectionError):
        return "could not connect"
    return str(error) or error.__class__.__name__


def _record_unverified_request(request, reason: str) -> None:
    from . import services

    notification = _notification_from(request.POST.dict(), reference="not stored: PayPal will retry")
    services.payment_notification_record_unverified(
        notification=notification, reason=f"{reason} Answered 503, so PayPal sends it again."
    )


def _on_valid_ipn(sender, **kwargs):
    from . import services

    services.payment_notification_apply(notification=notification_from_ipn(sender))


def _on_invalid_ipn(sender, **kwargs):
    from . import services

    ipn_obj = sender
    if ipn_obj.flag_info.startswith("Invalid postback") and ipn_obj.response not in POSTBACK_ANSWERS:
        # PayPal's server answered with an error page or nonsense: not a verdict, so retry.
        raise PostbackFailed(f"PayPal answered {ipn_obj.response[:40]!r}")
    notification = notification_from_ipn(ipn_obj)
    if "Duplicate txn_id" in ipn_obj.flag_info:
        services.payment_notification_record_duplicate(notification=notification, reason=ipn_obj.flag_info)
    else:
        services.payment_notification_record_unverified(notification=notification, reason=ipn_obj.flag_info)


def connect_signals() -> None:
    valid_ipn_received.connect(_on_valid_ipn, dispatch_uid="payments.paypal.valid_ipn")
    invalid_ipn_received.connect(_on_invalid_ipn, dispatch_uid="payments.paypal.invalid_ipn")


# From PayPal's variables to our notification.
def notification_from_ipn(ipn_obj):
    fields = {
        "payment_status": ipn_obj.payment_status,
        "txn_id": ipn_obj.txn_id,
        "parent_txn_id": ipn_obj.parent_txn_id,
        "invoice": ipn_obj.invoice,
        "custom": ipn_obj.custom,
        "mc_gross": "" if ipn_obj.mc_gross is None else str(ipn_obj.mc_gross),
        "mc_currency": ipn_obj.mc_currency,
        "receiver_email": ipn_obj.receiver_email,
        "receiver_id": ipn_obj.receiver_id,
        "test_ipn": "1" if ipn_obj.test_ipn else "",
        "pending_reason": ipn_obj.pending_reason,
        "reason_code": ipn_obj.reason_code,
    }
    return _notification_from(fields, reference=f"PayPal IPN {ipn_obj.pk}")


def _notification_from(fields: Mapping[str, str], *, reference: str):
    from .services import NotificationKind, PaymentNotification

    kinds = {
        "Completed": NotificationKind.COMPLETED,
        "Pending": NotificationKind.PENDING,
        "Refunded": NotificationKind.REFUNDED,
        "Reversed": NotificationKind.REVERSED,
        "Canceled_Reversal": NotificationKind.REVERSAL_CANCELED,
    }
    status = fields.get("payment_status") or ""
    return PaymentNotification(
        provider=PROVIDER,
        kind=kinds.get(status, NotificationKind.OTHER),
        payment_status=status,
        transaction_id=fields.get("txn_id") or "",
        parent_transaction_id=fields.get("parent_txn_id") or "",
        invoice=fields.get("invoice") or "",
        registry_reference=fields.get("custom") or "",
        amount=_decimal_or_none(fields.get("mc_gross")),
        currency=fields.get("mc_currency") or "",
        provider_reference=reference,
        detail=fields.get("pending_reason") or fields.get("reason_code") or "",
        problems=tuple(_provider_problems(fields)),
    )


def _decimal_or_none(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _provider_problems(fields: Mapping[str, str]) -> Iterator[str]:
    ours = settings.PAYPAL_RECEIVER_EMAIL.strip().lower()
    if not ours:
        yield "PayPal payments are not configured (PAYPAL_RECEIVER_EMAIL is empty)."
    elif (fields.get("receiver_email") or "").strip().lower() != ours:
        yield f"Paid to {fields.get('receiver_email') or 'nobody'!s}, not to our PayPal account."
    our_id = settings.PAYPAL_RECEIVER_ID
    if our_id and fields.get("receiver_id") != our_id:
        yield f"Paid to PayPal account id {fields.get('receiver_id') or 'none'}, not ours."
    is_sandbox = bool(fields.get("test_ipn"))
    if is_sandbox and not settings.PAYPAL_TEST:
        yield "A PayPal sandbox message (test_ipn=1) is never accepted in production."
    if settings.PAYPAL_TEST and not is_sandbox:
        yield "A live PayPal message is not accepted while PAYPAL_TEST (sandbox) is on."


# The button.
def payments_enabled() -> bool:
    return bool(settings.PAYPAL_RECEIVER_EMAIL)


def payment_form(*, order, request) -> PayPalPaymentsForm:
    """Payments Standard "Buy now" for exactly this order, and nothing a payer could add to it."""
    from .services import registry_reference

    def absolute(name: str, *args) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    return PayPalPaymentsForm(
        initial={
            "business": settings.PAYPAL_RECEIVER_EMAIL,
            "amount": f"{order.amount:.2f}",
            "currency_code": order.currency,
            "item_name": f"WhisperGifts {order.package.name} package: {order.registry.couple_names}",
            "invoice": order.invoice,
            "custom": registry_reference(order.registry),
            "notify_url": absolute("paypal-ipn"),
            "return": absolute("couple_order_return", order.invoice),
            "cancel_return": absolute("couple_order_cancel", order.invoice),
            "no_shipping": "1",
            "no_note": "1",
            "charset": "utf-8",
        }
    )
