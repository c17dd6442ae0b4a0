"""Couples choose how they hear about reservations, and how guests are reminded, in the admin."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.factories import make_couple
from registries.models import CoupleEmailPreferences


@pytest.fixture
def other_couple(db):
    return make_couple("Kim", "Lee", email="kim@couple.localhost", wedding_date=date(2027, 9, 1), currency="EUR")


def settings_url(registry) -> str:
    return reverse("couple_email_settings", kwargs={"registry_id": registry.pk})


@pytest.mark.django_db
def test_a_couple_finds_their_email_settings_from_the_admin_menu(client, couple):
    client.force_login(couple.user)

    dashboard = client.get("/admin/")
    assert b"Email settings" in dashboard.content
    response = client.get(reverse("couple_email_settings_index"))
    assert response.status_code == 302 and response.url == settings_url(couple.registry)
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"One daily digest" in page.content


@pytest.mark.django_db
def test_a_couple_switches_to_the_digest_and_changes_the_reminders(client, couple):
    client.force_login(couple.user)

    response = client.post(
        settings_url(couple.registry),
        {
            "reservation_emails": "daily",
            "reminders_enabled": "on",
            "first_reminder_days": 5,
            "second_reminder_days": 10,
            "auto_release_days": 30,
        },
    )

    assert response.status_code == 302
    preferences = CoupleEmailPreferences.objects.get(registry=couple.registry)
    assert preferences.reservation_emails == "daily"
    assert (preferences.first_reminder_days, preferences.second_reminder_days, preferences.auto_release_days) == (
        5,
        10,
        30,
    )


@pytest.mark.django_db
def test_reminders_out_of_order_are_explained_next_to_the_field(client, couple):
    client.force_login(couple.user)

    response = client.post(
        settings_url(couple.registry),
        {"reservation_emails": "each", "first_reminder_days": 7, "second_reminder_days": 5, "auto_release_days": 21},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "second_reminder_days": ["The second reminder must come after the first."]
    }
    assert not CoupleEmailPreferences.objects.exists()


@pytest.mark.django_db
def test_a_couple_cannot_see_or_change_another_couples_settings(client, couple, other_couple):
    client.force_login(couple.user)

    # Not found, as for a registry that does not exist: a couple can't tell one from the other.
    assert client.get(settings_url(other_couple.registry)).status_code == 404
    response = client.post(
        settings_url(other_couple.registry),
        {"reservation_emails": "off", "first_reminder_days": 7, "second_reminder_days": 14, "auto_release_days": 21},
    )
    assert response.status_code == 404
    assert not CoupleEmailPreferences.objects.exists()
    assert b"Kim" not in client.get(reverse("couple_email_settings_index"), follow=True).content


@pytest.mark.django_db
def test_the_settings_say_plainly_what_releasing_a_gift_does(client, couple):
    CoupleEmailPreferences.objects.create(registry=couple.registry, auto_release_days=30)
    client.force_login(couple.user)

    page = BeautifulSoup(client.get(settings_url(couple.registry)).content, "html.parser")

    explained = page.select_one("[data-testid=what-release-does]").get_text(" ", strip=True)
    assert "30 days after reserving it, we release it" in explained
    assert "the gift shows as available on your registry again" in explained
    assert "one-click link to keep it theirs if they did buy it" in explained
    assert "A gift a guest said they bought is never released" in explained
