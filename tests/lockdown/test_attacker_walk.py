"""Every admin URL, tried by an attacker: couple A, a marketing editor and an anonymous visitor
go after couple B's page, revisions, photo, collection, reservations and account.

The URLs come from the resolver, not from a hand-written list, so a new admin view is walked as
soon as it exists. A new URL parameter the walk cannot fill fails the test until it is mapped
below.
"""

import json
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry

from accounts.factories import UserFactory, make_couple
from lockdown.access import couple_may_reach
from registries.factories import gift, make_image, publish_gifts, reserve
from registries.models import OutsideGift, RegistryPage, Reservation
from tests.registries.editor import page_link, registry_edit_data

# Words that belong to couple B alone: none may appear in anything A or anonymous visitors get.
B_SECRETS = (
    "bartholomew",  # B's first name, registry title, collection name, group name
    "quentin",  # B's partner
    "zebedee",  # B's last name
    "bartholomew-and-quentin",  # B's slug and email address
    "hatbox",  # B's photo's title
    "wilhelmina",  # the guest who reserved one of B's gifts
    "ottoline",  # a gift B noted by hand
)

# URL parameters that name no object of anybody's: filled with fixed values.
FIXED_PARAMETERS = {
    "filter_spec": "original",
    "size": "insert",
    "file_format": "png",
    "uidb64": "MQ",
    "token": "set-password",
    "action": "delete",
    "action_name": "approve",
}
# Kinds of object a couple never has (workflows are switched off, uploads are transient, couples
# have no documents or redirects): walked with an id that does not exist, and must refuse cleanly.
NONEXISTENT_OBJECT_PARAMETERS = {
    "task_state_id",
    "workflow_state_id",
    "task_id",
    "workflow_pk",
    "uploaded_file_id",
    "document_id",
    "doc_id",
    "redirect_id",
}
NONEXISTENT_ID = 987654

# URLs that take no object id and that a couple may open: all other such URLs must refuse them.
# Each still has to show nothing of couple B.
COUPLE_MAY_OPEN = {
    "wagtailadmin_home": "their dashboard",
    "couple_plan": "their package and upgrades (payments)",
    "couple_plan_upgrade": "an order for their own registry (payments)",
    "couple_email_settings_index": "their email settings (registries)",
    "couple_account:index": "their account & sharing page: partner invitation (accounts)",
    "couple_account:export": "download their own data (accounts)",
    "couple_account:delete": "delete their own account, after their password (accounts)",
    "couple_account:payment_details": "where guests pay them for funds and group gifts (accounts)",
    "wagtailadmin_login": "redirects them on, they are signed in",
    "wagtailadmin_logout": "GET is refused (405); signing out is a POST",
    "wagtailadmin_password_reset": "forgotten password",
    "wagtailadmin_password_reset_done": "forgotten password",
    "wagtailadmin_password_reset_confirm": "forgotten password (the token is not an object id)",
    "wagtailadmin_password_reset_complete": "forgotten password",
    "wagtailadmin_account": "their own account",
    "wagtailadmin_javascript_catalog": "translations for the admin's scripts",
    "wagtailadmin_sprite": "icons",
    "wagtailadmin_dismissibles": "remembers dismissed tips",
    "wagtailadmin_block_preview": "previews a StreamField block from the data it is sent",
    "wagtailadmin_explore_root": "redirects to their registry",
    "wagtailadmin_pages:search": "admin page search, narrowed to their registry",
    "wagtailadmin_pages:search_results": "admin page search, narrowed to their registry",
    "wagtailadmin_api:pages:listing": "explorer side panel",
    "wagtailadmin_api:pages:find": "explorer side panel",
    "wagtailadmin_api:images:listing": "images they may choose",
    "wagtailadmin_api:images:find": "images they may choose",
    "wagtailadmin_choose_page": "link chooser, narrowed to their registry",
    "wagtailadmin_choose_page_search": "link chooser, narrowed to their registry",
    "wagtailadmin_choose_page_chosen_multiple": "link chooser (ids come in the query string, tried below)",
    "wagtailadmin_choose_page_external_link": "link chooser",
    "wagtailadmin_choose_page_email_link": "link chooser",
    "wagtailadmin_choose_page_phone_link": "link chooser",
    "wagtailadmin_choose_page_anchor_link": "link chooser",
    "wagtailimages:index": "their photos",
    "wagtailimages:index_results": "their photos",
    "wagtailimages:add": "upload a photo",
    "wagtailimages:add_multiple": "upload photos",
    "wagtailimages_chooser:choose": "photo chooser, their collection",
    "wagtailimages_chooser:choose_results": "photo chooser, their collection",
    "wagtailimages_chooser:chosen_multiple": "photo chooser (ids come in the query string, tried below)",
    "wagtailimages_chooser:create": "upload from the chooser",
    "registries_reservations:index": "takes them to their own reservations",
    "registry_card": "the card for their own invitations",
    "registry_card_download": "the card for their own invitations (size and format are not object ids)",
}

