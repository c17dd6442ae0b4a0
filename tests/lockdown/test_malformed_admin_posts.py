"""Admin forms posted by hand, with fields missing or mangled, answer with a form error, never a 500."""

import json

import pytest

from accounts.factories import UserFactory
from registries.models import RegistryPage
from tests.registries.editor import registry_edit_data


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_superuser=True)


@pytest.fixture
def couple_user(couple):
    return couple.user


@pytest.mark.parametrize("who", ["couple_user", "superuser"])
def test_the_external_link_chooser_posted_without_a_url_asks_for_one(client, db, who, request):
    client.force_login(request.getfixturevalue(who))
    client.raise_request_exception = False

    response = client.post("/admin/choose-external-link/", {"external-link-chooser-link_text": "Our shop"})

    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["step"] == "external_link"
    assert "This field is required." in answer["html"]


@pytest.mark.parametrize(
    "welcome",
    [
        "not json",
        "[]",
        '{"blocks": "x"}',
        '{"blocks": [{"type": "unstyled", "text": "Hi", "entityRanges": [{"offset": 0, "length": 2, "key": 7}]}]}',
        '{"blocks": [{"type": "unstyled", "text": "Hi", "inlineStyleRanges": [{"offset": "0", "length": 2}]}]}',
    ],
)
def test_a_welcome_message_the_editor_cannot_read_is_a_form_error_and_nothing_is_saved(client, couple, welcome):
    client.force_login(couple.user)
    client.raise_request_exception = False
    revisions = couple.registry.revisions.count()
    data = registry_edit_data(couple.registry, action="action-publish")
    data["welcome"] = welcome

    response = client.post(f"/admin/pages/{couple.registry.pk}/edit/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["welcome"] == [
        "This text couldn't be read. Please reload the page and write it again."
    ]
    assert couple.registry.revisions.count() == revisions
    assert RegistryPage.objects.get(pk=couple.registry.pk).welcome == ""


def test_a_preview_of_a_welcome_message_the_editor_cannot_read_is_refused(client, couple):
    client.force_login(couple.user)
    client.raise_request_exception = False
    data = registry_edit_data(couple.registry, action=None)
    data["welcome"] = "not json"

    response = client.post(f"/admin/pages/{couple.registry.pk}/edit/preview/", data)

    assert response.status_code == 200
    assert json.loads(response.content)["is_valid"] is False
