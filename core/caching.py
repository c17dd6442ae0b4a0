"""Caching that is never stale: versioned keys, and a full-page cache for anonymous visitors.

What is cached, and under which versions. Every cached thing (a whole page, a fragment) names the *scopes*
it was built from, and is keyed or checked by their version tokens:
- `site`: navigation, footer, marketing pages, packages. Bumped by any page published, unpublished, moved
  or deleted that shows site-wide (core/signals.py), by the navigation and footer (home/signals.py), packages
  (registries/signals.py), redirects and sites.
- `registry:<pk>`: anything guests see on one registry, its reservation numbers included. Bumped by every
  reservation change (registries/services.py) and with the content scope below.
- `registry-content:<pk>`: what only publishing changes (gift cards, pictures, the search card). Bumped when
  the couple publishes, unpublishes, moves or deletes the registry, by a change of its package or its
  reveal, and by a view restriction on it (a password).
- `registry-directory`: which registries search finds, and what it shows of them. Bumped with any
  registry's publish, unpublish, move or delete, and any page's view restriction.
Changing anything in a scope replaces its token (`cache_version_bump`, the one place a version changes),
which makes every entry built from the old token unreachable at once, on every worker, without hunting for keys.

Pages opt in from `get_context` (`page_cache_policy`); `PageCacheMiddleware`, placed right after
WhiteNoise, answers anonymous GETs from the cache before sessions, auth or URL routing run, and stores
what pages allowed. It never serves or stores for anyone with a session (logged-in users, guests who
passed a page password, editors previewing) or a pending message, and never a response that sets a cookie.

Each worker keeps its most used pages in memory too (`_LocalCache`): a stored page is only ever served
after its versions were checked against the shared cache, so a warm hit costs one small round-trip, never
the transfer of the whole page.

The live region. A registry's "still wanted" numbers change with every reservation, its layout only when the
couple publishes: rendering (and routing) the whole page again for each reservation would make the first guest
after one pay for all of it. So a page may mark a *live region* that follows one scope by itself: its template
writes `<!--live-region-->` and `<!--/live-region-->` around it (templates/registries/includes/registry_content.html),
and when only that scope moved, `LiveRegion.refresh` rebuilds the region and it is spliced into the stored page.

What it relies on in Wagtail: pages say their policy in `get_context`, which `Page.serve` calls for every
render; Wagtail's `page_published`, `page_unpublished` and `post_page_move` signals, and the models' own
saves and deletes, which the signal handlers above turn into bumps; and a request's preview flag
(`request.is_preview`), under which nothing is stored.

Outages. Version tokens are read and written through their own cache alias, `versions`, which raises on an
outage where the default alias turns errors into misses. A token that can't be read makes nothing servable
(the page is rendered afresh); a bump that can't be written is kept in the database (`PendingCacheBump`) and
written before this worker trusts the cache again, and every worker looks for such bumps every
`PAGE_CACHE_PENDING_CHECK_SECONDS`. Otherwise a registry made private during an outage would still be served
from the cache, under its old token, once Redis is back.
"""

import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.module_loading import import_string

SITE_SCOPE = "site"
PAGE_CACHE_TIMEOUT = 60 * 60 * 24
MARKETING_CACHE_CONTROL = "public, max-age=60, s-maxage=600"
# Registry pages change with every reservation: browsers and proxies must always ask again.
REGISTRY_CACHE_CONTROL = "private, no-cache"
PERSONAL_CACHE_CONTROL = "private, no-store"
# Content-Length is worked out again on the way out: a refreshed live region changes it. Server-Timing
# described the request that rendered the page; a cached answer gets its own.
_HEADERS_NOT_STORED = {"set-cookie", "x-page-cache", "content-length", "server-timing"}
# Where a page's live region starts and ends in its HTML (templates write these comments around it).
LIVE_REGION_START = "<!--live-region-->"
LIVE_REGION_END = "<!--/live-region-->"

logger = logging.getLogger(__name__)


def registry_scope(registry_id: int) -> str:
    """Anything guests see on a registry: its content and its reservation numbers."""
    return f"registry:{registry_id}"


def registry_content_scope(registry_id: int) -> str:
    """What only publishing changes (gift cards, pictures): reservations leave it alone."""
    return f"registry-content:{registry_id}"


# Search results: bumped by anything that lists, unlists, hides or changes a registry in them (publishing,
# unpublishing, moving or deleting any registry, and any page's view restriction).
REGISTRY_DIRECTORY_SCOPE = "registry-directory"


