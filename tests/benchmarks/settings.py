"""Production settings, plus a minimal reference view (urls.py) and a reservation's cache bump on demand."""

from whispergifts.settings.production import *  # noqa: F403
from whispergifts.settings.production import MIDDLEWARE

ROOT_URLCONF = "tests.benchmarks.urls"
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("core.caching.PageCacheMiddleware")],
    "tests.benchmarks.middleware.ReservationJustMadeMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("core.caching.PageCacheMiddleware") :],
]
