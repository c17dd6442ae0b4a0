"""What a reservation does to the cache, on demand, so the benchmark can time the page guests get right after one."""

from core.caching import cache_version_bump, registry_scope

from . import RESERVATION_HEADER


class ReservationJustMadeMiddleware:
    """`X-Bench-Reservation: <registry id>` bumps that registry's version exactly as a reservation does.

    Placed before the page cache, so the request that follows the bump is the first after a reservation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        registry_id = request.headers.get(RESERVATION_HEADER, "")
        if registry_id.isdigit():
            cache_version_bump(registry_scope(int(registry_id)))
        return self.get_response(request)