VERSIONS_CACHE_ALIAS = "versions"


def cache_get_many(keys: list[str], *, alias: str = "default") -> dict:
    """The entries found for `keys`, in a dict of the caller's own that holds no key it didn't ask for.

    django-redis answers every failed get_many with one shared dict: a caller that filled it in would hand
    its entries to every later caller during an outage.
    """
    found = caches[alias].get_many(keys) if keys else {}
    return {key: found[key] for key in keys if key in found}


def _version_key(scope: str) -> str:
    return f"version:{scope}"


def _new_token() -> str:
    return uuid.uuid4().hex


def _tokens_replace(scopes) -> None:
    caches[VERSIONS_CACHE_ALIAS].set_many({_version_key(scope): _new_token() for scope in scopes}, timeout=None)


class _PendingBumpCheck:
    """When this worker must write the bumps kept in the database before it trusts a version token again.

    Right after the versions cache failed it, and every PAGE_CACHE_PENDING_CHECK_SECONDS from its first read
    (for bumps another worker or host could not write); with None, only after a failure this worker saw.
    """

    def __init__(self):
        self._failed = False
        self._checked_at: float | None = None

    def due(self) -> bool:
        if self._failed:
            return True
        interval = settings.PAGE_CACHE_PENDING_CHECK_SECONDS
        if interval is None:
            return False
        return self._checked_at is None or time.monotonic() - self._checked_at >= interval

    def failed(self) -> None:
        self._failed = True

    def done(self) -> None:
        self._failed, self._checked_at = False, time.monotonic()


_pending_bump_check = _PendingBumpCheck()


def _read_versions(keys: list[str]) -> dict[str, str]:
    """The tokens stored under `keys`, once any bump kept in the database is written. Raises if Redis is down."""
    try:
        if _pending_bump_check.due():
            _pending_bumps_write()
        return cache_get_many(keys, alias=VERSIONS_CACHE_ALIAS)
    except Exception:
        _pending_bump_check.failed()
        raise


def _pending_bumps_write() -> None:
    from .models import PendingCacheBump

    pending = dict(PendingCacheBump.objects.values_list("pk", "scope"))
    if pending:
        scopes = set(pending.values())
        _tokens_replace(scopes)
        # Only the rows read: a bump kept while this ran is written next time.
        PendingCacheBump.objects.filter(pk__in=pending).delete()
        logger.info("Wrote %d cache version bumps kept during a cache outage", len(scopes))
    _pending_bump_check.done()


def cache_versions(scopes: Iterable[str]) -> dict[str, str]:
    """The current version token of each scope, minting one where the cache has none (one round-trip when warm).

    With the cache down, tokens that match nothing stored: whatever asked is built afresh.
    """
    keys = {_version_key(scope): scope for scope in scopes}
    store = caches[VERSIONS_CACHE_ALIAS]
    try:
        versions = {keys[key]: token for key, token in _read_versions(list(keys)).items()}
        for key, scope in keys.items():
            if scope not in versions:
                token = _new_token()
                # add(), not set(): two workers minting at once agree on the first token.
                versions[scope] = token if store.add(key, token, timeout=None) else (store.get(key) or token)
    except Exception:  # noqa: BLE001 - a cache outage makes pages slower, never broken
        logger.warning("Cache versions unavailable: building without the cache")
        return {scope: _new_token() for scope in keys.values()}
    return versions


def cache_version_bump(*scopes: str) -> None:
    """Everything cached from these scopes is out of date. The one place a version changes.

    Bumped now, so this request and the tests see it, and, inside a transaction, again after the commit,
    so a page rendered from the old data between the two cannot survive under the new token. A bump the
    cache refuses is kept in the database (in the caller's transaction) and written once the cache is back.
    """

    def bump():
        try:
            _tokens_replace(scopes)
        except Exception:  # noqa: BLE001 - any cache backend's own error type
            _pending_bumps_keep(scopes)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def _pending_bumps_keep(scopes: tuple[str, ...]) -> None:
    from .models import PendingCacheBump

    logger.warning("Cache unavailable: keeping the version bump of %s until it is back", ", ".join(scopes))
    PendingCacheBump.objects.bulk_create([PendingCacheBump(scope=scope) for scope in scopes])
    _pending_bump_check.failed()


