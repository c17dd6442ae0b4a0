"""What `make lighthouse` serves: the benchmark's production settings, on plain HTTP over loopback.

Behind nginx, TLS ends at nginx and every request says so (X-Forwarded-Proto, which Lighthouse sends too);
Lighthouse's own fetches (robots.txt) send nothing, so here the redirect to HTTPS is off.
"""

from tests.benchmarks.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
