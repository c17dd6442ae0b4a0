"""The couple's page editor, posted the way its form posts it."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def publish_in_editor(client, registry, *, follow: bool = False, **fields):
    """Publish Robin & Kim's registry from the editor, with `fields` changed from what sign-up made."""
    data = {
        "title": "Robin & Kim",
        "slug": "robin-and-kim",
        "partner_one": "Robin",
        "partner_two": "Kim",
        "wedding_date": "2031-06-01",
        "place": "",
        "welcome": rich_text(""),
        "currency": "GBP",
        "gifts": streamfield([]),
        "visibility": "unlisted",
        "guest_password": "",
        "action-publish": "action-publish",
    }
    data.update(fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=[registry.pk]), nested_form_data(data), follow=follow)