class _LocalCache:
    """A worker's own least-recently-used copies of shared cache entries, bounded by their total size.

    Only for entries that can't go stale unnoticed: stored pages (their versions are checked on every use)
    and values under versioned keys (a key never names two different values).
    """

    def __init__(self, max_size: int, size_of: Callable[[object], int]):
        self.max_size = max_size
        self._size_of = size_of
        self._entries: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def set(self, key: str, value) -> None:
        size = self._size_of(value)
        if size > self.max_size:
            return
        with self._lock:
            if key in self._entries:
                self._size -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.max_size:
                self._size -= self._entries.popitem(last=False)[1][1]


_local_pages = _LocalCache(settings.PAGE_CACHE_LOCAL_BYTES, size_of=lambda entry: len(entry["content"]))
_local_values = _LocalCache(settings.PAGE_CACHE_LOCAL_VALUES, size_of=lambda value: 1)


def versioned_cache_get(
    key: str, build: Callable[[], object] | None = None, *, timeout: int = PAGE_CACHE_TIMEOUT, shared: bool = True
):
    """The value cached under `key`, a key that carries a version so it never names two different values.

    Served from this worker's memory when it can; `build` makes and stores it on a miss (without a
    `build`, a miss is None). Not `shared`: kept in this worker's memory only. A build that finds nothing
    (None) is not stored: keys may name what visitors typed, and misses must not push out what was found.
    """
    value = _local_values.get(key)
    if value is None:
        value = cache.get(key) if shared else None
        if value is None:
            value = build() if build is not None else None
            if value is None:
                return None
            if shared:
                cache.set(key, value, timeout=timeout)
        _local_values.set(key, value)
    return value


def worker_snapshot(name: str, scopes: list[str], build: Callable[[], object]):
    """`build()`'s result as of the scopes' current versions, kept pickled in this worker's memory only.

    For objects routing needs on every request (a Wagtail site, a registry's row): one small round-trip to
    read the versions instead of queries. Each call unpickles its own copy, so nothing one request sets on
    it is seen by another.
    """
    versions = cache_versions(scopes)
    key = ":".join([f"snapshot:{name}", *(versions[scope] for scope in scopes)])
    snapshot = versioned_cache_get(key, lambda: pickle.dumps(build(), pickle.HIGHEST_PROTOCOL), shared=False)
    return pickle.loads(snapshot)  # noqa: S301 (this worker's own pickle, never from outside)


@dataclass(frozen=True)
class LiveRegion:
    """The part of a stored page that follows `scope` without the page being rendered again.

    `refresh` (a dotted path) is called as `refresh(request, versions, **arguments)` with the scopes'
    current versions and returns the region's new HTML, or None when only a full render will do.
    """

    scope: str
    refresh: str
    arguments: dict = field(default_factory=dict)


@dataclass
class PageCachePolicy:
    """What a page allows: the scopes a cached copy depends on (None: never cache it) and its Cache-Control."""

    cache_control: str
    versions: dict[str, str] = field(default_factory=dict)
    store_whole_page: bool = True
    storable_query: bool = False
    live_region: LiveRegion | None = None
    timeout: int = PAGE_CACHE_TIMEOUT


def page_cache_policy(
    request,
    *,
    cache_control: str,
    scopes: list[str],
    store_whole_page: bool = True,
    storable_query: bool = False,
    live_region: LiveRegion | None = None,
    timeout: int = PAGE_CACHE_TIMEOUT,
) -> dict[str, str]:
    """Called from a page's get_context or a view: records the policy on the request, returns the scopes' versions."""
    if getattr(request, "is_preview", False):
        cache_control, store_whole_page = PERSONAL_CACHE_CONTROL, False
    policy = PageCachePolicy(
        cache_control=cache_control,
        versions=cache_versions(scopes),
        store_whole_page=store_whole_page,
        storable_query=storable_query,
        live_region=live_region,
        timeout=timeout,
    )
    request.page_cache_policy = policy
    return policy.versions


def page_cache_quota(name: str, *, limit: int, period: int) -> bool:
    """May one more page of this kind be stored in this period? False once `limit` were (or the cache is down).

    For pages whose query string is free text (search): however many different ones visitors (or a
    crawler, or an attacker) send, they can only fill `limit` entries a period, never the whole Redis that
    sessions and the task queue share.
    """
    key = f"page-cache-quota:{name}:{int(time.time() // period)}"
    try:
        cache.add(key, 0, timeout=period)
        stored = cache.incr(key)
    except Exception:  # noqa: BLE001 - locmem's incr raises if the key expired in between; Redis may be down
        return False
    return stored is not None and stored <= limit


