"""The client's address: read from X-Forwarded-For only as far as our own proxies vouch for it.

Request-level, with the middleware as production installs it when TRUSTED_PROXY_HOPS is set; the production
stack test (test_production_stack.py) sends the same through the real nginx.
"""

import json

import pytest
from django.urls import reverse

from ops.proxy import PROXY_KEY_HEADER, client_network
from registries.factories import RegistryPageFactory

from .conftest import json_lines

PROXY_KEY = "k" * 40
RESET_LIMIT = 10  # accounts.views.PASSWORD_RESET_REQUESTS_PER_CLIENT


@pytest.fixture
def behind_proxies(settings):
    """Production's middleware for `hops` proxies, which send PROXY_KEY."""

    def configure(hops: int):
        settings.TRUSTED_PROXY_HOPS, settings.TRUSTED_PROXY_KEY = hops, PROXY_KEY
        settings.XFF_TRUSTED_PROXY_DEPTH = hops
        middleware = [name for name in settings.MIDDLEWARE if not name.startswith(("ops.proxy", "xff."))]
        settings.MIDDLEWARE = [
            "ops.proxy.TrustedProxyMiddleware",
            "xff.middleware.XForwardedForMiddleware",
            *middleware,
        ]

    return configure


def proxy_headers(forwarded_for: str, *, key: str | None = PROXY_KEY) -> dict:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for}
    if key is not None:
        headers["HTTP_" + PROXY_KEY_HEADER.upper().replace("-", "_")] = key
    return headers


def ask_for_resets(client, times: int, **headers) -> list[int]:
    url = reverse("wagtailadmin_password_reset")
    return [client.post(url, {"email": "nobody@example.com"}, **headers).status_code for _ in range(times)]


@pytest.mark.django_db
class TestBehindNginx:
    def test_two_visitors_behind_the_proxy_have_a_budget_each(self, client, behind_proxies):
        behind_proxies(1)
        assert set(ask_for_resets(client, RESET_LIMIT, **proxy_headers("203.0.113.7"))) == {302}
        assert ask_for_resets(client, 1, **proxy_headers("203.0.113.7")) == [429]
        assert ask_for_resets(client, 1, **proxy_headers("198.51.100.20")) == [302]

    def test_an_address_a_visitor_writes_in_front_of_nginxs_buys_nothing(self, client, behind_proxies):
        behind_proxies(1)
        ask_for_resets(client, RESET_LIMIT, **proxy_headers("203.0.113.7"))
        # nginx appends the address it saw to whatever the visitor sent.
        assert ask_for_resets(client, 1, **proxy_headers("10.9.9.9, 203.0.113.7")) == [429]

    def test_a_request_without_the_proxys_key_is_taken_at_its_own_address(self, client, behind_proxies):
        behind_proxies(1)
        ask_for_resets(client, RESET_LIMIT, REMOTE_ADDR="127.0.0.1")
        for forged in ("198.51.100.99", "198.51.100.99, 198.51.100.100"):
            for key in (None, "a-guess"):
                assert ask_for_resets(client, 1, **proxy_headers(forged, key=key)) == [429]

    def test_with_a_load_balancer_the_address_it_saw_counts(self, client, behind_proxies):
        behind_proxies(2)
        ask_for_resets(client, RESET_LIMIT, **proxy_headers("6.6.6.6, 203.0.113.7, 10.0.0.2"))
        assert ask_for_resets(client, 1, **proxy_headers("7.7.7.7, 203.0.113.7, 10.0.0.2")) == [429]
        assert ask_for_resets(client, 1, **proxy_headers("203.0.113.8, 10.0.0.2")) == [302]

    def test_the_timing_log_names_the_client_and_the_key_goes_no_further(self, client, behind_proxies, stdout_log):
        behind_proxies(1)
        registry = RegistryPageFactory()
        client.get(registry.url + "?from=invitation", **proxy_headers("203.0.113.7"))

        [line] = [entry for entry in json_lines(stdout_log) if entry["logger"] == "whispergifts.timing"]
        assert line["client"] == "203.0.113.7"
        assert PROXY_KEY not in json.dumps(json_lines(stdout_log))


@pytest.mark.django_db
def test_without_a_proxy_configured_x_forwarded_for_is_never_read(client):
    ask_for_resets(client, RESET_LIMIT, REMOTE_ADDR="203.0.113.7")
    assert ask_for_resets(client, 1, REMOTE_ADDR="203.0.113.7", **proxy_headers("198.51.100.1")) == [429]
    assert ask_for_resets(client, 1, REMOTE_ADDR="198.51.100.1") == [302]


def test_error_reports_know_only_the_clients_network():
    assert client_network("203.0.113.7") == "203.0.113.0/24"
    assert client_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert client_network("not an address") == ""
