"""The couple's Plan page, the PayPal button for one order, the return page, and staff's views."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from accounts.factories import UserFactory
from payments.models import Order, PaymentEvent
from payments.services import order_create
from registries.factories import gift
from registries.models import RegistryPage

from .conftest import ipn_params, post_ipn


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def couple_client(client, couple):
    client.force_login(couple.user)
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
class TestPlanPage:
    def test_a_couple_sees_their_package_usage_and_the_packages_side_by_side(self, couple_client, couple):
        registry = couple.registry
        registry.gifts = [gift(title=f"Gift {n}") for n in range(3)]
        registry.save_revision().publish()

        page = soup(couple_client.get("/admin/plan/"))

        usage = page.select_one("[data-plan-usage]").get_text(" ", strip=True)
        assert "Free package: 3 of 25 gifts published" in usage
        names = [h.text for h in page.select(".wg-package h2")]
        assert names == ["Free", "Plus", "Unlimited"]
        buttons = [b.get_text(strip=True) for b in page.select(".wg-package button")]
        assert buttons == ["Upgrade to Plus", "Upgrade to Unlimited"]
        assert "Your current package" in page.select(".wg-package")[0].text

    def test_the_plan_menu_item_is_shown_to_couples_only(self, client, couple):
        client.force_login(couple.user)
        assert '"url": "/admin/plan/"' in client.get("/admin/").content.decode()
        client.force_login(UserFactory(email="editor@example.com", is_staff=True, is_superuser=True))
        assert '"url": "/admin/plan/"' not in client.get("/admin/").content.decode()

    def test_the_plan_needs_an_admin_login(self, client, db):
        response = client.get("/admin/plan/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

    def test_upgrade_creates_an_order_and_shows_the_paypal_button_for_exactly_that_order(
        self, couple_client, couple, plus
    ):
        response = couple_client.post("/admin/plan/upgrade/", {"package": plus.pk})
        order = Order.objects.get()
        assert response["Location"] == f"/admin/plan/orders/{order.invoice}/"
        assert (order.registry_id, order.package, order.amount, order.currency) == (
            couple.registry.pk,
            plus,
            plus.price,
            "GBP",
        )
        assert order.status == Order.Status.AWAITING_PAYMENT

        page = soup(couple_client.get(response["Location"]))
        form = page.select_one("form[data-paypal-button]")
        assert form["action"] == "https://www.sandbox.paypal.com/cgi-bin/webscr"
        fields = {field["name"]: field.get("value") for field in form.select("input")}
        assert fields["business"] == "payments@whispergifts.test"
        assert fields["amount"] == "29.00"
        assert fields["currency_code"] == "GBP"
        assert fields["invoice"] == order.invoice
        assert fields["custom"] == f"registry:{couple.registry.pk}"
        assert fields["notify_url"] == "http://testserver/payments/paypal/ipn/"
        assert fields["return"] == f"http://testserver/admin/plan/orders/{order.invoice}/return/"
        assert fields["cancel_return"] == f"http://testserver/admin/plan/orders/{order.invoice}/cancel/"
        assert fields["cmd"] == "_xclick"
        assert "Simulate PayPal" not in page.text  # DEBUG is off

        # Asking again reuses the order still awaiting payment.
        couple_client.post("/admin/plan/upgrade/", {"package": plus.pk})
        assert Order.objects.count() == 1

    def test_an_order_overtaken_by_a_bigger_package_is_not_offered_for_payment(self, couple_client, couple, order):
        unlimited = order.package.__class__.objects.get(name="Unlimited")
        RegistryPage.objects.filter(pk=couple.registry.pk).update(package=unlimited)
        response = couple_client.get(f"/admin/plan/orders/{order.invoice}/", follow=True)
        assert "already on Unlimited, so there is nothing to pay for" in response.content.decode()
        assert b"data-paypal-button" not in response.content

    def test_a_couple_cannot_downgrade_through_an_order(self, couple_client, couple, free, plus):
        RegistryPage.objects.filter(pk=couple.registry.pk).update(package=plus)
        response = couple_client.post("/admin/plan/upgrade/", {"package": free.pk}, follow=True)
        assert not Order.objects.exists()
        assert "already on Plus" in response.content.decode()

    def test_without_a_paypal_account_configured_no_upgrade_is_offered(self, couple_client, settings, plus):
        settings.PAYPAL_RECEIVER_EMAIL = ""
        page = soup(couple_client.get("/admin/plan/"))
        assert "Upgrades are not available on this site yet" in page.text
        assert not page.select(".wg-package button")
        couple_client.post("/admin/plan/upgrade/", {"package": plus.pk})
        assert not Order.objects.exists()


@pytest.mark.django_db
class TestOrdersBelongToTheirCouple:
    def test_a_couple_can_never_see_or_pay_another_couples_order(self, client, couple, other_couple, plus):
        theirs = order_create(registry=other_couple.registry, package=plus, created_by=other_couple.user)
        client.force_login(couple.user)
        for url in (
            f"/admin/plan/orders/{theirs.invoice}/",
            f"/admin/plan/orders/{theirs.invoice}/return/",
            f"/admin/plan/orders/{theirs.invoice}/cancel/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert theirs.invoice not in response.content.decode()
            assert "Jo" not in response.content.decode()

    def test_a_couple_upgrades_only_their_own_registry(self, client, couple, other_couple, plus):
        client.force_login(couple.user)
        client.post("/admin/plan/upgrade/", {"package": plus.pk, "registry": other_couple.registry.pk})
        assert Order.objects.get().registry_id == couple.registry.pk

    def test_a_forged_return_request_changes_nothing(self, couple_client, couple, order, free):
        forged = ipn_params(order)  # everything PayPal would say, sent by the browser instead
        for response in (
            couple_client.get(f"/admin/plan/orders/{order.invoice}/return/", forged),
            couple_client.post(f"/admin/plan/orders/{order.invoice}/return/", forged),
        ):
            assert response.status_code == 200
            assert "Payment received, your upgrade will appear in a moment" in response.content.decode()
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        assert RegistryPage.objects.get(pk=couple.registry.pk).package == free
        assert not PaymentEvent.objects.exists()

    def test_the_return_page_shows_the_upgrade_once_paypal_confirmed_it(
        self, client, couple_client, order, paypal_says
    ):
        post_ipn(client, ipn_params(order))
        response = couple_client.get(f"/admin/plan/orders/{order.invoice}/return/")
        assert "now on the <strong>Plus</strong> package" in response.content.decode()

    def test_cancelling_at_paypal_says_nothing_was_charged(self, couple_client, order):
        response = couple_client.get(f"/admin/plan/orders/{order.invoice}/cancel/", follow=True)
        assert "Nothing was charged" in response.content.decode()
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT


@pytest.mark.django_db
class TestStaffViews:
    def test_staff_see_orders_with_filters_and_each_orders_payment_history(
        self, client, staff_client, order, paypal_says
    ):
        post_ipn(client, ipn_params(order, mc_gross="0.01"))
        post_ipn(client, ipn_params(order))

        listing = staff_client.get("/admin/payments/orders/?status=paid")
        assert listing.status_code == 200
        assert order.invoice in listing.content.decode()
        assert order.invoice not in staff_client.get("/admin/payments/orders/?status=refunded").content.decode()

        inspect = staff_client.get(f"/admin/payments/orders/inspect/{order.pk}/").content.decode()
        assert "Paid £0.01, but the order is for £29" in inspect
        assert "now on Plus" in inspect

        found = staff_client.get(f"/admin/payments/orders/?q={order.invoice}").content.decode()
        assert order.invoice in found

        events = staff_client.get("/admin/payments/notifications/?outcome=refused").content.decode()
        assert "Paid £0.01" in events

    def test_payment_records_are_read_only_even_for_superusers(self, staff_client, order):
        page = staff_client.get("/admin/payments/orders/").content.decode()
        assert "/admin/payments/orders/new/" not in page
        assert staff_client.get(f"/admin/payments/orders/edit/{order.pk}/").status_code == 404
        assert staff_client.get(f"/admin/payments/orders/delete/{order.pk}/").status_code == 404

    def test_couples_cannot_see_the_orders_listing(self, couple_client, order):
        for url in ("/admin/payments/orders/", "/admin/payments/notifications/", "/admin/payments/grant/"):
            response = couple_client.get(url)
            assert response.status_code in (302, 403, 404), url
            assert order.invoice not in response.content.decode()

    def test_staff_grant_a_package_by_hand_and_the_reason_is_recorded(self, staff_client, couple, plus):
        response = staff_client.post(
            "/admin/payments/grant/",
            {"registry": couple.registry.pk, "package": plus.pk, "reason": "Competition prize, ticket 42"},
        )
        assert response.status_code == 302
        assert RegistryPage.objects.get(pk=couple.registry.pk).package == plus
        order = Order.objects.get()
        assert order.status == Order.Status.GRANTED
        assert order.reason == "Competition prize, ticket 42"
        assert order.created_by.email == "staff@example.com"
        assert "Competition prize, ticket 42" in order.events.get().reason

    def test_a_grant_needs_a_reason(self, staff_client, couple, plus):
        response = staff_client.post(
            "/admin/payments/grant/", {"registry": couple.registry.pk, "package": plus.pk, "reason": "  "}
        )
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
        assert not Order.objects.exists()

    def test_staff_with_the_grant_permission_only_may_grant(self, client, couple, plus):
        editor = UserFactory(email="editor@example.com", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
        refused = client.post(
            "/admin/payments/grant/", {"registry": couple.registry.pk, "package": plus.pk, "reason": "Because"}
        )
        assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "permission denied"
        assert not Order.objects.exists()
        editor.user_permissions.add(Permission.objects.get(codename="grant_package"))
        assert client.get("/admin/payments/grant/").status_code == 200