def _may_use_page_cache(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _page_key(request) -> str:
    raw = f"{request.get_host()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_page_cache(request):
            return self._apply_policy(request, self.get_response(request))
        started = time.perf_counter()
        key = _page_key(request)
        try:
            cached = _cached_response(request, key)
        except Exception:  # noqa: BLE001 - a cache outage makes pages slower, never broken
            logger.warning("Page cache unavailable: serving without it")
            cached = None
        if cached is not None:
            total_ms = (time.perf_counter() - started) * 1000
            cached["Server-Timing"] = f'total;dur={total_ms:.1f}, cache;desc="{cached["X-Page-Cache"]}"'
            return cached
        response = self._apply_policy(request, self.get_response(request))
        policy = getattr(request, "page_cache_policy", None)
        if policy and policy.store_whole_page and self._storable(request, response, policy):
            entry = _entry_from(response, policy)
            try:
                cache.set(key, entry, timeout=policy.timeout)
            except Exception:  # noqa: BLE001 - a cache outage makes pages slower, never broken
                logger.warning("Page cache unavailable: not storing %s", request.path)
            else:
                _local_pages.set(key, entry)
                response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _apply_policy(request, response):
        policy = getattr(request, "page_cache_policy", None)
        if policy is not None and not response.has_header("Cache-Control"):
            response["Cache-Control"] = policy.cache_control
        return response

    @staticmethod
    def _storable(request, response, policy) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and (policy.storable_query or not request.META.get("QUERY_STRING"))
            and not request.user.is_authenticated
        )


def _cached_response(request, key: str):
    """The stored page if its versions are current, or its live region brought up to date; None otherwise.

    One round-trip when this worker holds the current page; the shared copy is read only when it doesn't.
    """
    local = _local_pages.get(key)
    current = _current_versions(local) if local is not None else None
    if local is not None and current == local["versions"]:
        return _response_from(local, "hit")
    shared = cache.get(key)  # another worker may have stored this page more recently
    entry = shared if shared is not None else local
    if entry is None:
        return None
    if current is None or set(current) != set(entry["versions"]):
        current = _current_versions(entry)
    if current == entry["versions"]:
        _local_pages.set(key, entry)
        return _response_from(entry, "hit")
    refreshed = _refresh_live_region(request, entry, current)
    if refreshed is None:
        return None
    cache.set(key, refreshed, timeout=refreshed["timeout"])
    _local_pages.set(key, refreshed)
    return _response_from(refreshed, "refreshed")


def _current_versions(entry: dict) -> dict[str, str]:
    found = _read_versions(_version_keys(entry["versions"]))
    return {_version_key_to_scope(key): token for key, token in found.items()}


def _refresh_live_region(request, entry: dict, current: dict[str, str]) -> dict | None:
    """The stored page with its live region rebuilt, when the live region's scope is all that changed."""
    live = entry.get("live_region")
    if live is None or set(current) != set(entry["versions"]):
        return None
    if any(current[scope] != token for scope, token in entry["versions"].items() if scope != live.scope):
        return None
    content = entry["content"]
    # The last markers: the region follows what a couple writes (their welcome), and what it holds is escaped.
    end = content.rfind(LIVE_REGION_END.encode())
    start = content.rfind(LIVE_REGION_START.encode(), 0, max(end, 0))
    if start < 0:
        return None
    html = import_string(live.refresh)(request, current, **live.arguments)
    if html is None:
        return None
    start += len(LIVE_REGION_START)
    return {**entry, "content": content[:start] + html.encode() + content[end:], "versions": current}


def _version_keys(scopes):
    return [_version_key(scope) for scope in scopes]


def _version_key_to_scope(key: str) -> str:
    return key.removeprefix("version:")


def _entry_from(response, policy: PageCachePolicy) -> dict:
    headers = [(name, value) for name, value in response.items() if name.lower() not in _HEADERS_NOT_STORED]
    return {
        "content": response.content,
        "headers": headers,
        "versions": dict(policy.versions),
        "live_region": policy.live_region,
        "timeout": policy.timeout,
    }


def _response_from(entry: dict, how: str) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(entry["content"]))
    response["X-Page-Cache"] = how
    return response
