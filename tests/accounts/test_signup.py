"""A couple signs up on the public site and lands in their own registry editor."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection

from accounts.factories import UserFactory
from accounts.models import User
from registries.factories import RegistryPageFactory, registry_index
from registries.models import RegistryPage

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "lantern-orchard-velvet-42"


def signup_data(**overrides) -> dict:
    data = {
        "email": "Robin@Example.com",
        "password": STRONG_PASSWORD,
        "partner_one": "Robin",
        "partner_two": "Kim",
        "wedding_date": (timezone.localdate() + timedelta(days=200)).isoformat(),
        "currency": "EUR",
        "slug": "robin-and-kim",
    }
    data.update(overrides)
    return data


def errors_of(response, field: str) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    errors = soup.find(id=f"id_{field}-errors")
    return errors.get_text(" ", strip=True) if errors else ""


@pytest.fixture
def index():
    return registry_index()


def test_home_page_links_to_sign_up(client, index):
    response = client.get("/")
    assert reverse("signup") in [a["href"] for a in BeautifulSoup(response.content, "html.parser").find_all("a")]


def test_sign_up_creates_the_couple_logs_them_in_and_opens_their_editor(client, index):
    response = client.post(reverse("signup"), signup_data())

    user = User.objects.get(email="robin@example.com")
    registry = RegistryPage.objects.get(slug="robin-and-kim")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[registry.pk])
    assert registry.owner == user and registry.currency == "EUR" and not registry.live
    assert registry.couple_names == "Robin & Kim"
    assert user.check_password(STRONG_PASSWORD)

    editor = client.get(response["Location"])
    assert editor.status_code == 200
    assert "Welcome! Here's how your registry comes to life" in editor.content.decode()
    assert "Welcome, Robin!" in editor.content.decode()


def test_sign_up_sends_a_welcome_email_with_the_editor_link(client, index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), signup_data())

    registry = RegistryPage.objects.get(slug="robin-and-kim")
    [welcome] = mail.outbox
    assert welcome.to == ["robin@example.com"]
    assert f"http://testserver/admin/pages/{registry.pk}/edit/" in welcome.body


def test_address_is_suggested_from_the_names_when_left_empty(client, index):
    RegistryPageFactory(slug="robin-and-kim")
    client.post(reverse("signup"), signup_data(slug=""))
    assert RegistryPage.objects.filter(slug="robin-and-kim-2", partner_one="Robin").exists()


def test_taken_address_is_refused_with_a_free_suggestion_filled_in(client, index):
    RegistryPageFactory(slug="robin-and-kim")
    response = client.post(reverse("signup"), signup_data())

    assert response.status_code == 200
    assert "/registries/robin-and-kim/ is already taken" in errors_of(response, "slug")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", {"name": "slug"})["value"] == "robin-and-kim-2"
    assert not User.objects.filter(email="robin@example.com").exists()


def test_a_draft_registry_holds_its_address_too(client, index):
    RegistryPageFactory(slug="robin-and-kim", publish=False, live=False)
    response = client.post(reverse("signup"), signup_data())
    assert "already taken" in errors_of(response, "slug")


@pytest.mark.parametrize("slug", ["admin", "search", "signup", "registries"])
def test_reserved_address_is_refused(client, index, slug):
    response = client.post(reverse("signup"), signup_data(slug=slug))
    assert "reserved for the site itself" in errors_of(response, "slug")
    assert not User.objects.exists()


@pytest.mark.parametrize("slug", ["Robin And Kim", "robin--kim", "-robin", "ab"])
def test_address_must_be_a_clean_slug(client, index, slug):
    response = client.post(reverse("signup"), signup_data(slug=slug))
    assert errors_of(response, "slug")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174651", "entirely numeric"),
        ("robin@example.com", "too similar"),
    ],
)
def test_weak_password_is_refused_with_djangos_reason(client, index, password, complaint):
    response = client.post(reverse("signup"), signup_data(password=password))
    assert complaint in errors_of(response, "password")
    assert not User.objects.exists()
    assert not RegistryPage.objects.exists()


def test_an_address_that_has_an_account_is_told_nothing_on_the_page_and_its_owner_gets_an_email(
    client, index, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="robin@example.com", first_name="Robin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_data(email="ROBIN@example.com"))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser").main.get_text(" ", strip=True)
    assert "We've sent an email to robin@example.com" in page
    assert "account" not in page.lower()
    assert not RegistryPage.objects.exists() and "_auth_user_id" not in client.session
    (email,) = mail.outbox
    assert email.to == [owner.email] and email.subject == "You already have a WhisperGifts account"
    assert reverse("wagtailadmin_login") in email.body and reverse("wagtailadmin_password_reset") in email.body


def test_the_owner_of_an_address_hears_of_sign_up_attempts_once_a_day_at_most(
    client, index, django_capture_on_commit_callbacks
):
    UserFactory(email="robin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(reverse("signup"), signup_data())
    assert len(mail.outbox) == 1


def test_wedding_date_in_the_past_is_allowed_but_warned(client, index):
    last_year = timezone.localdate() - timedelta(days=365)
    response = client.post(reverse("signup"), signup_data(wedding_date=last_year.isoformat()), follow=True)

    registry = RegistryPage.objects.get(slug="robin-and-kim")
    assert registry.wedding_date == last_year
    assert "is in the past" in response.content.decode()


def test_future_wedding_date_gets_no_warning(client, index):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert "is in the past" not in response.content.decode()


def test_missing_fields_are_explained_next_to_each_field(client, index):
    response = client.post(reverse("signup"), {})
    for field in ("email", "password", "partner_one", "partner_two", "wedding_date"):
        assert "This field is required" in errors_of(response, field)


def test_a_signed_in_couple_going_to_sign_up_is_taken_to_their_editor(client, index):
    client.post(reverse("signup"), signup_data())
    registry = RegistryPage.objects.get(slug="robin-and-kim")
    response = client.get(reverse("signup"))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[registry.pk])


def test_sign_up_without_a_registries_page_explains_instead_of_failing(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 503
    assert "Sign-ups are not open yet" in response.content.decode()


def test_welcome_panel_is_gone_once_dismissed(client, index):
    client.post(reverse("signup"), signup_data())
    registry = RegistryPage.objects.get(slug="robin-and-kim")
    client.generic(
        "PATCH",
        reverse("wagtailadmin_dismissibles"),
        f'{{"whispergifts-welcome-{registry.pk}": true}}',
        content_type="application/json",
    )
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[registry.pk]))
    assert "Here's how your registry comes to life" not in editor.content.decode()


def test_couple_can_log_in_with_their_email_in_any_case(client, index):
    client.post(reverse("signup"), signup_data())
    client.logout()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "ROBIN@example.com", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_forgotten_password_sends_a_reset_link_by_email(client, index, django_capture_on_commit_callbacks):
    UserFactory(email="robin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_password_reset"), {"email": "robin@example.com"})
    assert response.status_code == 302
    [reset] = mail.outbox
    assert reset.subject == "Reset your WhisperGifts password"
    assert "http://testserver/admin/password_reset/" in reset.body


def test_nothing_of_a_failed_sign_up_is_left_behind(client, index):
    groups, collections = Group.objects.count(), Collection.objects.count()
    client.post(reverse("signup"), signup_data(password="short"))
    assert (Group.objects.count(), Collection.objects.count()) == (groups, collections)


@pytest.mark.parametrize(
    ("partner_one", "partner_two", "suggested"),
    [("Zoë", "José", "zoe-and-jose"), ("Дима", "Sam", "sam"), ("Дима", "Саша", "our-wedding")],
)
def test_suggested_address_copes_with_any_names(client, index, partner_one, partner_two, suggested):
    client.post(reverse("signup"), signup_data(slug="", partner_one=partner_one, partner_two=partner_two))
    assert RegistryPage.objects.filter(slug=suggested).exists()


def test_staff_editing_a_couples_draft_see_no_welcome_panel(client, index):
    client.post(reverse("signup"), signup_data())
    registry = RegistryPage.objects.get(slug="robin-and-kim")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[registry.pk]))
    assert editor.status_code == 200
    assert "Here's how your registry comes to life" not in editor.content.decode()


def test_welcome_panel_is_gone_once_the_registry_is_published(client, index):
    client.post(reverse("signup"), signup_data())
    User.objects.filter(email="robin@example.com").update(email_confirmed_at=timezone.now())
    registry = RegistryPage.objects.get(slug="robin-and-kim")
    registry.save_revision().publish()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[registry.pk]))
    assert "Here's how your registry comes to life" not in editor.content.decode()


def test_sign_ups_from_one_address_are_limited(client, index):
    from accounts.views import SIGNUPS_PER_ADDRESS

    for number in range(SIGNUPS_PER_ADDRESS):
        client.logout()
        assert client.post(reverse("signup"), signup_data(email=f"c{number}@example.com", slug="")).status_code == 302
    client.logout()
    refused = client.post(reverse("signup"), signup_data(email="one-more@example.com", slug=""))
    assert refused.status_code == 429
    assert not User.objects.filter(email="one-more@example.com").exists()


def test_forms_sent_back_with_mistakes_do_not_use_up_the_limit(client, index):
    from accounts.views import SIGNUPS_PER_ADDRESS

    for _ in range(SIGNUPS_PER_ADDRESS + 2):
        assert client.post(reverse("signup"), signup_data(password="short")).status_code == 200
    assert client.post(reverse("signup"), signup_data()).status_code == 302


@pytest.mark.parametrize("taken", ["address", "email"])
def test_what_someone_took_a_moment_ago_is_explained_and_nothing_is_saved(client, index, monkeypatch, taken):
    from accounts import views

    real_couple_sign_up = views.couple_sign_up

    def someone_was_faster(**kwargs):
        if taken == "address":
            RegistryPageFactory(slug=kwargs["slug"])
        else:
            UserFactory(email=kwargs["email"])
        return real_couple_sign_up(**kwargs)

    monkeypatch.setattr(views, "couple_sign_up", someone_was_faster)
    response = client.post(reverse("signup"), signup_data())

    assert response.status_code == 200
    if taken == "address":
        assert "already" in errors_of(response, "slug")
    else:  # as if the address had an account when the form was sent
        page = BeautifulSoup(response.content, "html.parser").main.get_text(" ", strip=True)
        assert "We've sent an email to robin@example.com" in page
    assert RegistryPage.objects.count() == (1 if taken == "address" else 0)
    assert User.objects.count() == (0 if taken == "address" else 1)
