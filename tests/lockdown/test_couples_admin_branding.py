"""The couple's admin is WhisperGifts' own: branded, without the parts of Wagtail couples can't use.
Staff keep all of it."""

import pytest
from bs4 import BeautifulSoup

from accounts.factories import UserFactory, make_couple


@pytest.fixture
def couple(db):
    return make_couple("Alex", "Sam")


@pytest.fixture
def staff(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


def _edit_page(client, user, registry):
    client.force_login(user)
    return client.get(f"/admin/pages/{registry.pk}/edit/").content.decode()


def test_a_couples_dashboard_has_no_site_summary_or_editor_guide(client, couple):
    client.force_login(couple.user)

    text = client.get("/admin/").content.decode()

    assert "Site summary" not in text
    assert "Editor Guide" not in text and "guide.wagtail.org" not in text


def test_staff_keep_the_site_summary_and_the_editor_guide(client, staff, couple):
    client.force_login(staff)

    text = client.get("/admin/").content.decode()

    assert "Site summary" in text
    assert "guide.wagtail.org" in text


def test_the_admin_is_branded_whispergifts_not_wagtail(client, couple):
    client.force_login(couple.user)

    page = client.get("/admin/")
    soup = BeautifulSoup(page.content, "html.parser")

    assert soup.title.text.strip().endswith("WhisperGifts")
    assert b"<template data-wagtail-sidebar-branding-logo><img data-whispergifts-logo" in page.content
    assert soup.select_one('link[rel="shortcut icon"], link[rel="icon"]')["href"].endswith("favicon.svg")


def test_the_login_page_welcomes_couples_to_whispergifts(client, db):
    text = client.get("/admin/login/").content.decode()

    assert "Sign in to WhisperGifts" in text
    assert "Sign in to Wagtail" not in text


def test_a_couple_edits_their_address_without_a_promote_tab(client, couple):
    text = _edit_page(client, couple.user, couple.registry)

    soup = BeautifulSoup(text, "html.parser")
    tabs = [tab.get_text(strip=True).split("(")[0] for tab in soup.select("[role=tab]")]
    assert "Promote" not in tabs and "Content" in tabs
    assert soup.select_one('input[name="slug"]') is not None
    assert soup.select_one('input[name="seo_title"]') is None


def test_staff_keep_the_promote_tab(client, staff, couple):
    soup = BeautifulSoup(_edit_page(client, staff, couple.registry), "html.parser")

    assert "Promote" in [tab.get_text(strip=True).split("(")[0] for tab in soup.select("[role=tab]")]
    assert soup.select_one('input[name="seo_title"]') is not None
    assert soup.select_one('input[name="slug"]') is not None
