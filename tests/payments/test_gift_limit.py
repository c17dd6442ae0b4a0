"""A package's gift limit, enforced whichever way a registry is published: the editor, the admin API, a schedule."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from accounts.factories import UserFactory
from payments.services import package_grant
from registries.factories import gift
from registries.models import Gift, RegistryPage
from tests.registries.editor import registry_edit_data

from .conftest import ipn_params, post_ipn, refund_params


def editor_post(client, registry, *, gifts: int, action: str = "action-publish"):
    shop = {"price": "20.00", "shop_name": "", "shop_url": "", "category": "home"}
    data = registry_edit_data(registry, gifts=[{"title": f"Gift {n}", **shop} for n in range(gifts)], action=action)
    return client.post(f"/admin/pages/{registry.pk}/edit/", data, follow=True)


def published_gifts(registry) -> int:
    return Gift.objects.filter(registry=registry, active=True).count()


@pytest.fixture
def couple_client(client, couple):
    client.force_login(couple.user)
    return client


@pytest.mark.django_db
class TestGiftLimitOnPublish:
    def test_a_couple_on_free_can_publish_up_to_25_gifts(self, couple_client, couple):
        editor_post(couple_client, couple.registry, gifts=25)
        assert published_gifts(couple.registry) == 25

    def test_publishing_over_the_limit_names_the_limit_and_links_to_the_upgrade_page(self, couple_client, couple):
        response = editor_post(couple_client, couple.registry, gifts=30)

        error = BeautifulSoup(response.content, "html.parser").select_one("[data-gift-limit-error]")
        assert "Your Free package lets you publish up to 25 gifts, and this registry would have 30." in error.text
        assert "remove 5 gifts" in error.text
        assert error.select_one("a")["href"] == "/admin/plan/"
        assert published_gifts(couple.registry) == 0

    def test_the_editor_shows_the_package_and_gifts_used_with_a_link_to_the_plan(self, couple_client, couple):
        editor_post(couple_client, couple.registry, gifts=3)
        page = BeautifulSoup(couple_client.get(f"/admin/pages/{couple.registry.pk}/edit/").content, "html.parser")
        usage = page.select_one("[data-package-usage]")
        assert "Free package: 3 of 25 gifts published." in usage.text
        assert usage.select_one("a")["href"] == "/admin/plan/"

    def test_a_draft_over_the_limit_can_still_be_saved(self, couple_client, couple):
        editor_post(couple_client, couple.registry, gifts=30, action="action-save")
        latest = RegistryPage.objects.get(pk=couple.registry.pk).get_latest_revision_as_object()
        assert len(latest.gifts) == 30
        assert published_gifts(couple.registry) == 0

    def test_after_paying_for_plus_the_couple_publishes_30_gifts(
        self, client, couple_client, couple, order, paypal_says
    ):
        post_ipn(client, ipn_params(order))
        editor_post(couple_client, couple.registry, gifts=30)
        assert published_gifts(couple.registry) == 30

    def test_publishing_an_older_draft_never_undoes_a_paid_upgrade(self, couple_client, couple, plus, db):
        editor_post(couple_client, couple.registry, gifts=2, action="action-save")  # draft made on Free
        package_grant(registry=couple.registry, package=plus, reason="Support ticket 7", granted_by=None)

        editor_post(couple_client, couple.registry, gifts=30)

        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        assert registry.package == plus
        assert published_gifts(registry) == 30

    def test_after_a_refund_gifts_over_the_limit_stay_but_adding_more_is_blocked(
        self, client, couple_client, couple, order, free, paypal_says
    ):
        post_ipn(client, ipn_params(order))
        editor_post(couple_client, couple.registry, gifts=30)
        order.refresh_from_db()
        post_ipn(client, refund_params(order))
        assert RegistryPage.objects.get(pk=couple.registry.pk).package == free

        assert published_gifts(couple.registry) == 30
        guest_page = client.get("/registries/alex-and-sam/", {"page": "2"}).content.decode()  # 24 gifts a page
        assert "Gift 29" in guest_page

        editor_post(couple_client, couple.registry, gifts=30)  # editing what is there is fine
        assert published_gifts(couple.registry) == 30
        response = editor_post(couple_client, couple.registry, gifts=31)
        assert "up to 25 gifts, and this registry would have 31" in response.content.decode()
        assert published_gifts(couple.registry) == 30

        plan = couple_client.get("/admin/plan/").content.decode()
        assert "more gifts published than the Free package allows" in plan


def api_publish(client, registry):
    return client.post(f"/admin/api/main/pages/{registry.pk}/action/publish/", content_type="application/json")


def draft_with_gifts(registry, count: int, *, user=None, go_live_at=None):
    page = RegistryPage.objects.get(pk=registry.pk).get_latest_revision_as_object()
    page.gifts = [gift(title=f"Gift {n}") for n in range(count)]
    page.go_live_at = go_live_at
    return page.save_revision(user=user, approved_go_live_at=go_live_at)


@pytest.mark.django_db
class TestGiftLimitOnEveryWayToPublish:
    def test_staff_publishing_over_the_limit_through_the_admin_api_get_a_400_naming_the_limit(self, client, couple):
        live_revision = RegistryPage.objects.get(pk=couple.registry.pk).live_revision_id
        draft_with_gifts(couple.registry, 30, user=couple.user)
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))
        client.raise_request_exception = False

        response = api_publish(client, couple.registry)

        assert response.status_code == 400
        refusal = response.json()["__all__"][0]
        assert "Your Free package lets you publish up to 25 gifts, and this registry would have 30." in refusal
        assert RegistryPage.objects.get(pk=couple.registry.pk).live_revision_id == live_revision
        assert published_gifts(couple.registry) == 0

    def test_staff_still_publish_within_the_limit_through_the_admin_api(self, client, couple):
        draft_with_gifts(couple.registry, 25, user=couple.user)
        client.force_login(UserFactory(email="root@example.com", is_superuser=True))

        assert api_publish(client, couple.registry).status_code == 200
        assert published_gifts(couple.registry) == 25

    def test_couples_cannot_publish_through_the_admin_api_at_all(self, couple_client, couple):
        """They publish from their editor, which explains the limit; the API's page actions are not for them."""
        draft_with_gifts(couple.registry, 30, user=couple.user)

        response = api_publish(couple_client, couple.registry)

        assert response.status_code == 404
        assert published_gifts(couple.registry) == 0

    def test_a_scheduled_publish_over_the_limit_is_not_made_and_the_history_says_why(
        self, couple_client, couple, other_couple
    ):
        live_revision = RegistryPage.objects.get(pk=couple.registry.pk).live_revision_id
        an_hour_ago = timezone.now() - timedelta(hours=1)
        scheduled = draft_with_gifts(couple.registry, 30, user=couple.user, go_live_at=an_hour_ago)
        within_limit = draft_with_gifts(other_couple.registry, 3, user=other_couple.user, go_live_at=an_hour_ago)

        call_command("publish_scheduled", stdout=io.StringIO())

        registry = RegistryPage.objects.get(pk=couple.registry.pk)
        assert registry.live_revision_id == live_revision
        assert published_gifts(registry) == 0
        scheduled.refresh_from_db()
        assert scheduled.approved_go_live_at is None  # not tried again every run
        assert RegistryPage.objects.get(pk=other_couple.registry.pk).live_revision_id == within_limit.pk
        assert published_gifts(other_couple.registry) == 3

        history = couple_client.get(f"/admin/pages/{registry.pk}/history/").content.decode()
        assert "Scheduled publishing refused" in history
        assert "Your Free package lets you publish up to 25 gifts, and this registry would have 30." in history
