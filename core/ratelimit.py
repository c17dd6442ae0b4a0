"""Attempt counters in the cache, for every rate limit of the site, that fail open: with the cache down,
nobody is locked out.

An attempt is counted before it is checked, in one atomic step (the cache's increment), and allowed
only if that count is within the limit: simultaneous attempts cannot all slip under it.
"""

import logging

from django.core.cache import cache
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


def attempt_allowed(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key` and say whether it is within `limit` for the current window.

    The window starts with the first attempt and lasts `window_seconds`; refused attempts count too.
    """
    try:
        cache.add(key, 0, timeout=window_seconds)
        count = cache.incr(key)
    except ValueError:
        return True  # the window ended between add and incr: this attempt opens the next one
    except Exception:  # a cache outage must not lock anyone out
        logger.warning("Rate-limit cache unavailable; allowing the attempt", exc_info=True)
        return True
    return count is None or count <= limit  # None: the cache ignored an outage (IGNORE_EXCEPTIONS)


def attempt_forgiven(*, key: str) -> None:
    """Give back an attempt that turned out not to be one the limit is about (a right password, say)."""
    try:
        cache.decr(key)
    except ValueError:
        pass  # the window is over: nothing left to give back
    except Exception:
        logger.warning("Rate-limit cache unavailable; attempt not given back", exc_info=True)


def refusal_response(request, template_name: str, *, window_seconds: int) -> TemplateResponse:
    """429 with a page that explains; `minutes` tells it when to try again (at the latest)."""
    response = TemplateResponse(request, template_name, {"minutes": window_seconds // 60}, status=429)
    response["Retry-After"] = str(window_seconds)
    return response
