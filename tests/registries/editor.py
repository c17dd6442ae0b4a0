"""What a couple's page editor posts, for tests that go through the editor and its preview."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from registries.factories import gift


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
