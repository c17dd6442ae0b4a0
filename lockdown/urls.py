"""Wagtail's page chooser URLs, shadowed (listed before the admin's) to refuse couples other pages.

The chooser queryset hook narrows listings, but these two take page ids straight from the URL.
"""

from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser

from .access import couple_page_ids_in_sight, is_couple


def _refuse_unseen_pages(view, page_ids_from_request):
    @require_admin_access  # as the admin's own URLs are: these sit outside its include
    def guarded(request, *args, **kwargs):
        if is_couple(request.user):
            try:
                requested = {int(pk) for pk in page_ids_from_request(request, kwargs)}
            except ValueError as error:
                raise Http404 from error
            if not requested <= couple_page_ids_in_sight(request.user):
                raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return guarded


urlpatterns = [
    path(
        "choose-page/<int:parent_page_id>/",
        _refuse_unseen_pages(chooser.BrowseView.as_view(), lambda request, kwargs: [kwargs["parent_page_id"]]),
        name="wagtailadmin_choose_page_child",
    ),
    path(
        "choose-page/chosen-multiple/",
        _refuse_unseen_pages(chooser.ChosenMultipleView.as_view(), lambda request, kwargs: request.GET.getlist("id")),
        name="wagtailadmin_choose_page_chosen_multiple",
    ),
]
