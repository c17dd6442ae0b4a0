"""The Wagtail site (and its home page) of a request without a query: each worker keeps them per site version.

Wagtail looks the site up for every page it routes (one query) and then loads the home page (another)
before routing starts. Both change only with what bumps the site scope (a `Site` saved or deleted, the
home page published, unpublished or moved), so the lookup is kept under that scope's version: one small
round-trip to the cache instead of two queries. Every request gets its own copies, unpickled from the
worker's snapshot, so nothing a request sets on them is seen by another.
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from .caching import SITE_SCOPE, worker_snapshot


class SiteMiddleware:
    """For pages Wagtail serves, sets the request's site the way `Site.find_for_request` would, from the snapshot."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            request._wagtail_site = site_for_request(request)


def site_for_request(request) -> Site | None:
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()
    return worker_snapshot(f"site:{hostname}:{port}", [SITE_SCOPE], lambda: _site_with_its_root(request))


def _site_with_its_root(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific  # what Wagtail's routing asks of it next
    return site
