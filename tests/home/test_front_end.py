"""A guest's phone downloads little: all CSS and JavaScript on a guest page stay under 50 KB compressed."""

import gzip

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from marketing.factories import MarketingPageFactory
from registries.factories import RegistryPageFactory, gift

BUDGET_BYTES = 50 * 1024


def _assets(html: bytes) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    urls = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    urls += [script["src"] for script in soup.select("script[src]")]
    assert all(url.startswith("/static/") for url in urls), urls  # nothing from a CDN
    return urls


@pytest.mark.django_db
def test_css_and_js_on_guest_pages_stay_under_50_kb_compressed(client):
    registry = RegistryPageFactory(gifts=[gift()])
    MarketingPageFactory(slug="pricing", body=[("pricing_table", {"heading": "Pricing"})])
    for path in (
        "/",
        "/pricing/",
        registry.url,
        registry.url + f"reserve/{registry.gifts[0].id}/",
        "/search/?query=a",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        total = 0
        for url in _assets(response.content):
            with open(finders.find(url.removeprefix("/static/")), "rb") as asset:
                total += len(gzip.compress(asset.read()))
        assert 0 < total < BUDGET_BYTES, path


@pytest.mark.django_db
def test_guest_pages_need_no_javascript_and_load_only_our_deferred_enhancement(client):
    # That the gift list works with JavaScript off is shown in Chromium (tests/e2e/test_registry_paging.py).
    registry = RegistryPageFactory(gifts=[gift()])
    soup = BeautifulSoup(client.get(registry.url).content, "html.parser")
    scripts = [(script.get("src"), script.has_attr("defer"), script.string) for script in soup.select("script")]
    assert scripts == [("/static/js/registry.js", True, None)]
    assert soup.select_one('meta[name="viewport"]')["content"] == "width=device-width, initial-scale=1"
