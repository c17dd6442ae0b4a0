import os
import shutil

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_or_fail_in_ci(reason: str):
    """Locally a missing service skips a test; in CI it must run, so a skip is a failure."""
    if IN_CI:
        pytest.fail(f"{reason}: CI must run this test, not skip it.")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_caches():
    from django.core.cache import caches

    for alias in ("default", "renditions"):
        caches[alias].clear()
    yield


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail_in_ci("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM:
        skip_or_fail_in_ci("needs Debian's chromium package")
    return CHROMIUM
