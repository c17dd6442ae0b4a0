from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Registries are never listed here by address: an unlisted one named in robots.txt would be found by reading it.
ROBOTS_DISALLOWED = ["/admin/", "/reservations/", "/search/", "/documents/"]


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the pages say; the icon is the SVG every page links to.
    return HttpResponsePermanentRedirect(static("favicon.svg"))
