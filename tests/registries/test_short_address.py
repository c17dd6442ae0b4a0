"""The short address on an invitation card leads to the registry, wherever it lives now."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction, Revision

from registries.addresses import short_address
from registries.factories import RegistryPageFactory, gift
from registries.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, RegistryPage
from registries.views import SHORT_ADDRESS_MISSES_PER_CLIENT

pytestmark = pytest.mark.django_db


def short_path(registry) -> str:
    return reverse("registry_short_address", args=[registry.short_code])


def test_every_registry_gets_a_short_code_that_is_easy_to_type():
    codes = {RegistryPageFactory().short_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == SHORT_CODE_LENGTH and set(code) <= set(SHORT_CODE_ALPHABET)


def test_the_short_address_leads_to_the_registry(client):
    registry = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])
    response = client.get(short_path(registry))
    assert response.status_code == 302 and response["Location"] == "/registries/alex-and-sam/"
    assert short_address(registry) == f"http://testserver/r/{registry.short_code}/"


def test_typed_in_capitals_it_still_works(client):
    registry = RegistryPageFactory(slug="alex-and-sam")
    assert client.get(f"/r/{registry.short_code.upper()}/")["Location"] == "/registries/alex-and-sam/"


def test_after_a_rename_the_printed_address_leads_to_the_new_one(client):
    registry = RegistryPageFactory(slug="alex-and-sam")
    printed = short_path(registry)
    page = RegistryPage.objects.get(pk=registry.pk)
    page.slug = "sam-and-alex"
    page.save_revision().publish()

    assert RegistryPage.objects.get(pk=registry.pk).short_code == registry.short_code
    assert client.get(printed)["Location"] == "/registries/sam-and-alex/"


def test_publishing_an_older_revision_keeps_the_code(client):
    registry = RegistryPageFactory(slug="alex-and-sam")
    first = registry.get_latest_revision()
    RegistryPage.objects.filter(pk=registry.pk).update(short_code="zzzz2222")
    Revision.objects.get(pk=first.pk).publish()
    assert RegistryPage.objects.get(pk=registry.pk).short_code == "zzzz2222"


def test_a_password_protected_registry_still_asks_for_its_password(client):
    registry = RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Secret teapot")])
    PageViewRestriction.objects.create(page=registry, restriction_type="password", password="s3cret")
    page = client.get(short_path(registry), follow=True)
    assert "Secret teapot" not in page.content.decode()
    assert "password" in page.content.decode().lower()


def test_an_unpublished_registry_or_a_wrong_code_explains_and_answers_404(client):
    withdrawn = RegistryPageFactory()
    withdrawn.unpublish()
    for path in (short_path(withdrawn), "/r/nothere2/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "No registry at this address" in response.content.decode()


def test_guessing_codes_is_paused_after_a_few_dozen_misses_per_client(client):
    registry = RegistryPageFactory()
    for number in range(SHORT_ADDRESS_MISSES_PER_CLIENT):
        assert client.get(f"/r/guess{number}/", REMOTE_ADDR="203.0.113.7").status_code == 404
    assert client.get("/r/onemore2/", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(short_path(registry), REMOTE_ADDR="203.0.113.7").status_code == 302  # the right one works
    assert client.get("/r/guess0/", REMOTE_ADDR="198.51.100.2").status_code == 404


def test_a_copy_or_an_alias_of_a_registry_gets_a_card_of_its_own(client):
    registry = RegistryPageFactory(slug="alex-and-sam")
    alias = registry.create_alias(update_slug="alex-and-sam-again")
    copy = registry.copy(update_attrs={"slug": "alex-and-sam-copy", "title": "Copy"})
    codes = {RegistryPage.objects.get(pk=page.pk).short_code for page in (registry, alias, copy)}
    assert len(codes) == 3
