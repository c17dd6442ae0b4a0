"""What search engines are told: public pages and listed registries; never an unlisted or protected one."""

import re

import pytest
from wagtail.models import PageViewRestriction

from marketing.factories import MarketingPageFactory
from registries.factories import RegistryPageFactory
from registries.models import RegistryPage


@pytest.mark.django_db
def test_sitemap_lists_public_pages_and_listed_registries_only(client):
    MarketingPageFactory(slug="pricing")
    RegistryPageFactory(slug="listed", visibility=RegistryPage.Visibility.LISTED)
    RegistryPageFactory(slug="unlisted")
    protected = RegistryPageFactory(slug="protected", visibility=RegistryPage.Visibility.PASSWORD)
    PageViewRestriction.objects.create(page=protected, restriction_type="password", password="x")
    listed_but_locked = RegistryPageFactory(slug="locked", visibility=RegistryPage.Visibility.LISTED)
    PageViewRestriction.objects.create(page=listed_but_locked, restriction_type="password", password="x")

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    locations = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", body)
    assert {"/", "/pricing/", "/registries/listed/"} <= set(locations)
    for hidden in ("unlisted", "protected", "locked"):
        assert hidden not in body


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_names_no_registry(client):
    RegistryPageFactory(slug="unlisted-couple")
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /reservations/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "unlisted-couple" not in response.content.decode()


@pytest.mark.django_db
def test_listed_registries_may_be_indexed_unlisted_ones_may_not(client):
    listed = RegistryPageFactory(slug="listed", visibility=RegistryPage.Visibility.LISTED)
    unlisted = RegistryPageFactory(slug="unlisted")
    assert b'name="robots"' not in client.get(listed.url).content
    assert b'<meta name="robots" content="noindex">' in client.get(unlisted.url).content
