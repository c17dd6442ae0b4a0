"""Changing or resetting a password signs the account out everywhere else."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from accounts.factories import make_couple

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a-brand-new-stapler-horse"


def logged_in_client(client_class, email, password=PASSWORD):
    client = client_class()
    assert client.post("/admin/login/", {"username": email, "password": password}).status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def form_fields(response, form_selector="form") -> dict:
    """What the browser would send back: every named field of the form, as filled in."""
    form = BeautifulSoup(response.content, "html.parser").select_one(form_selector)
    fields = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            fields[field["name"]] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                fields[field["name"]] = field.get("value", "on")
        elif field.name == "textarea":
            fields[field["name"]] = field.text
        elif field.get("type") != "file":
            fields[field["name"]] = field.get("value", "")
    return fields


@pytest.mark.django_db
def test_a_couple_can_save_their_account_page_without_a_last_name(client):
    user = make_couple("Ada", "Grace").user
    laptop = logged_in_client(type(client), user.email)
    fields = form_fields(laptop.get("/admin/account/"), "form[method=post]")
    fields["name_email-first_name"] = "Ada Lovelace"
    assert fields["name_email-last_name"] == ""

    assert laptop.post("/admin/account/", fields).status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Ada Lovelace"


@pytest.mark.django_db
def test_changing_the_password_signs_out_other_devices_and_keeps_this_one(client):
    user = make_couple("Ada", "Grace").user
    laptop = logged_in_client(type(client), user.email)
    phone = logged_in_client(type(client), user.email)

    fields = form_fields(laptop.get("/admin/account/"), "form[method=post]")
    fields.update(
        {
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        }
    )
    assert laptop.post("/admin/account/", fields).status_code == 302

    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert logged_in_client(type(client), user.email, NEW_PASSWORD)


@pytest.mark.django_db
def test_resetting_a_forgotten_password_signs_out_every_session(client, django_capture_on_commit_callbacks):
    user = make_couple("Ada", "Grace").user
    left_signed_in = logged_in_client(type(client), user.email)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/password_reset/", {"email": user.email})
    (email,) = [message for message in mail.outbox if user.email in message.to]
    link = re.search(r"https?://\S+/password_reset/confirm/\S+", email.body).group(0)
    set_password = client.get(link, follow=True)
    assert set_password.status_code == 200
    done = client.post(
        set_password.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302

    assert not is_signed_in(left_signed_in)
    assert logged_in_client(type(client), user.email, NEW_PASSWORD)
