"""PayPal's notifications: pay once, upgrade exactly once, refuse anything that doesn't add up."""

import inspect
import json
from decimal import Decimal

import pytest
from django.core import mail
from paypal.standard.ipn.models import PayPalIPN
from paypal.standard.models import PayPalStandardBase

from notifications.models import OutboxEmail
from payments import paypal
from payments.models import Order, PaymentEvent, ProcessedTransaction
from payments.services import order_create
from registries.models import Package, RegistryPage

from .conftest import IPN_URL, encode, ipn_params, post_ipn, refund_params

Outcome = PaymentEvent.Outcome


def package_of(couple):
    return RegistryPage.objects.get(pk=couple.registry.pk).package


def last_event(order) -> PaymentEvent:
    return order.events.order_by("-pk").first()


@pytest.mark.django_db
class TestCompletedPayment:
    def test_a_valid_completed_payment_upgrades_the_registry_and_emails_a_receipt(
        self, client, couple, order, plus, free, paypal_says, django_capture_on_commit_callbacks
    ):
        assert package_of(couple) == free
        params = ipn_params(order)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_ipn(client, params)

        assert response.status_code == 200
        assert package_of(couple) == plus
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert order.transaction_id == params["txn_id"]
        assert order.previous_package == free
        assert last_event(order).outcome == Outcome.UPGRADED
        assert ProcessedTransaction.objects.filter(transaction_id=params["txn_id"]).count() == 1
        [receipt] = mail.outbox
        assert receipt.to == ["alex@example.com"]
        assert "Plus" in receipt.subject
        assert order.invoice in receipt.body and "£29" in receipt.body

    def test_a_pending_payment_waits_and_the_later_completed_one_upgrades_once(
        self, client, couple, order, plus, free, paypal_says, django_capture_on_commit_callbacks
    ):
        pending = ipn_params(order, payment_status="Pending", pending_reason="echeck")
        with django_capture_on_commit_callbacks(execute=True):
            assert post_ipn(client, pending).status_code == 200
        assert package_of(couple) == free
        assert last_event(order).outcome == Outcome.PENDING
        assert "echeck" in last_event(order).reason
        assert mail.outbox == []

        completed = dict(pending, payment_status="Completed", pending_reason="")
        with django_capture_on_commit_callbacks(execute=True):
            assert post_ipn(client, completed).status_code == 200
            assert post_ipn(client, completed).status_code == 200  # PayPal repeats itself

        assert package_of(couple) == plus
        assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
        assert order.events.filter(outcome=Outcome.UPGRADED).count() == 1
        assert len(mail.outbox) == 1

    def test_the_same_ipn_twice_in_a_row_upgrades_once(self, client, couple, order, plus, paypal_says):
        params = ipn_params(order)
        assert post_ipn(client, params).status_code == 200
        assert post_ipn(client, params).status_code == 200

        assert package_of(couple) == plus
        assert order.events.filter(outcome=Outcome.UPGRADED).count() == 1
        assert order.events.filter(outcome=Outcome.DUPLICATE).count() == 1
        assert ProcessedTransaction.objects.count() == 1


