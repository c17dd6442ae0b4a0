"""Who is a couple, and which admin URLs a couple may reach.

Couples are locked into an allow-list: every admin URL whose name is not on it answers 404 for
them (see `middleware.py`), whatever Wagtail's own permissions would let through. Object-level
checks (whose page, whose image) stay with Wagtail and with the hooks in `wagtail_hooks.py`; ids
posted to the registry editor by hand are checked there (`registries.forms.RegistryPageForm`).

Other apps let couples into their own admin views with a Wagtail hook, e.g. in `payments`:

    @hooks.register("register_couple_admin_urls")
    def couples_may_see_their_plan():
        return ["plan", "plan_checkout"]          # URL names, or "namespace:*" for a whole namespace

Each view still has to check that the object it shows belongs to the couple. Pages, photos and
registries named in the URL are checked before any view runs (`couple_may_see_objects`): another
couple's answers 404 exactly as an id that names nothing, where Wagtail would redirect with
"you do not have permission" and so confirm that it exists.
"""

from django.urls import Resolver404, resolve
from wagtail import hooks

from core.permissions import images_user_may_choose
from registries.selectors import couple_page_ids_in_sight, couple_registry_ids

COUPLE_ADMIN_URLS_HOOK = "register_couple_admin_urls"

# What a couple needs to edit, preview, publish and look after their registry and their photos.
COUPLE_ADMIN_URL_NAMES = frozenset(
    {
        # Signing in and out, their own account, and the admin's plumbing.
        "wagtailadmin_home",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_account",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "wagtailadmin_dismissibles",
        "wagtailadmin_block_preview",
        "wagtailadmin_editing_sessions:*",
        # Their registry page: Wagtail checks it is theirs; the explorer starts at it.
        "wagtailadmin_explore_root",
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:history_results",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:revisions_compare",
        "wagtailadmin_pages:revisions_unschedule",
        "wagtailadmin_pages:search",
        "wagtailadmin_pages:search_results",
        # The explorer's side panel reads the pages API; its actions (publish, move, revert...) are not
        # for couples: they publish from their editor, which checks what they publish.
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_api:pages:detail",
        "wagtailadmin_api:pages:find",
        # Links in rich text (the page chooser is narrowed to their own registry).
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_choose_page_external_link",
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_anchor_link",
        # Their photos: Wagtail limits them to their own collection.
        "wagtailimages:*",
        "wagtailimages_chooser:*",
        "wagtailadmin_api:images:*",
    }
)


def couple_admin_url_names() -> frozenset[str]:
    """The allow-list: ours plus whatever other apps register through the hook."""
    names = set(COUPLE_ADMIN_URL_NAMES)
    for hook in hooks.get_hooks(COUPLE_ADMIN_URLS_HOOK):
        names.update(hook())
    return frozenset(names)


def couple_may_reach(url_name: str | None) -> bool:
    if not url_name:
        return False
    allowed = couple_admin_url_names()
    if url_name in allowed:
        return True
    namespace = url_name.rpartition(":")[0]
    while namespace:
        if f"{namespace}:*" in allowed:
            return True
        namespace = namespace.rpartition(":")[0]
    return False


def couple_may_reach_path(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return couple_may_reach(match.view_name if match.url_name else None)


# URL parameters that name a page, a photo or a registry. `pk` names whatever its namespace is about.
_PARAMETERS = {"page": {"page_id", "parent_page_id"}, "image": {"image_id"}, "registry": {"registry_id"}}
_PK_IN_NAMESPACE = {
    "wagtailadmin_pages": "page",
    "wagtailadmin_api:pages": "page",
    "wagtailimages": "image",
    "wagtailimages_chooser": "image",
    "wagtailadmin_api:images": "image",
}


def _ids_named(url_name: str, kwargs: dict, kind: str) -> set[int]:
    names = set(_PARAMETERS[kind])
    if _PK_IN_NAMESPACE.get(url_name.rpartition(":")[0]) == kind:
        names.add("pk")
    return {int(value) for name, value in kwargs.items() if name in names and str(value).isdigit()}


def couple_may_see_objects(user, url_name: str, kwargs: dict) -> bool:
    """Whether every page, photo and registry the URL names is the couple's own (or a page above theirs)."""
    pages = _ids_named(url_name, kwargs, "page")
    if pages and not pages <= couple_page_ids_in_sight(user):
        return False
    registries = _ids_named(url_name, kwargs, "registry")
    if registries and not registries <= couple_registry_ids(user):
        return False
    images = _ids_named(url_name, kwargs, "image")
    return not images or images_user_may_choose(user).filter(pk__in=images).count() == len(images)
