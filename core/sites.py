"""The Wagtail site (and its home page) of a request without a query: each worker keeps them per site version.

Wagtail looks the site up for every page it routes (one query) and then loads the home page (another)
before routing starts. Both change only with what bumps the site scope (a `Site` saved or deleted, the
home page published, unpublished or moved), so the lookup is kept under that scope's version: one small
round-trip to the cache instead of two queries. Every request gets its own copies, unpickled from the
worker's snapshot, so nothing a request sets on them is seen by another.
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.views import serve as wagtail_serve

from .caching import SITE_SCOPE, worker_snapshot

# Where `Site.find_for_request` keeps the request's site (its docstring says so; Wagtail has no public setter).
# tests/core/test_sites.py fails if an upgrade moves it: then set the site the way the new Wagtail reads it,
# or drop this middleware (routing costs two more queries a page, nothing breaks).
WAGTAIL_REQUEST_SITE_ATTRIBUTE = "_wagtail_site"


class SiteMiddleware:
    """For pages Wagtail serves, sets the request's site the way `Site.find_for_request` would, from the snapshot."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            setattr(request, WAGTAIL_REQUEST_SITE_ATTRIBUTE, site_for_request(request))


def site_for_request(request) -> Site | None:
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()
    return worker_snapshot(f"site:{hostname}:{port}", [SITE_SCOPE], lambda: _site_with_its_root(hostname, port))


def _site_with_its_root(hostname: str, port: str) -> Site | None:
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    site.root_page = site.root_page.specific  # what Wagtail's routing asks of it next
    return site
