"""The favicon browsers ask for, the footer on guests' registry pages, and a search with nothing typed."""

from types import SimpleNamespace

from bs4 import BeautifulSoup
from wagtail.models import Site

from core.factories import link_value
from home.models import SiteChrome
from registries.factories import RegistryPageFactory, gift
from tests import conftest as our_conftest


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_every_page_links_its_icon(client, db):
    soup = BeautifulSoup(client.get("/search/").content, "html.parser")

    assert soup.select_one('link[rel="icon"]')["href"].endswith("favicon.svg")


def test_guests_on_a_registry_page_get_no_admin_link_in_the_footer(client, db):
    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.footer_links = [("link", link_value("Admin", url="/admin/")), ("link", link_value("FAQ", url="/faq/"))]
    chrome.save()
    registry = RegistryPageFactory(gifts=[gift(title="Sofa")])

    on_registry = [a.text for a in BeautifulSoup(client.get(registry.url).content, "html.parser").select("footer a")]
    elsewhere = [a.text for a in BeautifulSoup(client.get("/search/").content, "html.parser").select("footer a")]

    assert on_registry == ["FAQ"]
    assert elsewhere == ["Admin", "FAQ"]


def test_an_empty_search_explains_what_to_type(client, db):
    text = client.get("/search/?query=").content.decode()

    assert "Type a name to search" in text
    assert "Type a name to search" not in client.get("/search/").content.decode()


def test_the_end_of_a_run_says_how_many_browser_tests_were_skipped_and_how_to_run_them():
    class Reporter:
        lines: list[str] = []
        stats = {
            "skipped": [
                SimpleNamespace(longrepr=("test_x.py", 3, "Skipped: needs Debian's chromium package")),
                SimpleNamespace(longrepr=("test_y.py", 3, "Skipped: needs Debian's chromium package")),
                SimpleNamespace(longrepr=("test_z.py", 3, "Skipped: not today")),
            ]
        }

        def section(self, title, **markup):
            self.lines.append(title)

        def write_line(self, line, **markup):
            self.lines.append(line)

    reporter = Reporter()
    our_conftest.pytest_terminal_summary(reporter, 0, None)

    assert reporter.lines[0] == "tests skipped for a missing service"
    assert reporter.lines[1].startswith("2 browser (e2e) tests skipped: install Debian's chromium package")