@pytest.mark.django_db
class TestRefusals:
    """Each refusal leaves the package alone and says why on the order, for staff."""

    def assert_refused(self, couple, order, free, reason_part):
        assert package_of(couple) == free
        order.refresh_from_db()
        assert order.status == Order.Status.AWAITING_PAYMENT
        event = last_event(order)
        assert event.outcome == Outcome.REFUSED
        assert reason_part in event.reason
        assert not ProcessedTransaction.objects.exists()

    def test_a_payment_to_someone_elses_paypal_account_is_refused(self, client, couple, order, free, paypal_says):
        response = post_ipn(client, ipn_params(order, receiver_email="attacker@example.com", receiver_id="X1"))
        assert response.status_code == 200
        self.assert_refused(couple, order, free, "attacker@example.com")

    def test_a_payment_to_our_email_but_another_account_id_is_refused(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, receiver_id="SOMEONEELSE"))
        self.assert_refused(couple, order, free, "SOMEONEELSE")

    def test_a_payment_of_one_penny_is_refused(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, mc_gross="0.01"))
        self.assert_refused(couple, order, free, "Paid £0.01, but the order is for £29")

    def test_a_payment_in_another_currency_is_refused(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, mc_currency="USD"))
        self.assert_refused(couple, order, free, "Paid in USD, but the order is in GBP")

    def test_a_sandbox_ipn_is_refused_in_production(self, client, settings, couple, order, free, paypal_says):
        settings.PAYPAL_TEST = False
        post_ipn(client, ipn_params(order, test_ipn="1"))
        self.assert_refused(couple, order, free, "sandbox")

    def test_a_live_ipn_is_refused_while_on_the_sandbox(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, test_ipn=None))
        self.assert_refused(couple, order, free, "PAYPAL_TEST")

    def test_a_payment_that_is_not_completed_does_not_upgrade(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, payment_status="Denied"))
        assert package_of(couple) == free
        assert last_event(order).outcome == Outcome.RECORDED

    def test_an_invoice_for_another_couples_order_is_refused(
        self, client, couple, other_couple, order, plus, free, paypal_says
    ):
        theirs = order_create(registry=other_couple.registry, package=plus, created_by=other_couple.user)
        post_ipn(client, ipn_params(order, invoice=theirs.invoice))

        assert package_of(couple) == free
        assert package_of(other_couple) == free
        assert Order.objects.get(pk=theirs.pk).status == Order.Status.AWAITING_PAYMENT
        event = last_event(theirs)
        assert event.outcome == Outcome.REFUSED
        assert f"registry:{couple.registry.pk}" in event.reason

    def test_an_unknown_invoice_is_refused_and_kept_for_staff(self, client, couple, order, free, paypal_says):
        post_ipn(client, ipn_params(order, invoice="WG-NOSUCHORDER"))

        assert package_of(couple) == free
        event = PaymentEvent.objects.get(invoice="WG-NOSUCHORDER")
        assert event.order is None
        assert event.outcome == Outcome.REFUSED
        assert "No order has the invoice id 'WG-NOSUCHORDER'" in event.reason

    def test_a_second_payment_for_a_paid_order_is_refused_for_staff_to_refund(
        self, client, couple, order, plus, paypal_says
    ):
        post_ipn(client, ipn_params(order))
        post_ipn(client, ipn_params(order))  # a new txn_id: the couple paid twice

        assert order.events.filter(outcome=Outcome.UPGRADED).count() == 1
        assert "refund this payment" in last_event(order).reason

    def test_paying_an_old_order_for_a_smaller_package_never_downgrades(
        self, client, couple, order, plus, paypal_says
    ):
        unlimited = Package.objects.get(name="Unlimited")
        bigger = order_create(registry=couple.registry, package=unlimited, created_by=couple.user)
        post_ipn(client, ipn_params(bigger))
        post_ipn(client, ipn_params(order))  # the Plus checkout, left open in another tab

        assert package_of(couple) == unlimited
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        assert "already on Unlimited, which includes Plus: refund this payment" in last_event(order).reason