# URLs that take an object id yet answer 200 without touching or showing anyone else's object.
HARMLESS_FOR_ANY_ID = {
    "wagtailadmin_editing_sessions:release": "deletes the requester's own session of that id, if any; answers {}",
}

# Listings, searches and choosers asked about B by id, or by words of B's registry ("garden") and
# photo ("big") that are not secrets themselves, since search pages repeat the query.
PROBES = (
    "/admin/pages/search/?q=garden",
    "/admin/pages/search/results/?q=garden",
    "/admin/choose-page/?q=garden",
    "/admin/choose-page/search/?q=garden",
    "/admin/choose-page/?user_perms=move_to",
    "/admin/choose-page/?user_perms=copy_to",
    "/admin/choose-page/chosen-multiple/?id={page}",
    "/admin/choose-page/{index}/",
    "/admin/api/main/pages/?child_of={index}&for_explorer=1",
    "/admin/api/main/pages/?search=garden",
    "/admin/api/main/pages/?type=registries.RegistryPage&fields=*",
    "/admin/api/main/images/?fields=*",
    "/admin/api/main/images/?search=big",
    "/admin/images/?q=big",
    "/admin/images/chooser/?q=big",
    "/admin/images/chooser/results/?q=big",
    "/admin/images/chooser/chosen-multiple/?id={image}",
    "/admin/pages/?owner={user}",
    "/admin/pages/{index}/",
    "/admin/pages/{index}/?q=garden",
    "/admin/bulk/wagtailcore/page/delete/?id={page}",
    "/admin/bulk/wagtailcore/page/unpublish/?id={page}",
    "/admin/bulk/wagtailcore/page/move/?id={page}",
    "/admin/bulk/wagtailimages/image/delete/?id={image}",
    "/admin/tag-autocomplete/?term=",
    "/admin/reports/site-history/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/workflow/",
    "/admin/reports/aging-pages/",
    "/admin/reports/locked/",
)


@dataclass
class CoupleB:
    user: object
    group: object
    registry: RegistryPage
    collection: Collection
    image: object
    revision_id: int
    reservation: Reservation
    outside_gift: OutsideGift
    editing_session: EditingSession
    index: Page
    order: object
    forwarding: Redirect


@dataclass(frozen=True)
class AdminURL:
    name: str
    parameters: tuple[str, ...]

    @property
    def takes_object_id(self) -> bool:
        return any(p not in FIXED_PARAMETERS and not _names_a_model(p) for p in self.parameters) or (
            self.name == "wagtail_bulk_action"
        )


def _names_a_model(parameter: str) -> bool:
    return parameter in {"app_label", "model_name", "app_name", "content_type_app_name", "content_type_model_name"}


