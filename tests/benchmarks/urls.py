"""The site's own URLs, plus what the benchmark compares them with. Never part of the deployed site."""

import os

from django.http import HttpResponse
from django.urls import path
from wagtail.views import serve

from home.caching import cache_version_bump, registry_scope
from registries.models import RegistryPage
from whispergifts.urls import urlpatterns as site_urlpatterns

REFERENCE_BYTES = int(os.environ.get("BENCH_REFERENCE_BYTES", "50000"))


def minimal(request):
    """The least Django can do: the same number of bytes as the registry page, from a view."""
    return HttpResponse(b"x" * REFERENCE_BYTES, content_type="text/html; charset=utf-8")


def registry_right_after_a_reservation(request, slug):
    """A reservation's cache bump, then the registry page exactly as the next guest gets it.

    The load generator adds a unique query string, so the page cache misses as it does after a real reservation.
    """
    if slug not in _registry_ids:
        _registry_ids[slug] = RegistryPage.objects.values_list("pk", flat=True).get(slug=slug)
    cache_version_bump(registry_scope(_registry_ids[slug]))
    return serve(request, f"registries/{slug}/")


_registry_ids: dict[str, int] = {}


urlpatterns = [
    path("__bench__/minimal/", minimal),
    path("__bench__/after-reservation/<slug:slug>/", registry_right_after_a_reservation),
    *site_urlpatterns,
]
