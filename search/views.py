from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from home.caching import REGISTRY_CACHE_CONTROL

from .forms import FindCoupleForm
from .selectors import registries_matching, staff_pages_matching, with_thumbnails

RESULTS_PER_PAGE = 20


@require_GET
def search(request):
    """Find a couple by name (and, optionally, when and where they marry), plus matching pages from our site.

    Only listed registries are ever returned: unlisted and password-protected ones are reached by their link.
    """
    form = FindCoupleForm(request.GET or None)
    context = {"form": form, "searched": form.has_search}
    if form.has_search:
        data = form.cleaned_data
        couples = Paginator(
            registries_matching(name=data["query"], place=data["place"], month=data["month"], year=data["year"]),
            RESULTS_PER_PAGE,
        ).get_page(request.GET.get("page"))
        couples.object_list = with_thumbnails(couples.object_list)
        context.update(
            couples=couples,
            pages=staff_pages_matching(query=data["query"]) if data["query"] else [],
            paging_query=_paging_query(request),
        )
    response = TemplateResponse(request, "search/search.html", context)
    response["Cache-Control"] = REGISTRY_CACHE_CONTROL  # results change as couples list or unlist themselves
    return response


def _paging_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