def _parameter_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def admin_urls() -> list[AdminURL]:
    """Every named URL under the admin's prefix, with the parameters it takes, from the resolver."""
    admin_prefix = reverse("wagtailadmin_home").lstrip("/")
    found: dict[str, AdminURL] = {}

    def walk(resolver, route, namespace, parameters):
        for entry in resolver.url_patterns:
            entry_route = route + str(entry.pattern)
            entry_parameters = parameters + _parameter_names(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry_route.startswith(admin_prefix) or admin_prefix.startswith(entry_route):
                    inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                    walk(entry, entry_route, inner, entry_parameters)
            elif isinstance(entry, URLPattern) and entry.name and entry_route.startswith(admin_prefix):
                found.setdefault(namespace + entry.name, AdminURL(namespace + entry.name, tuple(entry_parameters)))

    walk(get_resolver(), "", "", [])
    return sorted(found.values(), key=lambda url: url.name)


def _model_parameters(url_name: str) -> tuple[str, str]:
    if url_name.startswith(("wagtail_bulk_action", "wagtailadmin_editing_sessions")):
        return ("wagtailcore", "page")
    if url_name.startswith("wagtailadmin_tag_model_autocomplete"):
        return ("taggit", "tag")
    return ("registries", "registrypage")


def _pk_for(url_name: str, b: CoupleB) -> int:
    """`pk` means a different object in each part of the admin: pick B's one of that kind."""
    kinds = (
        ("collections", b.collection.pk),
        ("image", b.image.pk),
        ("users_groups", b.group.pk),
        ("users", b.user.pk),
        ("snippets", b.registry.package_id),
        ("documents", NONEXISTENT_ID),
        ("pages", b.registry.pk),
    )
    for keyword, value in kinds:
        if keyword in url_name:
            return value
    return NONEXISTENT_ID


def url_for(url: AdminURL, b: CoupleB) -> str:
    """The URL filled with B's objects; raises LookupError for a parameter the walk can't fill."""
    app, model = _model_parameters(url.name)
    values = {
        "page_id": b.registry.pk,
        "parent_page_id": b.registry.pk,
        "page_to_move_id": b.registry.pk,
        "page_pk": b.registry.pk,
        "destination_id": b.index.pk,
        "object_id": b.registry.pk,
        "image_id": b.image.pk,
        "collection_id": b.collection.pk,
        "revision_id": b.revision_id,
        "revision_id_a": b.revision_id,
        "revision_id_b": b.revision_id,
        "user_id": b.user.pk,
        "registry_id": b.registry.pk,
        "outside_gift_id": b.outside_gift.pk,
        "reservation_id": b.reservation.pk,
        "session_id": b.editing_session.pk,
        "invoice": b.order.invoice,
        "forwarding_id": b.forwarding.pk,
        "app_label": app,
        "app_name": app,
        "content_type_app_name": app,
        "model_name": model,
        "content_type_model_name": model,
        **FIXED_PARAMETERS,
    }
    kwargs = {}
    for parameter in url.parameters:
        if parameter == "pk":
            kwargs[parameter] = _pk_for(url.name, b)
        elif parameter in NONEXISTENT_OBJECT_PARAMETERS:
            kwargs[parameter] = NONEXISTENT_ID
        elif parameter in values:
            kwargs[parameter] = values[parameter]
        else:
            raise LookupError(f"{url.name}: the walk does not know what <{parameter}> is; map it in this test")
    path = reverse(url.name, kwargs=kwargs)
    if url.name == "wagtail_bulk_action":
        path += f"?id={b.registry.pk}"
    return path


@pytest.fixture
def couple_a(db):
    a = make_couple("Alex", "Sam")
    photo = make_image(title="Our sofa")
    photo.collection = a.collection
    photo.save()
    publish_gifts(a.registry, gift(title="Sofa", image=photo))
    return a


@pytest.fixture
def couple_b(db, couple_a):
    b = make_couple("Bartholomew", "Quentin", slug="bartholomew-and-quentin")
    b.user.last_name = "Zebedee"
    b.user.save()
    photo = make_image(title="Hatbox for the big day")
    photo.collection = b.collection
    photo.save()
    registry = RegistryPage.objects.get(pk=b.registry.pk)
    registry.title = "Bartholomew & Quentin's garden wedding"
    registry.gifts = [gift(title="Hatbox", image=photo)]
    revision = registry.save_revision(user=b.user, log_action=True)
    revision.publish(user=b.user)
    PageLogEntry.objects.log_action(registry, "wagtail.edit", user=b.user)
    reservation = reserve(registry, "Hatbox", name="Wilhelmina Guestington", message="For your hats")
    outside = OutsideGift.objects.create(registry=registry, giver="Ottoline Outsider", description="A hat stand")
    session = EditingSession.objects.create(
        user=b.user, content_object=registry.page_ptr, last_seen_at=timezone.now(), is_editing=True
    )
    from payments.services import order_create
    from registries.models import Package

    order = order_create(registry=registry, package=Package.objects.get(name="Plus"), created_by=b.user)
    forwarding = Redirect.objects.create(old_path="/registries/bartholomew-and-quentin-old", redirect_page=registry)
    return CoupleB(
        order=order,
        forwarding=forwarding,
        user=b.user,
        group=b.group,
        registry=RegistryPage.objects.get(pk=registry.pk),
        collection=b.collection,
        image=photo,
        revision_id=revision.pk,
        reservation=reservation,
        outside_gift=outside,
        editing_session=session,
        index=registry.get_parent(),
    )


@pytest.fixture
def editor(db):
    user = UserFactory(email="editor@example.com", first_name="Eddie")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace").lower()
    return [secret for secret in B_SECRETS if secret in text]


def _outcome(client, method: str, path: str):
    """Status, and any of B's secrets found in the answer or in the page a redirect leads to."""
    response = getattr(client, method)(path)
    leaks = _leaks(response.content)
    if response.status_code in (301, 302) and method == "get":
        leaks += _leaks(client.get(response["Location"]).content)
    if response.status_code in (301, 302) and response["Location"].startswith(reverse("wagtailadmin_login")):
        leaks.append("(sent to the login page)")  # only expected for anonymous visitors
    return response.status_code, leaks


def assert_b_is_untouched(b: CoupleB):
    registry = RegistryPage.objects.get(pk=b.registry.pk)
    assert (registry.title, registry.slug, registry.live, registry.url_path) == (
        b.registry.title,
        b.registry.slug,
        True,
        b.registry.url_path,
    )
    assert registry.latest_revision_id == b.registry.latest_revision_id
    assert not registry.locked
    assert not registry.get_view_restrictions().exists()
    assert registry.revealed_at is None
    assert get_image_model().objects.filter(pk=b.image.pk, collection=b.collection, title=b.image.title).exists()
    assert Collection.objects.filter(pk=b.collection.pk, name=b.collection.name).exists()
    assert Reservation.objects.filter(pk=b.reservation.pk, status="reserved", received=False, thanked=False).exists()
    assert OutsideGift.objects.filter(pk=b.outside_gift.pk, thanked=False).exists()
    b.user.refresh_from_db()
    assert b.user.is_active and b.user.check_password("correct-horse-battery-staple")
    assert RegistryPage.objects.count() == 2
    assert EditingSession.objects.filter(pk=b.editing_session.pk).exists()
    assert Redirect.objects.filter(pk=b.forwarding.pk, redirect_page_id=b.registry.pk).exists()


# Wagtail's /admin/failwhale/ raises on purpose, for anyone signed in, to try error reporting.
DELIBERATE_ERRORS = {"wagtailadmin_error_test"}


def walk_every_admin_url(client, b: CoupleB, user=None):
    """(url name, method, path, status, leaks) for every admin URL, and the URLs it could not fill.

    `user` is signed in afresh before every request: Wagtail's logout view drops the session
    cookie even when it refuses a GET, which would leave the rest of the walk anonymous.
    """
    client.raise_request_exception = False  # a 500 is reported with the others, not raised
    results, not_covered = [], []
    for url in admin_urls():
        if url.name in DELIBERATE_ERRORS and user is not None:
            continue
        try:
            path = url_for(url, b)
        except LookupError as error:
            not_covered.append(str(error))
            continue
        methods = ("get", "post") if url.takes_object_id else ("get",)
        for method in methods:
            if url.name == "wagtailadmin_logout" and method == "post":
                continue
            if user is not None:
                client.force_login(user)
            status, leaks = _outcome(client, method, path)
            results.append((url, method, path, status, leaks))
    return results, not_covered


def test_the_walk_covers_every_admin_url_that_takes_an_object_id(couple_b):
    urls = admin_urls()
    names = {url.name for url in urls}
    # The walk is derived from the resolver: Wagtail's views and ours are all in it.
    assert {"wagtailadmin_pages:edit", "wagtailimages:edit", "wagtailadmin_collections:edit"} <= names
    assert {"wagtailusers_users:edit", "registries_reservations:registry", "wagtailadmin_api:images:detail"} <= names
    uncovered = []
    for url in urls:
        try:
            url_for(url, couple_b)
        except LookupError as error:
            uncovered.append(str(error))
    assert uncovered == []
    assert len([url for url in urls if url.takes_object_id]) > 60


def test_a_couple_gets_nothing_of_another_couple_at_any_admin_url(client, couple_a, couple_b):
    results, not_covered = walk_every_admin_url(client, couple_b, user=couple_a.user)
    assert not_covered == []

    failures = []
    for url, method, path, status, leaks in results:
        if leaks:
            failures.append(f"{method.upper()} {path} ({url.name}) shows {leaks}")
        elif status >= 500:
            failures.append(f"{method.upper()} {path} ({url.name}) answers {status}")
        elif (
            url.takes_object_id
            and status not in (301, 302, 400, 403, 404, 405)
            and url.name not in HARMLESS_FOR_ANY_ID
        ):
            failures.append(f"{method.upper()} {path} ({url.name}) answers {status} for B's object")
        elif not url.takes_object_id and url.name not in COUPLE_MAY_OPEN and status not in (302, 403, 404, 405):
            failures.append(f"{method.upper()} {path} ({url.name}) is open to couples ({status})")
    assert failures == []
    assert_b_is_untouched(couple_b)


def test_listings_searches_and_choosers_show_a_couple_nothing_of_another_couple(client, couple_a, couple_b):
    client.force_login(couple_a.user)
    ids = {"page": couple_b.registry.pk, "index": couple_b.index.pk, "image": couple_b.image.pk}
    ids["user"] = couple_b.user.pk
    failures = []
    for probe in PROBES:
        path = probe.format(**ids)
        status, leaks = _outcome(client, "get", path)
        if leaks or status >= 500:
            failures.append(f"{path}: {status} {leaks}")
    assert failures == []
    # ... while their own registry and photo are there for them.
    assert "Sam" in client.get("/admin/api/main/pages/?search=Alex").content.decode()
    assert "Our sofa" in client.get("/admin/api/main/images/").content.decode()
    assert "Our sofa" in client.get("/admin/images/chooser/").content.decode()


def test_an_anonymous_visitor_gets_nothing_from_any_admin_url(client, couple_b):
    results, not_covered = walk_every_admin_url(client, couple_b)
    assert not_covered == []
    failures = []
    for url, method, path, status, leaks in results:
        leaks = [leak for leak in leaks if leak != "(sent to the login page)"]
        if leaks:
            failures.append(f"{method.upper()} {path} ({url.name}) shows {leaks}")
        elif status == 200 and url.takes_object_id:
            failures.append(f"{method.upper()} {path} ({url.name}) answers 200")
        elif status >= 500:
            failures.append(f"{method.upper()} {path} ({url.name}) answers {status}")
    assert failures == []
    assert_b_is_untouched(couple_b)


# What an editor may open on a couple's registry: looking, for support, never changing.
EDITOR_MAY_VIEW_REGISTRIES = {
    "wagtailadmin_explore": "the registry in the explorer",
    "wagtailadmin_explore_results": "the registry in the explorer",
    "wagtailadmin_api:pages:detail": "the explorer side panel",
    "wagtailadmin_pages:history": "who changed what, for support",
    "wagtailadmin_pages:history_results": "who changed what, for support",
    "wagtailadmin_pages:usage": "where the registry is linked from",
    "wagtailadmin_choose_page_child": "the link chooser: staff may link to a registry",
    "wagtail_bulk_action": "the confirmation only says the registry is not theirs to delete; nothing to confirm",
    # Wagtail checks no permission here; it answers "no confirmation needed" as workflows are off.
    # Couples never reach it (URL allow-list).
    "wagtailadmin_pages:confirm_workflow_cancellation": "answers that no confirmation is needed",
    "wagtailadmin_pages:workflow_history": "lists no workflows: they are switched off",
}


# `pk` in the snippet URLs is B's package, which is the site's default plan and not B's own.
PACKAGE_SNIPPET_URLS = ("wagtailsnippets_registries_package:", "wagtailsnippetchoosers_registries_package:")


def test_an_editor_sees_registries_but_changes_nothing_of_a_couple(client, couple_b, editor):
    results, not_covered = walk_every_admin_url(client, couple_b, user=editor)
    assert not_covered == []
    failures = []
    for url, method, path, status, leaks in results:
        if "(sent to the login page)" in leaks:
            failures.append(f"{method.upper()} {path} ({url.name}) was walked signed out")
        elif status >= 500:
            failures.append(f"{method.upper()} {path} ({url.name}) answers {status}")
        elif url.name.startswith(PACKAGE_SNIPPET_URLS):
            continue  # packages are the site's plans, not a couple's: editors edit them
        elif (
            url.takes_object_id and status == 200 and url.name not in EDITOR_MAY_VIEW_REGISTRIES | HARMLESS_FOR_ANY_ID
        ):
            failures.append(f"{method.upper()} {path} ({url.name}) answers 200 for a couple's object")
    assert failures == []
    assert_b_is_untouched(couple_b)


def test_the_probes_would_catch_a_leak_a_superuser_sees_the_couple_everywhere(client, couple_a, couple_b):
    """The control experiment: the same probes, as a superuser, do find couple B."""
    client.force_login(UserFactory(email="root@example.com", is_superuser=True))
    ids = {"page": couple_b.registry.pk, "index": couple_b.index.pk, "image": couple_b.image.pk}
    ids["user"] = couple_b.user.pk
    found = {probe for probe in PROBES if _outcome(client, "get", probe.format(**ids))[1]}
    assert {
        "/admin/pages/search/results/?q=garden",
        "/admin/choose-page/search/?q=garden",
        "/admin/choose-page/chosen-multiple/?id={page}",
        "/admin/api/main/pages/?search=garden",
        "/admin/api/main/images/?search=big",
        "/admin/images/chooser/results/?q=big",
        "/admin/reports/site-history/",
    } <= found
    assert _outcome(client, "get", f"/admin/pages/{couple_b.registry.pk}/edit/")[0] == 200


# Chosen objects: the choosers show couple A only their own photos and pages, but the editor, its
# preview and the admin API take whatever ids are posted. A posts B's by hand.


def _editor_and_preview_answers(client, registry, **fields):
    """What A gets from posting these fields to their editor (publishing) and to its preview, then opening it."""
    edit_url, preview_url = f"/admin/pages/{registry.pk}/edit/", f"/admin/pages/{registry.pk}/edit/preview/"
    edit = client.post(edit_url, registry_edit_data(registry, action="action-publish", **fields))
    posted = client.post(preview_url, registry_edit_data(registry, action=None, **fields))
    return edit, json.loads(posted.content), client.get(preview_url)


def test_another_couples_photo_posted_in_the_editor_the_preview_or_the_api_never_reaches_a_couples_registry(
    client, couple_a, couple_b
):
    client.force_login(couple_a.user)
    client.raise_request_exception = False
    photo = couple_b.image.pk
    registry = RegistryPage.objects.get(pk=couple_a.registry.pk)

    edit, preview, shown = _editor_and_preview_answers(
        client, registry, hero_image=photo, social_image=photo, gifts=[{"title": "Sofa", "image": photo}]
    )
    assert edit.status_code == 200
    assert set(edit.context["form"].errors) >= {"hero_image", "social_image", "gifts"}
    assert preview == {"is_valid": False, "is_available": False}
    assert _leaks(edit.content) == [] and _leaks(shown.content) == []

    # A draft holding B's photo (from before these checks), published through the admin API.
    draft = registry.get_latest_revision_as_object()
    draft.hero_image_id = photo
    draft.save_revision(user=couple_a.user)
    api = client.post(f"/admin/api/main/pages/{registry.pk}/action/publish/", content_type="application/json")
    assert api.status_code == 404

    live = RegistryPage.objects.get(pk=registry.pk)
    assert live.live_revision_id == registry.live_revision_id
    assert photo not in {live.hero_image_id, live.social_image_id, live.gifts[0].value["image"].pk}
    assert _leaks(client.get(live.url).content) == []
    assert_b_is_untouched(couple_b)


def test_another_couples_page_in_a_rich_text_link_is_refused_in_the_editor_and_the_preview(client, couple_a, couple_b):
    client.force_login(couple_a.user)
    client.raise_request_exception = False
    registry = RegistryPage.objects.get(pk=couple_a.registry.pk)

    edit, preview, shown = _editor_and_preview_answers(client, registry, welcome=page_link(couple_b.registry.pk))
    assert edit.status_code == 200
    assert "welcome" in edit.context["form"].errors
    assert preview == {"is_valid": False, "is_available": False}
    assert _leaks(edit.content) == [] and _leaks(shown.content) == []

    live = RegistryPage.objects.get(pk=registry.pk)
    assert live.latest_revision_id == registry.latest_revision_id
    assert _leaks(client.get(live.url).content) == []
    assert_b_is_untouched(couple_b)


# Another couple's object and an id that names nothing must get the same answer, or a couple could
# count registries and photos by walking ids.
def _nothing(**fields):
    return SimpleNamespace(pk=NONEXISTENT_ID, **fields)


def _b_that_does_not_exist() -> CoupleB:
    return CoupleB(
        user=_nothing(),
        group=_nothing(),
        registry=_nothing(package_id=NONEXISTENT_ID),
        collection=_nothing(),
        image=_nothing(),
        revision_id=NONEXISTENT_ID,
        reservation=_nothing(),
        outside_gift=_nothing(),
        editing_session=_nothing(),
        index=_nothing(),
        order=_nothing(invoice="WG-NOSUCHORDER"),
        forwarding=_nothing(),
    )


def _shape(response, *ids) -> tuple:
    """Status, where a redirect leads, and the body with the ids asked about blanked out."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode("utf-8", "replace"))
    for value in ids:
        body = re.sub(rf"(?<=[/=]){re.escape(str(value))}(?=[/&\"'\s]|$)", "<id>", body)
    return response.status_code, response.get("Location"), body


def test_another_couples_object_answers_exactly_as_an_id_that_does_not_exist(client, couple_a, couple_b):
    client.raise_request_exception = False
    nobody = _b_that_does_not_exist()
    b_ids = {couple_b.registry.pk, couple_b.image.pk, couple_b.revision_id, couple_b.order.invoice}
    differences = []
    for url in admin_urls():
        if not (url.takes_object_id and couple_may_reach(url.name)) or url.name in HARMLESS_FOR_ANY_ID:
            continue
        for method in ("get", "post"):
            client.force_login(couple_a.user)
            theirs = getattr(client, method)(url_for(url, couple_b))
            client.force_login(couple_a.user)
            missing = getattr(client, method)(url_for(url, nobody))
            if _shape(theirs, *b_ids) != _shape(missing, NONEXISTENT_ID, nobody.order.invoice):
                differences.append(f"{method.upper()} {url.name}: {theirs.status_code} vs {missing.status_code}")
    assert differences == []
    assert_b_is_untouched(couple_b)
