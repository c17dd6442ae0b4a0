"""Links in emails: built when an email is sent, never stored, and signed where they act without a log-in.

A link that works without logging in is a credential, so an email's context in the outbox never
holds one: it holds a reference, `email_link(name, object_id)`, and the link is built only when
the email is rendered for sending (`links_resolved`). Staff reading the outbox, its search, or a
copy of the database see which link an email carries, never the token in it. Each app names the
links it owns with `register_email_link` when it is loaded (its AppConfig.ready), and signs one-click
links with `signed_token`, one salt per purpose, so a "stop reminders" link can never be replayed as
"release it".
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing

MAX_AGE = 60 * 60 * 24 * 365  # a signed link lasts a year: a wedding is long over by then
EMAIL_LINK = "email_link"

# name -> builds the link's path (or URL) for an object id, or None when the object is gone.
_builders: dict[str, Callable[[int], str | None]] = {}


class LinkGone(Exception):
    """The object an email's link was for no longer exists, so the link would lead nowhere."""


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def register_email_link(name: str):
    """Decorate the function that builds the link `name` for an object id, at sending time."""

    def register(build: Callable[[int], str | None]):
        _builders[name] = build
        return build

    return register


def email_link(name: str, object_id: int) -> dict:
    """The link `name` for `object_id`, as an email's context keeps it in the outbox: no token in it."""
    if name not in _builders:
        raise ValueError(f"unknown email link {name!r}")
    return {EMAIL_LINK: name, "id": object_id}


def links_resolved(context: dict) -> dict:
    """`context` with each email_link reference replaced by the link's absolute URL, built now.

    Raises LinkGone if a link's object was deleted after the email was written.
    """
    resolved = {}
    for key, value in context.items():
        if isinstance(value, dict) and EMAIL_LINK in value:
            url = _builders[value[EMAIL_LINK]](value["id"])
            if url is None:
                raise LinkGone(f"The {value[EMAIL_LINK]} link's object ({value['id']}) no longer exists.")
            value = absolute_url(url)
        resolved[key] = value
    return resolved


def signed_token(object_id: int, *, salt: str) -> str:
    """A token that names `object_id` for one purpose (its `salt`) and can't be altered."""
    return signing.dumps(object_id, salt=salt, compress=True)


def object_id_from_token(token: str, *, salt: str) -> int | None:
    """The id a token was signed for, or None if it was altered, expired or signed for another purpose."""
    try:
        return int(signing.loads(token, salt=salt, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
