"""Error reporting to Sentry, switched on by SENTRY_DSN, with guests' and couples' secrets scrubbed."""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.redis import RedisIntegration

FILTERED = "[Filtered]"
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# A reservation's manage_token is secrets.token_urlsafe(32): 43 URL-safe characters.
_MANAGE_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[a-z])(?=[\w-]*[A-Z0-9])[\w-]{43}(?![\w-])")
# Pages whose address is the key to them: a guest's reservation, a partner invitation, one-click email links,
# a password reset, an email address confirmation. The token is the path segment after these.
_SECRET_LINK_PATH = re.compile(
    r"(/(?:reservations|invitations|emails/(?:reservation|registry)/[\w-]+|admin/password_reset/confirm/[\w-]+"
    r"|account/confirm-email)/)[^/?#\s\"']+"
)
_SECRET_KEY_NAMES = re.compile(r"token|email|password|secret|passwd|api_?key|authorization|cookie|session|csrf", re.I)


def sentry_init(*, dsn: str, environment: str, release: str | None, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        # Deprecated in favour of `data_collection` since sentry-sdk 2.7x, but passing that would switch
        # off the SDK's own EventScrubber (cookies, sessions, passwords); ours runs on top of it.
        send_default_pii=False,
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        transport=transport,
    )


def scrub_event(event: dict, hint: dict) -> dict:
    """Remove email addresses and the tokens of secret links wherever they appear in an event."""
    return _scrub(event)


def _scrub(value, key: str = ""):
    if isinstance(value, dict):
        return {name: _scrub(item, name if isinstance(name, str) else "") for name, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item, key) for item in value)
    if isinstance(value, str):
        if key and _SECRET_KEY_NAMES.search(key):
            return FILTERED
        return scrub_text(value)
    return value


def scrub_text(text: str) -> str:
    text = _SECRET_LINK_PATH.sub(rf"\g<1>{FILTERED}", text)
    text = _EMAIL.sub(FILTERED, text)
    return _MANAGE_TOKEN.sub(FILTERED, text)
