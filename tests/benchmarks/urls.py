"""The site's own URLs, plus the minimal view the benchmark compares them with. Never part of the deployed site."""

import os

from django.http import HttpResponse
from django.urls import path

from whispergifts.urls import urlpatterns as site_urlpatterns

REFERENCE_BYTES = int(os.environ.get("BENCH_REFERENCE_BYTES", "50000"))


def minimal(request):
    """The least Django can do: the same number of bytes as the registry page, from a view."""
    return HttpResponse(b"x" * REFERENCE_BYTES, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("__bench__/minimal/", minimal),
    *site_urlpatterns,
]
