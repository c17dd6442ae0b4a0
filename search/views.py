from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from core.caching import (
    REGISTRY_CACHE_CONTROL,
    REGISTRY_DIRECTORY_SCOPE,
    SITE_SCOPE,
    page_cache_policy,
    page_cache_quota,
)

from .forms import FindCoupleForm
from .selectors import couple_cards, registries_matching, staff_pages_matching

RESULTS_PER_PAGE = 20
# Any couple publishing changes the directory, so a stored search soon stops being current anyway. With the
# quota, the pages that free-text queries can store at once stay around 2 x 500 x 20 kB: 20 MB at worst.
SEARCH_PAGE_CACHE_TIMEOUT = 60 * 10
SEARCH_PAGES_STORED_PER_PERIOD = 500


@require_GET
def search(request):
    """Find a couple by name (and, optionally, when and where they marry), plus matching pages from our site.

    Only listed registries are ever returned: unlisted and password-protected ones are reached by their link.
    Anonymous searches are stored whole while no registry, marketing page or view restriction changes.
    """
    form = FindCoupleForm(request.GET or None)
    versions = page_cache_policy(
        request,
        cache_control=REGISTRY_CACHE_CONTROL,  # results change as couples list or unlist themselves
        scopes=[SITE_SCOPE, REGISTRY_DIRECTORY_SCOPE],
        storable_query=form.is_canonical_query(request.GET)
        and page_cache_quota("search", limit=SEARCH_PAGES_STORED_PER_PERIOD, period=SEARCH_PAGE_CACHE_TIMEOUT),
        timeout=SEARCH_PAGE_CACHE_TIMEOUT,
    )
    context = {"form": form, "searched": form.has_search, "cache_versions": versions}
    if form.has_search:
        data = form.cleaned_data
        couples = Paginator(
            registries_matching(name=data["query"], place=data["place"], month=data["month"], year=data["year"]),
            RESULTS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        context.update(
            couples=couples,
            couple_cards=couple_cards(couples, request=request, site_version=versions[SITE_SCOPE]),
            pages=staff_pages_matching(query=data["query"]) if data["query"] else [],
            paging_query=_paging_query(request),
        )
    return TemplateResponse(request, "search/search.html", context)


def _paging_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
