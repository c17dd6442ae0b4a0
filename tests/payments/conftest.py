"""Couples, orders and PayPal IPN messages for the payments tests.

Only PayPal's postback endpoint is faked, at its HTTP boundary: a loopback server answers our real
postback code (with its timeout) as PayPal would. IPN payloads start from
django-paypal's sample message (paypal/standard/ipn/tests/test_ipn.py) and PayPal's documented
IPN variables.
"""

import itertools
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from paypal.standard.ipn.models import PayPalIPN

from accounts import factories as account_factories
from payments.models import Order
from payments.services import order_create, registry_reference
from registries.models import Package

IPN_URL = "/payments/paypal/ipn/"
CHARSET = "windows-1252"
_txn_ids = itertools.count(1)


def new_txn_id() -> str:
    return f"61E67681CH{next(_txn_ids):07d}"


def make_couple(slug: str, email: str, *, publish: bool = True):
    couple = account_factories.make_couple(
        slug.split("-")[0].title(),
        slug.split("-")[-1].title(),
        slug=slug,
        email=email,
        password="a-long-enough-passphrase",
        wedding_date=date(2031, 6, 1),
    )
    if publish:
        couple.registry.save_revision(user=couple.user).publish()
    return couple


@pytest.fixture
def couple(db):
    return make_couple("alex-and-sam", "alex@example.com")


@pytest.fixture
def other_couple(db):
    return make_couple("jo-and-kim", "jo@example.com")


@pytest.fixture
def plus(db):
    return Package.objects.get(name="Plus")


@pytest.fixture
def free(db):
    return Package.objects.get(name="Free")


@pytest.fixture
def order(couple, plus) -> Order:
    return order_create(registry=couple.registry, package=plus, created_by=couple.user)


def ipn_params(order: Order, **overrides) -> dict[str, str]:
    """A completed "Buy now" payment for `order`, as PayPal posts it (sandbox: test_ipn=1)."""
    params = {
        "protection_eligibility": "Eligible",
        "last_name": "User",
        "txn_id": new_txn_id(),
        "receiver_email": "payments@whispergifts.test",
        "payment_status": "Completed",
        "payment_gross": "",
        "tax": "0.00",
        "residence_country": "GB",
        "invoice": order.invoice,
        "payer_status": "verified",
        "txn_type": "web_accept",
        "handling_amount": "0.00",
        "payment_date": "23:04:06 Feb 02, 2026 PST",
        "first_name": "J\xf6rg",
        "item_name": f"WhisperGifts {order.package.name} package",
        "charset": CHARSET,
        "custom": registry_reference(order.registry),
        "notify_version": "3.9",
        "transaction_subject": "",
        "test_ipn": "1",
        "item_number": "",
        "receiver_id": "WGTESTRECEIVER1",
        "payer_id": "BN5JZ2V7MLEV4",
        "verify_sign": "An5ns1Kso7MWUdW4ErQKJJJ4qi4-AqdZy6dD.sGO3sDhTf1wAbuO2IZ7",
        "payment_fee": "",
        "mc_fee": "1.19",
        "mc_currency": order.currency,
        "shipping": "0.00",
        "payer_email": "buyer@example.com",
        "payment_type": "instant",
        "mc_gross": f"{order.amount:.2f}",
        "quantity": "1",
        "ipn_track_id": "4f2a5b6c7d8e9",
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def refund_params(order: Order, *, status: str = "Refunded", amount=None, **overrides) -> dict[str, str]:
    """PayPal's refund/reversal IPN: a new txn_id, parent_txn_id naming the payment, negative amounts."""
    gross = f"-{order.amount:.2f}" if amount is None else amount
    params = ipn_params(
        order,
        payment_status=status,
        parent_txn_id=order.transaction_id,
        mc_gross=gross,
        mc_fee="-1.19",
        reason_code={"Refunded": "refund", "Reversed": "chargeback"}.get(status, "other"),
        txn_type=None,
    )
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def encode(params: dict[str, str]) -> str:
    """URL-encode the way PayPal does: bytes in the message's charset (django-paypal's paypal_post)."""
    return urlencode({key.encode(CHARSET): value.encode(CHARSET) for key, value in params.items()})


def post_ipn(client, params: dict[str, str]):
    return client.post(IPN_URL, encode(params), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def paypal_says(paypal_server):
    """`paypal_says(b"VERIFIED")`: PayPal's answer to our postback, from its loopback stand-in."""

    def answer(response: bytes):
        paypal_server.answer_after(seconds=0, body=response)

    answer(b"VERIFIED")
    return answer


class FakePayPalPostbackServer:
    """PayPal's postback endpoint on a loopback port: answers late, or with whatever body we choose."""

    def __init__(self):
        self.requests: list[bytes] = []
        self.delay = 0.0
        self.body = b"VERIFIED"
        self.in_flight: threading.Barrier | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake.requests.append(self.rfile.read(int(self.headers["Content-Length"])))
                if fake.in_flight is not None:
                    fake.in_flight.wait()
                time.sleep(fake.delay)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(fake.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webscr"
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            self.closed_port_url = f"http://127.0.0.1:{unused.getsockname()[1]}/cgi-bin/webscr"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer_after(self, *, seconds: float, body: bytes):
        self.delay, self.body = seconds, body

    def answer_once_in_flight(self, count: int):
        """Hold each postback until `count` of them are waiting, then answer them all."""
        self.in_flight = threading.Barrier(count, timeout=10)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def paypal_server(monkeypatch):
    """Our real postback code (with its timeout) talking to a loopback stand-in for PayPal."""
    server = FakePayPalPostbackServer()
    monkeypatch.setattr(PayPalIPN, "get_endpoint", lambda self: server.url)
    yield server
    server.stop()
