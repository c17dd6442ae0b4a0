import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    """For the load balancer: 200 while this host can serve pages, 503 when its database is unreachable.

    A cache outage only makes pages slower (django-redis ignores its errors), so it reports
    `degraded` but keeps the host in rotation.
    """
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    status = "ok" if all(checks.values()) else ("degraded" if checks["database"] else "unavailable")
    body = {"status": status, **{name: "ok" if ok else "unavailable" for name, ok in checks.items()}}
    return JsonResponse(body, status=503 if status == "unavailable" else 200)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return False


def _cache_ok() -> bool:
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz", probe, timeout=10)
        return cache.get("healthz") == probe
    except Exception:  # any cache backend's own error type
        logger.exception("Health check: the cache is unreachable")
        return False
