"""Mixpanel's import API, the one module that talks to Mixpanel (https://developer.mixpanel.com/reference/import-events).

Server-side only: nothing of Mixpanel's ever reaches a guest's or a couple's browser. Authenticated with the
project token as the basic-auth user name and an empty password, which /import accepts when no project_id
is given; `strict=1` makes Mixpanel validate each event and say which failed.
"""

import requests
from django.conf import settings

# Transient: worth sending again later. 429 is Mixpanel's "retry with exponential backoff".
RETRY_STATUSES = {429, 500, 502, 503, 504}


class TransientExportError(Exception):
    """Mixpanel couldn't take the events now: retry later (the $insert_id makes a repeat harmless)."""


class PermanentExportError(Exception):
    """Mixpanel refused the events (bad token, invalid event): sending them again won't help."""


def is_configured() -> bool:
    return bool(settings.MIXPANEL_TOKEN)


def import_events(events: list[dict]) -> int:
    """Send `events` (each with `time`, `distinct_id` and `$insert_id`); returns how many Mixpanel imported."""
    try:
        response = requests.post(
            f"{settings.MIXPANEL_API_URL.rstrip('/')}/import",
            params={"strict": "1"},
            json=events,
            auth=(settings.MIXPANEL_TOKEN, ""),
            timeout=settings.MIXPANEL_REQUESTS_TIMEOUT,
        )
    except requests.RequestException as error:
        raise TransientExportError(f"Mixpanel unreachable: {error.__class__.__name__}") from error
    if response.status_code in RETRY_STATUSES:
        raise TransientExportError(f"Mixpanel answered {response.status_code}: {response.text[:300]}")
    if response.status_code != 200:
        raise PermanentExportError(f"Mixpanel answered {response.status_code}: {response.text[:1000]}")
    try:
        return int(response.json()["num_records_imported"])
    except (ValueError, KeyError, TypeError) as error:
        raise TransientExportError(f"Mixpanel's answer wasn't its JSON: {response.text[:300]}") from error
