"""A gift block left empty by an abandoned edit disappears on save; a half-filled one is named in the
message, so the couple can find it among dozens."""

import pytest
from django.urls import reverse

from accounts.factories import make_couple
from registries.models import RegistryPage
from tests.registries.editor import registry_edit_data

EMPTY = ("gift", {"title": "", "description": "", "price": None, "quantity_wanted": 1, "category": "other"})


def _post(client, registry, gifts, action):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[registry.pk]),
        registry_edit_data(registry, gifts=gifts, action=action),
    )


@pytest.fixture
def couple(client, db):
    couple = make_couple("Alex", "Sam")
    client.force_login(couple.user)
    return couple


def _gift(title, price="20"):
    return ("gift", {"title": title, "price": price, "quantity_wanted": 1, "category": "kitchen"})


@pytest.mark.parametrize("action", ["action-save", "action-publish"])
def test_an_empty_gift_block_is_dropped_when_saving_or_publishing(client, couple, action):
    response = _post(client, couple.registry, [_gift("Teapot"), EMPTY, _gift("Kettle")], action)

    assert response.status_code == 302
    registry = RegistryPage.objects.get(pk=couple.registry.pk).get_latest_revision_as_object()
    assert [block.value["title"] for block in registry.gifts] == ["Teapot", "Kettle"]


def test_a_half_filled_gift_block_is_named_in_the_message(client, couple):
    half = ("gift", {"title": "", "price": "15", "quantity_wanted": 1, "category": "kitchen"})

    response = _post(client, couple.registry, [_gift("Teapot"), EMPTY, _gift("Kettle"), half], "action-publish")

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("Gift 4: the title is missing" in message for message in messages), messages
    # The error stays on the block the couple sees, though the empty one before it is dropped.
    assert set(response.context["form"].errors["gifts"].as_data()[0].block_errors) == {3}
