"""What a couple's page editor posts, for tests that go through the editor and its preview."""

import json

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from registries.factories import gift


def page_link(page_id) -> str:
    """A welcome message linking to a page, as Wagtail stores rich text."""
    return f'<p>See <a linktype="page" id="{page_id}">our other page</a></p>'


def page_link_as_posted(page_id) -> str:
    """What the editor posts for a page link, for ids Wagtail's own conversion would not accept."""
    block = {"key": "a", "type": "unstyled", "text": "Our page", "depth": 0, "inlineStyleRanges": []}
    block["entityRanges"] = [{"offset": 0, "length": 8, "key": 0}]
    link = {"type": "LINK", "mutability": "MUTABLE", "data": {"id": page_id, "url": "/"}}
    return json.dumps({"blocks": [block], "entityMap": {"0": link}})


def registry_edit_data(registry, *, welcome="<p>Welcome</p>", gifts=(), action="action-save", **fields) -> dict:
    """The registry editor's form as the browser posts it; `gifts` are `gift(...)` values, `fields` override."""
    data = {
        "title": registry.title,
        "slug": registry.slug,
        "partner_one": registry.partner_one,
        "partner_two": registry.partner_two,
        "wedding_date": registry.wedding_date.isoformat(),
        "place": "",
        "currency": "GBP",
        "visibility": "unlisted",
        "welcome": rich_text(welcome),
        "gifts": streamfield([_posted_gift(value) for value in gifts]),
    }
    data.update(fields)
    posted = nested_form_data(data)
    if action:
        posted[action] = action
    return posted


def _posted_gift(value) -> tuple[str, dict]:
    block_type, fields = value if isinstance(value, tuple) else gift(**value)
    posted = {key: "" if field is None else str(field) for key, field in fields.items()}
    if fields.get("image") is not None:
        posted["image"] = str(getattr(fields["image"], "pk", fields["image"]))
    posted["most_wanted"] = "on" if fields.get("most_wanted") else ""
    return (block_type, posted)


def publish_in_editor(client, registry, *, follow: bool = False, **fields):
    """Publish the registry from the editor, with `fields` changed from what it holds."""
    fields.setdefault("guest_password", "")
    data = registry_edit_data(registry, welcome="", action="action-publish", **fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=[registry.pk]), data, follow=follow)
