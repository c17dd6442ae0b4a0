import os
import shutil
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

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
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail_in_ci("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis():
    from django.conf import settings

    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        skip_or_fail_in_ci("needs Redis (set REDIS_URL)")


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM:
        skip_or_fail_in_ci("needs Debian's chromium package")
    return CHROMIUM


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def base_data_for_transactional_tests(request):
    """Transactional tests end with a flush, which empties every table: put back the rows that the
    migrations made (locale, root page, home page and site, our own data migrations) before each one.
    """
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from wagtail.models import Page

    if not Page.objects.exists():
        with transaction.atomic():
            _recreate_migrated_data()


def _recreate_migrated_data():
    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Collection, Locale, Page

    ContentType.objects.clear_cache()  # the flush recreated content types under new ids
    Collection.add_root(name="Root")
    Locale.objects.create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
    Page.add_root(instance=Page(title="Root", slug="root", content_type_id=_page_content_type_id()))

    loader = MigrationLoader(connection)
    own_apps = {config.label for config in apps.get_app_configs() if _is_ours(Path(config.path))}
    plan = _full_plan(loader)
    for app_label, name in plan:
        if app_label not in own_apps:
            continue
        for operation in loader.get_migration(app_label, name).operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)
    # Data migrations create pages with plain create(), as migrations must; keep the tree consistent.
    Page.objects.filter(depth=1).update(numchild=Page.objects.filter(depth=2).count())


def _is_ours(path: Path) -> bool:
    """An app of this repository, not an installed package (the virtualenv may live inside the repository)."""
    repository = Path(__file__).resolve().parents[1]
    return path.is_relative_to(repository) and not path.is_relative_to(Path(sys.prefix).resolve())


def _full_plan(loader):
    seen, plan = set(), []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in seen:
                seen.add(node)
                plan.append(node)
    return plan


def _page_content_type_id():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    return ContentType.objects.get_for_model(Page).pk


# Skips for a missing service, by what they need: said again at the end of the run, where nobody misses it.
SERVICE_SKIPS = {
    "chromium": ("browser (e2e)", "install Debian's chromium package (apt-get install chromium)"),
    "PostgreSQL": ("PostgreSQL", "set DATABASE_URL=postgres://..."),
    "Redis": ("Redis", "set REDIS_URL=redis://..."),
}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    counts = {}
    for report in skipped:
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for word, (label, fix) in SERVICE_SKIPS.items():
            if word in reason:
                counts[(label, fix)] = counts.get((label, fix), 0) + 1
    if not counts:
        return
    terminalreporter.section("tests skipped for a missing service", sep="=", yellow=True, bold=True)
    for (label, fix), count in counts.items():
        terminalreporter.write_line(f"{count} {label} test{'s' if count != 1 else ''} skipped: {fix}.", yellow=True)
    terminalreporter.write_line("`.ci/run` runs them all with the services it needs (a skip there is a failure).")
