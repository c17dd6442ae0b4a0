"""The same IPN delivered twice at the same moment (PostgreSQL, real transactions, threads)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from paypal.standard.ipn.models import PayPalIPN

from payments.models import Order, PaymentEvent, ProcessedTransaction
from registries.models import RegistryPage

from .conftest import ipn_params, post_ipn


@pytest.mark.django_db(transaction=True)
def test_the_same_ipn_twice_at_the_same_moment_upgrades_once(postgres, couple, order, plus, paypal_server):
    deliveries = 2
    # PayPal answers once both are verifying: both requests are inside their transactions, past
    # django-paypal's duplicate check's blind spot, so neither can see the other's uncommitted IPN row.
    paypal_server.answer_once_in_flight(deliveries)
    params = ipn_params(order)
    statuses = []

    def deliver():
        try:
            statuses.append(post_ipn(Client(), params).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [200, 200]
    assert PayPalIPN.objects.filter(flag=False).count() == 2  # django-paypal let both through
    assert RegistryPage.objects.get(pk=couple.registry.pk).package == plus
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    outcomes = sorted(PaymentEvent.objects.values_list("outcome", flat=True))
    assert outcomes == [PaymentEvent.Outcome.DUPLICATE, PaymentEvent.Outcome.UPGRADED]
    assert ProcessedTransaction.objects.count() == 1
