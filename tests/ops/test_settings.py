"""Production refuses to start without its secrets, passes `check --deploy`, and ships no debug tools."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "whispergifts.settings.production",
    "SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)",
    "DATABASE_URL": "postgres://whispergifts@127.0.0.1:5432/whispergifts",
    "ALLOWED_HOSTS": "gifts.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "POSTMARK_SERVER_TOKEN": "postmark-token-from-the-environment",
    "ANYMAIL_WEBHOOK_SECRET": "user:webhook-secret-from-the-environment",
    "TRUSTED_PROXY_HOPS": "1",
    "TRUSTED_PROXY_KEY": "p" * 40,
}
REQUIRED = sorted(set(PRODUCTION_ENV) - {"DJANGO_SETTINGS_MODULE"})


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the variables given: nothing leaks in from the machine running the tests.
    clean_env = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=REPO, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_settings_prints_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_secret(missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert f"The environment variable {missing} must be set." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "too-short"})

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def settings_value(module: str, expression: str, env: dict[str, str]) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean_env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, **env}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=REPO, env=clean_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_toolbar_is_in_development_only():
    toolbar_installed = "'debug_toolbar' in settings.INSTALLED_APPS"

    assert settings_value("whispergifts.settings.dev", toolbar_installed, {}) == "True"
    assert settings_value("whispergifts.settings.production", toolbar_installed, PRODUCTION_ENV) == "False"
    assert settings_value("whispergifts.settings.test", toolbar_installed, {}) == "False"


def test_sentry_starts_only_when_sentry_dsn_is_set():
    client_active = "__import__('sentry_sdk').get_client().is_active()"

    assert settings_value("whispergifts.settings.production", client_active, PRODUCTION_ENV) == "False"
    with_dsn = {**PRODUCTION_ENV, "SENTRY_DSN": "http://public@127.0.0.1:9/1", "SENTRY_ENVIRONMENT": "staging"}
    assert settings_value("whispergifts.settings.production", client_active, with_dsn) == "True"
    environment = "__import__('sentry_sdk').get_client().options['environment']"
    assert settings_value("whispergifts.settings.production", environment, with_dsn) == "staging"


def test_media_stay_on_local_disk_unless_a_bucket_is_named():
    backend = "settings.STORAGES['default']['BACKEND']"

    assert settings_value("whispergifts.settings.production", backend, PRODUCTION_ENV) == (
        "django.core.files.storage.FileSystemStorage"
    )


def test_media_go_to_object_storage_when_a_bucket_is_named_and_pages_may_show_them():
    env = {**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "wg-media", "AWS_S3_CUSTOM_DOMAIN": "media.gifts.example.com"}
    url = "__import__('django.core.files.storage').core.files.storage.default_storage.url('images/teapot.webp')"

    assert settings_value("whispergifts.settings.production", url, env) == (
        "https://media.gifts.example.com/images/teapot.webp"
    )
    img_src = "settings.CONTENT_SECURITY_POLICY['img-src'], settings.CONTENT_SECURITY_POLICY_ADMIN['img-src']"
    assert settings_value("whispergifts.settings.production", img_src, env) == (
        "'self' data: https://media.gifts.example.com 'self' data: blob: https://media.gifts.example.com"
    )


def test_original_uploads_on_object_storage_are_reachable_only_through_links_that_expire():
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "wg-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.gifts.example.com",
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00",
        "AWS_SECRET_ACCESS_KEY": "not-a-real-secret-key",
    }
    storage = "__import__('django.core.files.storage').core.files.storage.default_storage"
    urls = settings_value(
        "whispergifts.settings.production",
        f"' '.join([{storage}.url('original_images/teapot.jpg'), {storage}.url('documents/terms.pdf'), "
        f"{storage}.url('images/teapot.fill-320x240.webp'), "
        f"{storage}.get_object_parameters('original_images/teapot.jpg')['CacheControl'].replace(' ', '')])",
        env,
    )
    original, document, rendition, original_cache_control = urls.split(" ")

    for private in (original, document):
        assert private.startswith("https://wg-media.s3.") and "media.gifts.example.com" not in private
        assert "X-Amz-Signature=" in private and "X-Amz-Expires=600" in private
    assert rendition == "https://media.gifts.example.com/images/teapot.fill-320x240.webp"
    assert original_cache_control == "private,no-store"


def test_cdn_purging_switches_on_with_a_cloudflare_zone():
    purging = "'wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS, hasattr(settings, 'WAGTAILFRONTENDCACHE')"
    env = {**PRODUCTION_ENV, "CLOUDFLARE_ZONE_ID": "zone", "CLOUDFLARE_API_TOKEN": "token"}

    assert settings_value("whispergifts.settings.production", purging, PRODUCTION_ENV) == "False False"
    assert settings_value("whispergifts.settings.production", purging, env) == "True True"


def test_development_needs_no_environment_at_all():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "whispergifts.settings.dev"})
    assert result.returncode == 0, result.stderr


def test_redis_url_switches_the_cache_and_the_task_queue(settings):
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        assert settings.CELERY_BROKER_URL == "memory://"
