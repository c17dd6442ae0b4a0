"""Read settings from the environment: one small parser, used by every settings module."""

import os

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()


def env_str(name: str, default=_UNSET) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if default is _UNSET:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default=_UNSET) -> list[str]:
    value = env_str(name, default=None if default is not _UNSET else _UNSET)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
