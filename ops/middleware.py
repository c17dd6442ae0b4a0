"""Request id, view timing and Content-Security-Policy for every response."""

import logging
import re
import time
import uuid
from contextlib import ExitStack

import sentry_sdk
from django.conf import settings
from django.db import connections
from django.urls import reverse
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from .logging import current_request_id
from .proxy import client_address, client_network

timing_logger = logging.getLogger("whispergifts.timing")

# nginx sends its $request_id (32 hex digits); anything else from outside is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Tag the request, its log lines, its Sentry events and its response with one id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        sentry_sdk.set_tag("request_id", request.id)
        # Error reports carry no address (send_default_pii is off), only the client's network.
        sentry_sdk.set_tag("client_network", client_network(client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class _QueryTimer:
    """A database execute wrapper that counts queries and adds up their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class ViewTimingMiddleware:
    """`Server-Timing: total, db` on every response, and one log line per request.

    `manage.py timelog_report LOGFILE` summarises those lines by view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = _QueryTimer()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        total_ms = (time.perf_counter() - started) * 1000
        db_ms = queries.seconds * 1000
        response["Server-Timing"] = f'total;dur={total_ms:.1f}, db;dur={db_ms:.1f};desc="{queries.count} queries"'
        if request.path_info not in settings.VIEW_TIMING_UNLOGGED_PATHS:
            view = view_name(request)
            timing_logger.info(
                "%s %s %s %.1fms",
                request.method,
                view,
                response.status_code,
                total_ms,
                extra={
                    "view": view,
                    "client": client_address(request),
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round(total_ms, 1),
                    "db_ms": round(db_ms, 1),
                    "queries": queries.count,
                },
            )
        return response


def view_name(request) -> str:
    """The URL name (or dotted view path); Wagtail pages add their page type and routable-page route.

    E.g. `reservation_manage`, `wagtail_serve:home.HomePage`, `wagtail_serve:registries.RegistryPage:reserve`.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    name = match.view_name or _dotted_path(match.func)
    # Page.route_for_request returns the route Wagtail found while serving (it keeps it on the request).
    route = Page.route_for_request(request, request.path_info) if match.func is wagtail_serve else None
    if route is not None:
        name = f"{name}:{route[0]._meta.label}"
        routable = getattr(request, "routable_resolver_match", None)
        # RoutablePageMixin's own "index_route" is the page itself.
        if routable is not None and routable.url_name not in (None, "index_route"):
            name = f"{name}:{routable.url_name}"
    return name


def _dotted_path(view) -> str:
    view = getattr(view, "view_class", view)
    return f"{view.__module__}.{view.__qualname__}"


class ContentSecurityPolicyMiddleware:
    """A strict policy for the public site; the Wagtail admin (and editors' userbar) gets what it needs.

    Framing follows X-Frame-Options: `frame-ancestors 'self'` only where a view allowed same-origin
    framing (Wagtail's preview), `'none'` everywhere else. The outermost request decides: Wagtail renders
    a preview by running a second request through this middleware, whose header is replaced here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        header = "Content-Security-Policy"
        if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY:
            header += "-Report-Only"
        directives = dict(
            settings.CONTENT_SECURITY_POLICY_ADMIN if self._uses_admin(request) else settings.CONTENT_SECURITY_POLICY
        )
        same_origin_framing = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        directives["frame-ancestors"] = "'self'" if same_origin_framing else "'none'"
        response[header] = "; ".join(f"{name} {value}" for name, value in directives.items())
        return response

    def _uses_admin(self, request) -> bool:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        if request.path_info.startswith(self._admin_prefix):
            return True
        # Editors see Wagtail's userbar on public pages; visitors without a session never load one.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
