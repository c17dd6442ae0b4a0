"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/whispergifts",
    "ALLOWED_HOSTS": "whispergifts.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "POSTMARK_SERVER_TOKEN": "postmark-token-from-the-environment",
    "ANYMAIL_WEBHOOK_SECRET": "user:webhook-secret-from-the-environment",
}


def _check(settings_module: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(GOOD_PRODUCTION_ENV))
def test_production_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in GOOD_PRODUCTION_ENV.items() if k != missing}
    result = _check("whispergifts.settings.production", env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _check("whispergifts.settings.production", {**GOOD_PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def test_production_starts_with_its_secrets():
    result = _check("whispergifts.settings.production", GOOD_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_development_needs_no_environment_at_all():
    result = _check("whispergifts.settings.dev", {})
    assert result.returncode == 0, result.stderr


def test_redis_url_switches_the_cache_and_the_task_queue(settings):
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
