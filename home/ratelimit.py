"""A small failed-attempt counter in the cache that fails open: with the cache down, nobody is locked out."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def attempts_exceeded(*, key: str, limit: int) -> bool:
    try:
        return (cache.get(key) or 0) >= limit
    except Exception:  # a cache outage must not lock guests out
        logger.warning("Rate-limit cache unavailable; allowing the attempt", exc_info=True)
        return False


def count_attempt(*, key: str, window_seconds: int) -> None:
    try:
        cache.add(key, 0, timeout=window_seconds)
        cache.incr(key)
    except ValueError:
        pass  # the key expired between add and incr: the window is over anyway
    except Exception:
        logger.warning("Rate-limit cache unavailable; attempt not counted", exc_info=True)
