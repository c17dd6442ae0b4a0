"""Production settings, plus two reference URLs the benchmark measures against (see urls.py)."""

from whispergifts.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