@pytest.mark.django_db
class TestPostback:
    def test_postback_invalid_is_refused_and_a_verified_retry_upgrades(
        self, client, couple, order, plus, free, paypal_says
    ):
        params = ipn_params(order)
        paypal_says(b"INVALID")
        assert post_ipn(client, params).status_code == 200
        assert package_of(couple) == free
        assert last_event(order).outcome == Outcome.UNVERIFIED
        assert "Invalid postback" in last_event(order).reason

        paypal_says(b"VERIFIED")
        assert post_ipn(client, params).status_code == 200
        assert package_of(couple) == plus

    def test_a_garbage_postback_is_not_acknowledged_and_the_retry_upgrades(
        self, client, couple, order, plus, free, paypal_says
    ):
        params = ipn_params(order)
        paypal_says(b"<html><body>503 Service Temporarily Unavailable</body></html>")
        assert post_ipn(client, params).status_code == 503
        assert package_of(couple) == free
        assert not PayPalIPN.objects.exists()
        assert "PayPal could not verify" in last_event(order).reason

        paypal_says(b"VERIFIED")
        assert post_ipn(client, params).status_code == 200
        assert package_of(couple) == plus

    def test_a_postback_that_times_out_is_not_acknowledged_and_the_retry_upgrades(
        self, client, settings, couple, order, plus, free, paypal_server
    ):
        settings.PAYPAL_POSTBACK_TIMEOUT = 0.3
        params = ipn_params(order)
        paypal_server.answer_after(seconds=2, body=b"VERIFIED")
        response = post_ipn(client, params)

        assert response.status_code == 503
        assert package_of(couple) == free
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        assert not PayPalIPN.objects.exists()
        assert "no answer within 0.3 s" in last_event(order).reason

        paypal_server.answer_after(seconds=0, body=b"VERIFIED")
        assert post_ipn(client, params).status_code == 200
        assert package_of(couple) == plus
        # The postback repeats PayPal's message, prefixed as PayPal requires.
        assert paypal_server.requests[-1].startswith(b"cmd=_notify-validate&")
        assert f"invoice={order.invoice}".encode() in paypal_server.requests[-1]

    def test_a_postback_that_cannot_connect_is_not_acknowledged_and_the_retry_upgrades(
        self, client, couple, order, plus, free, paypal_server, monkeypatch
    ):
        params = ipn_params(order)
        monkeypatch.setattr(PayPalIPN, "get_endpoint", lambda self: paypal_server.closed_port_url)
        response = post_ipn(client, params)
        assert response.status_code == 503
        assert package_of(couple) == free
        assert "could not connect" in last_event(order).reason

        monkeypatch.setattr(PayPalIPN, "get_endpoint", lambda self: paypal_server.url)
        paypal_server.answer_after(seconds=0, body=b"VERIFIED")
        assert post_ipn(client, params).status_code == 200
        assert package_of(couple) == plus


@pytest.mark.django_db
def test_a_handler_crash_leaves_no_row_and_paypals_retry_completes_the_upgrade(
    client, couple, order, plus, free, paypal_says, monkeypatch
):
    """django-paypal saves its IPN row before our handler runs; the request's transaction undoes it."""
    from payments import services

    real_queue = services._queue_receipt_email

    def crash_once(order):
        monkeypatch.setattr(services, "_queue_receipt_email", real_queue)
        raise RuntimeError("crashed after the package changed")

    monkeypatch.setattr(services, "_queue_receipt_email", crash_once)
    params = ipn_params(order)
    response = post_ipn(client, params)

    assert response.status_code == 503
    assert package_of(couple) == free
    assert not PayPalIPN.objects.exists()
    assert not ProcessedTransaction.objects.exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT

    assert post_ipn(client, params).status_code == 200
    assert package_of(couple) == plus
    assert PayPalIPN.objects.get().flag is False


@pytest.mark.django_db
class TestRefundsAndReversals:
    @pytest.fixture
    def paid(self, client, order, paypal_says):
        post_ipn(client, ipn_params(order))
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        return order

    def test_a_refund_returns_the_registry_to_its_previous_package_and_emails_the_couple(
        self, client, couple, paid, free, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_ipn(client, refund_params(paid))

        assert response.status_code == 200
        assert package_of(couple) == free
        assert Order.objects.get(pk=paid.pk).status == Order.Status.REFUNDED
        assert last_event(paid).outcome == Outcome.DOWNGRADED
        [email] = mail.outbox
        assert email.to == ["alex@example.com"]
        assert "refunded" in email.subject
        assert "back on the Free package" in email.body
        assert OutboxEmail.objects.get(kind="package_refunded").status == OutboxEmail.Status.SENT

    def test_a_partial_refund_keeps_the_package(self, client, couple, paid, plus):
        post_ipn(client, refund_params(paid, amount="-10.00"))
        assert package_of(couple) == plus
        assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID
        assert "Partial refund of £10" in last_event(paid).reason

    def test_a_refund_without_parent_txn_id_changes_nothing(self, client, couple, paid, plus):
        post_ipn(client, refund_params(paid, parent_txn_id=None))
        assert package_of(couple) == plus
        assert last_event(paid).outcome == Outcome.REFUSED

    def test_a_reversal_downgrades_and_a_canceled_reversal_restores_the_upgrade(
        self, client, couple, paid, plus, free, django_capture_on_commit_callbacks
    ):
        reversal = refund_params(paid, status="Reversed")
        with django_capture_on_commit_callbacks(execute=True):
            post_ipn(client, reversal)
            post_ipn(client, reversal)  # repeated: still one downgrade, one email
        assert package_of(couple) == free
        assert Order.objects.get(pk=paid.pk).status == Order.Status.REVERSED
        assert len(mail.outbox) == 1

        canceled = refund_params(paid, status="Canceled_Reversal", amount=f"{paid.amount:.2f}", reason_code="other")
        post_ipn(client, canceled)
        assert package_of(couple) == plus
        assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID
        assert last_event(paid).outcome == Outcome.RESTORED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", json.dumps({"txn_id": "1", "payment_status": "Completed"})),
        ("text/plain", "txn_id=1"),
    ],
)
def test_a_non_form_body_gets_a_clean_415_not_a_500(client, content_type, body):
    response = client.post(IPN_URL, body, content_type=content_type)
    assert response.status_code == 415
    assert b"application/x-www-form-urlencoded" in response.content
    assert not PayPalIPN.objects.exists()


