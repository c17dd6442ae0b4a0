"""Wagtail's chooser URLs, shadowed (listed before the admin's) where they need more than the hooks.

The chooser queryset hook narrows listings, but two page chooser views take page ids straight from
the URL; and the external link step trusts its form and matches any URL to a page.
"""

from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser

from registries.selectors import couple_page_ids_in_sight, is_couple

from .forms import ExternalLinkForm


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


class ExternalLinkView(chooser.ExternalLinkView):
    """Wagtail's "external link" step: a post without a URL asks for one instead of failing.

    For couples a URL stays an external link: turning it into a page link, as Wagtail does when the
    URL routes to a page, answers with that page's id and draft title, even another couple's.
    """

    form_class = ExternalLinkForm

    def post(self, request):
        if is_couple(request.user):
            return chooser.BaseLinkFormView.post(self, request)
        return super().post(request)


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
    path(
        "choose-external-link/",
        require_admin_access(ExternalLinkView.as_view()),
        name="wagtailadmin_choose_page_external_link",
    ),
]
