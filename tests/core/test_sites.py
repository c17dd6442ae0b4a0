"""What our routing shortcuts rely on in Wagtail: each test names what to do if an upgrade breaks it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from core.sites import WAGTAIL_REQUEST_SITE_ATTRIBUTE, SiteMiddleware, site_for_request
from registries.factories import RegistryPageFactory


@pytest.mark.django_db
def test_wagtail_takes_the_request_site_our_middleware_sets_without_a_query(rf, django_assert_num_queries):
    request = rf.get("/")
    site = site_for_request(request)
    SiteMiddleware(lambda request: None).process_view(request, wagtail_serve, (), {})

    with django_assert_num_queries(0):
        found = Site.find_for_request(request)
    assert found == site, (
        f"Wagtail no longer reads the request's site from request.{WAGTAIL_REQUEST_SITE_ATTRIBUTE}: "
        "update core/sites.py (see WAGTAIL_REQUEST_SITE_ATTRIBUTE)"
    )


@pytest.mark.django_db
def test_the_site_kept_per_worker_is_the_one_wagtail_would_find(rf, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "gifts.example.com"]
    other = Site.objects.create(hostname="gifts.example.com", port=80, root_page=Page.objects.get(depth=2))
    for host, expected in (("testserver", Site.objects.get(is_default_site=True)), ("gifts.example.com", other)):
        ours = site_for_request(rf.get("/", HTTP_HOST=host))
        assert ours == Site.find_for_request(rf.get("/", HTTP_HOST=host)) == expected
        assert ours.root_page.specific_class is type(ours.root_page)  # routing needs no further query


@pytest.mark.django_db
def test_wagtail_keeps_the_route_it_found_so_the_timing_log_names_the_page_without_a_query(
    rf, django_assert_num_queries
):
    registry = RegistryPageFactory()
    request = rf.get(registry.url)
    request.user = AnonymousUser()
    wagtail_serve(request, registry.url.lstrip("/"))

    with django_assert_num_queries(0):
        route = Page.route_for_request(request, request.path_info)
    assert route is not None and route[0].pk == registry.pk, (
        "Page.route_for_request no longer returns the route Wagtail found while serving: "
        "ops.middleware.view_name would route every page twice"
    )
