"""The couple's payment details: entered once in their account, a real PayPal.me link, and plain about money."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import CouplePaymentDetails, validate_paypal_me_url
from registries.payment_details import payment_details_for

pytestmark = pytest.mark.django_db

URL = reverse("couple_account:payment_details")


@pytest.mark.parametrize(
    "link",
    ["https://paypal.me/alexandsam", "https://paypal.me/alexandsam/", "https://www.paypal.com/paypalme/alexandsam"],
)
def test_paypal_me_links_are_accepted(link):
    validate_paypal_me_url(link)


@pytest.mark.parametrize(
    "link",
    [
        "http://paypal.me/alexandsam",  # not https
        "https://paypal.me/",  # no name
        "https://paypal.me.evil.example/alexandsam",
        "https://evil.example/paypal.me/alexandsam",
        "https://www.paypal.com/signin",
        "https://user@paypal.me/alexandsam",
        "https://paypal.me/alex/and/sam",
    ],
)
def test_anything_else_is_refused(link):
    with pytest.raises(ValidationError):
        validate_paypal_me_url(link)


def test_the_page_says_plainly_that_we_never_hold_the_money(couple_client):
    text = " ".join(BeautifulSoup(couple_client.get(URL).content, "html.parser").text.split())
    assert "WhisperGifts never receives or forwards any money" in text
    assert "only after they pledge" in text


def test_the_couple_save_their_details_once_for_their_registry(couple_client, couple):
    response = couple_client.post(
        URL, {"paypal_me_url": "https://paypal.me/robinandkim", "bank_transfer_details": "Sort code 12-34-56"}
    )
    assert response.status_code == 302
    couple_client.post(URL, {"paypal_me_url": "https://paypal.me/robinkim", "bank_transfer_details": ""})
    details = CouplePaymentDetails.objects.get()
    assert (details.registry_id, details.paypal_me_url, details.bank_transfer_details) == (
        couple.registry.pk,
        "https://paypal.me/robinkim",
        "",
    )
    assert payment_details_for(registry_id=couple.registry.pk).paypal_me_url == "https://paypal.me/robinkim"


def test_a_link_that_is_not_paypal_me_is_refused_with_a_reason(couple_client):
    response = couple_client.post(URL, {"paypal_me_url": "https://evil.example/pay", "bank_transfer_details": ""})
    assert response.status_code == 200
    assert "Please enter your PayPal.me link" in response.content.decode()
    assert not CouplePaymentDetails.objects.exists()


def test_a_registry_without_details_has_none(couple):
    assert not payment_details_for(registry_id=couple.registry.pk).given


def test_only_couples_reach_the_page(client):
    from accounts.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code in (302, 403, 404)
