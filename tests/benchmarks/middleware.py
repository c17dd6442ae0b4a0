"""What a reservation or a publish does to the cache, on demand, so the benchmark can time the page guests get
right after one."""

from core.caching import REGISTRY_DIRECTORY_SCOPE, cache_version_bump, registry_content_scope, registry_scope

from . import PUBLISH_HEADER, RESERVATION_HEADER


class ReservationJustMadeMiddleware:
    """`X-Bench-Reservation: <registry id>` bumps that registry's version exactly as a reservation does, and
    `X-Bench-Publish: <registry id>` its versions as publishing does (registries.services).

    Placed before the page cache, so the request that follows the bump is the first after a reservation or publish.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        registry_id = request.headers.get(RESERVATION_HEADER, "")
        if registry_id.isdigit():
            cache_version_bump(registry_scope(int(registry_id)))
        published_id = request.headers.get(PUBLISH_HEADER, "")
        if published_id.isdigit():
            published = int(published_id)
            cache_version_bump(registry_scope(published), registry_content_scope(published), REGISTRY_DIRECTORY_SCOPE)
        return self.get_response(request)
