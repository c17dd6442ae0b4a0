"""The development "simulate PayPal" page: the same IPN code path, only with DEBUG on."""

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from paypal.standard.ipn.models import PayPalIPN

from payments.models import Order
from registries.models import RegistryPage
from tests.ops.test_settings import PRODUCTION_ENV


@pytest.fixture
def simulator_on(settings):
    settings.DEBUG = True
    settings.PAYPAL_SIMULATOR = True


def button_fields(couple_client, order) -> dict[str, str]:
    page = BeautifulSoup(couple_client.get(f"/admin/plan/orders/{order.invoice}/").content, "html.parser")
    form = page.find("form", action="/payments/paypal/simulator/")
    assert form is not None, "the simulator button is shown in development"
    return {field["name"]: field["value"] for field in form.select("input")}


@pytest.mark.django_db
class TestSimulator:
    def test_the_simulator_completes_the_order_through_the_real_ipn_endpoint(
        self, client, couple, order, plus, simulator_on
    ):
        client.force_login(couple.user)
        fields = button_fields(client, order)

        checkout = client.post("/payments/paypal/simulator/", fields)
        assert checkout.status_code == 200
        assert "development only" in checkout.content.decode()

        response = client.post("/payments/paypal/simulator/pay/", {**fields, "action": "pay"})

        assert response.status_code == 302
        assert response["Location"] == f"http://testserver/admin/plan/orders/{order.invoice}/return/"
        assert RegistryPage.objects.get(pk=couple.registry.pk).package == plus
        ipn = PayPalIPN.objects.get()
        assert (ipn.flag, ipn.payment_status, ipn.invoice, ipn.test_ipn) == (False, "Completed", order.invoice, True)
        assert ipn.receiver_email == "payments@whispergifts.test"
        assert Order.objects.get(pk=order.pk).status == Order.Status.PAID

    def test_a_tampered_amount_in_the_simulator_is_refused_like_any_ipn(self, client, couple, order, simulator_on):
        client.force_login(couple.user)
        fields = button_fields(client, order)
        client.post("/payments/paypal/simulator/pay/", {**fields, "amount": "0.01", "action": "pay"})
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        assert "Paid £0.01" in order.events.get().reason

    def test_cancelling_in_the_simulator_returns_to_cancel_return(self, client, couple, order, simulator_on):
        client.force_login(couple.user)
        fields = button_fields(client, order)
        response = client.post("/payments/paypal/simulator/pay/", {**fields, "action": "cancel"})
        assert response["Location"].endswith(f"/admin/plan/orders/{order.invoice}/cancel/")
        assert not PayPalIPN.objects.exists()

    def test_the_simulator_never_redirects_off_site(self, client, couple, order, simulator_on):
        client.force_login(couple.user)
        fields = button_fields(client, order)
        response = client.post(
            "/payments/paypal/simulator/pay/", {**fields, "cancel_return": "https://evil.example/", "action": "cancel"}
        )
        assert response.status_code == 404

    def test_the_simulators_postback_override_never_leaks_into_real_ipns(
        self, client, couple, order, simulator_on, paypal_server
    ):
        from .conftest import ipn_params, post_ipn

        paypal_server.answer_after(seconds=0, body=b"INVALID")
        post_ipn(client, ipn_params(order))
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT


@pytest.mark.django_db
@pytest.mark.parametrize("debug, simulator", [(False, True), (True, False)])
def test_the_simulator_is_gone_unless_debug_and_the_switch_are_both_on(client, settings, order, debug, simulator):
    settings.DEBUG, settings.PAYPAL_SIMULATOR = debug, simulator
    assert client.post("/payments/paypal/simulator/", {"invoice": order.invoice}).status_code == 404
    assert client.post("/payments/paypal/simulator/pay/", {"action": "pay"}).status_code == 404


def test_production_settings_cannot_turn_the_simulator_on():
    environment = {
        **os.environ,
        **PRODUCTION_ENV,
        "DEBUG": "true",
        "PAYPAL_SIMULATOR": "true",
        "PAYPAL_TEST": "",
    }
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.PAYPAL_SIMULATOR, settings.PAYPAL_TEST)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "False", "False"]
