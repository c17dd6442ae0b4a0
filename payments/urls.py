"""Public payment endpoints: PayPal's IPN, and the development-only PayPal simulator."""

from django.urls import path

from . import paypal, simulator

urlpatterns = [
    path("payments/paypal/ipn/", paypal.ipn, name="paypal-ipn"),
    path("payments/paypal/simulator/", simulator.simulator, name="paypal_simulator"),
    path("payments/paypal/simulator/pay/", simulator.simulator_pay, name="paypal_simulator_pay"),
]