@pytest.mark.django_db
class TestMalformedNotifications:
    """Bodies PayPal never sends are refused with 400 at once: no postback, nothing recorded, nothing to retry."""

    def assert_refused_untouched(self, response, paypal_server, explanation: str):
        assert response.status_code == 400
        assert explanation in response.content.decode()
        assert paypal_server.requests == []
        assert not PayPalIPN.objects.exists()
        assert not PaymentEvent.objects.exists()

    def test_twenty_thousand_fields_get_400_not_503(self, client, order, paypal_server):
        params = ipn_params(order) | {f"extra{number}": "x" for number in range(20_000)}
        self.assert_refused_untouched(post_ipn(client, params), paypal_server, "Not a PayPal notification")

    def test_a_few_hundred_fields_get_400_before_any_postback(self, client, order, paypal_server):
        params = ipn_params(order) | {f"extra{number}": "x" for number in range(300)}
        self.assert_refused_untouched(post_ipn(client, params), paypal_server, "too many fields")

    def test_an_oversized_body_gets_400(self, client, order, paypal_server):
        params = ipn_params(order, transaction_subject="x" * 100_000)
        self.assert_refused_untouched(post_ipn(client, params), paypal_server, "too large")

    def test_a_body_that_is_not_url_encoded_ascii_gets_400(self, client, order, paypal_server):
        body = encode(ipn_params(order)) + "&note=caf\u00e9"
        response = client.post(IPN_URL, body.encode("utf-8"), content_type="application/x-www-form-urlencoded")
        self.assert_refused_untouched(response, paypal_server, "not URL-encoded ASCII")

    @pytest.mark.parametrize("missing", ["verify_sign", "notify_version"])
    def test_a_body_without_the_variables_paypal_always_sends_gets_400(self, client, order, paypal_server, missing):
        params = ipn_params(order, **{missing: None})
        self.assert_refused_untouched(post_ipn(client, params), paypal_server, missing)

    def test_a_well_formed_notification_still_goes_to_paypal_and_upgrades(
        self, client, couple, order, plus, paypal_server
    ):
        assert post_ipn(client, ipn_params(order)).status_code == 200
        assert len(paypal_server.requests) == 1
        assert package_of(couple) == plus


@pytest.mark.django_db
def test_a_get_to_the_ipn_endpoint_is_not_allowed(client):
    assert client.get(IPN_URL).status_code == 405


@pytest.mark.django_db
def test_receipt_amount_matches_the_price_copied_at_order_time(client, couple, order, plus, paypal_says):
    plus.price = Decimal("49.00")
    plus.save()
    post_ipn(client, ipn_params(order))  # pays the 29.00 the order was created at
    assert package_of(couple) == plus


def test_django_paypal_still_verifies_through_the_postback_we_give_it():
    """Our postback (timeout, HTTP errors raised) replaces django-paypal's private one: see PayPalIPNConfig."""
    assert PayPalIPN._postback is paypal.postback_with_timeout, "django-paypal's IPN model lost our postback"
    assert "self._postback()" in inspect.getsource(PayPalStandardBase.verify), (
        "django-paypal's verify() no longer calls _postback: verify the IPN in payments/paypal.py instead"
    )
