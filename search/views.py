from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from registries.models import RegistryPage

MAX_QUERY_LENGTH = 100


def search(request):
    """Site search over public pages.

    Registries are private by default: they are reached by the link the couple shares, never found here.
    """
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.live().public().not_type(RegistryPage).search(query) if query else Page.objects.none()

    paginator = Paginator(results, 10)
    try:
        results_page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        results_page = paginator.page(1)
    except EmptyPage:
        results_page = paginator.page(paginator.num_pages)

    return TemplateResponse(request, "search/search.html", {"search_query": query, "search_results": results_page})
