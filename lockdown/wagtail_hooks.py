"""The admin, narrowed for couples: each hook closes one way another couple's data showed through.

The URL allow-list (`access.py`, enforced by `middleware.py`) keeps couples out of whole views;
these hooks narrow the views couples do reach, and keep staff moves and copies inside the rules.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.views.pages.listing import EditedByFilter, GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page, PageLogEntry

from core.permissions import images_user_may_choose
from registries.selectors import couple_page_ids_in_sight, couple_registry_ids, is_couple

from .access import couple_may_reach_path


def _pages_visible_to(user):
    """Pages whose owners and editors `user` may see in filters: a couple's own registry, else all."""
    if is_couple(user):
        return Page.objects.filter(pk__in=couple_registry_ids(user))
    return Page.objects.all()


def _page_owners(request):
    owner_ids = _pages_visible_to(request.user).order_by().values_list("owner_id", flat=True)
    return get_user_model().objects.filter(pk__in=owner_ids)


def _page_editors(request):
    editor_ids = (
        PageLogEntry.objects.filter(action="wagtail.edit", page__in=_pages_visible_to(request.user))
        .order_by()
        .values_list("user_id", flat=True)
    )
    return get_user_model().objects.filter(pk__in=editor_ids)


class OwnPagesFilterSet(GenericPageFilterSet):
    """The explorer's "Owner" and "Edited by" choices, without other couples' names."""

    owner = MultipleUserFilter(label="Owner", queryset=_page_owners, widget=CheckboxSelectMultiple)
    edited_by = EditedByFilter(label="Edited by", queryset=_page_editors, widget=CheckboxSelectMultiple)


class LockedDownPageViewSet(PageViewSet):
    model = Page
    filterset_class = OwnPagesFilterSet


@hooks.register("register_admin_viewset", order=1)
def register_locked_down_page_viewset():
    # Registered after Wagtail's own (order=-1), so the explorer uses these filters.
    return LockedDownPageViewSet()


@hooks.register("construct_main_menu")
def couples_see_only_what_they_may_reach(request, menu_items):
    if is_couple(request.user):
        menu_items[:] = [item for item in menu_items if item.url and couple_may_reach_path(item.url)]


@hooks.register("construct_reports_menu")
def couples_see_no_reports(request, menu_items):
    # Hidden here and blocked by the URL allow-list: hiding a menu item does not block its URL.
    if is_couple(request.user):
        menu_items[:] = []


@hooks.register("construct_homepage_summary_items", order=1000)
def couples_see_no_site_summary(request, summary_items):
    # Last, after the apps that add their own counts: a couple's "site" is their one registry.
    if is_couple(request.user):
        summary_items[:] = []


def _is_wagtails_own_help(item) -> bool:
    # Wagtail's guide and release notes are for editors of a whole site, not for couples.
    return item.name == "editor-guide" or item.name.startswith("whats-new")


@hooks.register("construct_help_menu")
def couples_get_no_wagtail_editor_guide(request, menu_items):
    if is_couple(request.user):
        menu_items[:] = [item for item in menu_items if not _is_wagtails_own_help(item)]


@hooks.register("construct_page_chooser_queryset")
def couples_choose_only_their_registry(pages, request):
    if is_couple(request.user):
        return pages.filter(pk__in=couple_page_ids_in_sight(request.user))
    return pages


@hooks.register("construct_explorer_page_queryset")
def couples_explore_only_their_registry(parent_page, pages, request):
    if is_couple(request.user):
        return pages.filter(pk__in=couple_registry_ids(request.user))
    return pages


@hooks.register("before_move_page")
def move_only_where_allowed(request, page, destination):
    # The move confirmation page names the page for any id; refuse before it renders.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API lists only the images the user may choose (a couple: their own collection)."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_user_may_choose(self.request.user).values("pk"))


@hooks.register("construct_admin_api", order=1)
def register_choosable_images_api(router):
    router.register_endpoint("images", ChoosableImagesAPIViewSet)


@hooks.register("after_edit_page")
def couples_stay_in_their_registry_editor(request, page):
    # Wagtail goes back to the explorer after publishing; for a couple that is a page listing of one.
    if is_couple(request.user):
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
