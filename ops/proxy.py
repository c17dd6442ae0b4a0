"""The address a request comes from, behind our own proxies: the one place that decides it.

nginx (site/nginx.conf) appends the address it saw to X-Forwarded-For and sends TRUSTED_PROXY_KEY in a header
of its own. A request carrying that key came through it, and django-xff (next in MIDDLEWARE) sets REMOTE_ADDR
to the address TRUSTED_PROXY_HOPS entries from the right of X-Forwarded-For: nginx's own entry with one hop,
the load balancer's with two. A request without the key reached gunicorn some other way, and loses its
X-Forwarded-For, so nothing a visitor writes there is believed. With no proxy configured (TRUSTED_PROXY_HOPS
is 0, as in development), neither middleware is installed and REMOTE_ADDR is the peer's address.
"""

import hmac
import ipaddress

from django.conf import settings

PROXY_KEY_HEADER = "X-WhisperGifts-Proxy-Key"
_PROXY_KEY_META = "HTTP_" + PROXY_KEY_HEADER.upper().replace("-", "_")


def client_address(request) -> str:
    """The client's address, as every rate limit, the timing log and error reports know it."""
    return request.META.get("REMOTE_ADDR", "")


def client_network(address: str) -> str:
    """The network an address belongs to (/24 for IPv4, /48 for IPv6): enough to spot a flood, not a person."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False))


class TrustedProxyMiddleware:
    """Keeps X-Forwarded-For only on requests that carry our proxy's key; the key itself goes no further."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.key = settings.TRUSTED_PROXY_KEY.encode()

    def __call__(self, request):
        sent = request.META.pop(_PROXY_KEY_META, "").encode()
        if not (self.key and hmac.compare_digest(sent, self.key)):
            request.META.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)
