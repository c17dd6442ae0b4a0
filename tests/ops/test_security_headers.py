"""Every response carries the security headers; the public site gets a strict policy, the admin a working one."""

import pytest

from accounts.factories import UserFactory
from registries.factories import RegistryPageFactory, gift, registry_index


def csp(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


@pytest.fixture
def registry(db):
    registry_index()
    return RegistryPageFactory(slug="alex-and-sam", gifts=[gift(title="Teapot")])


@pytest.fixture
def editor_client(client, db):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_public_pages_get_a_strict_policy_and_may_not_be_framed(client, registry):
    response = client.get("/registries/alex-and-sam/")

    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_admin_gets_the_inline_scripts_and_styles_it_needs(editor_client):
    response = editor_client.get("/admin/")

    assert response.status_code == 200
    policy = csp(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_login_page_works_under_the_admin_policy(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "'unsafe-inline'" in csp(response)["script-src"]


def test_editors_see_public_pages_under_the_admin_policy_for_the_userbar(editor_client, registry):
    response = editor_client.get("/registries/alex-and-sam/")

    assert b"wagtail-userbar" in response.content
    assert "'unsafe-inline'" in csp(response)["script-src"]
    assert csp(response)["frame-ancestors"] == "'none'"


def test_the_admin_preview_may_be_framed_by_the_admin_only(editor_client, registry):
    response = editor_client.get(f"/admin/pages/{registry.pk}/edit/preview/")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(response)["frame-ancestors"] == "'self'"


def test_each_response_names_its_request_id(client, db):
    first = client.get("/healthz")
    second = client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_request_id_from_nginx_is_kept_and_garbage_is_replaced(client, db):
    from_nginx = client.get("/healthz", headers={"X-Request-ID": "0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"})
    garbage = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert from_nginx["X-Request-ID"] == "0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"
    assert garbage["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(garbage["X-Request-ID"]) == 32
