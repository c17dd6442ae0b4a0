"""The scripts behind `make bench`, `make profile` and `make lighthouse` run outside the suite, so a rename in one
of them would otherwise surface only when someone next runs the target."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["tests.benchmarks.run", "tests.benchmarks.lighthouse"])
def test_the_benchmark_scripts_import(module):
    assert callable(importlib.import_module(module).main)
