"""The scripts behind `make bench`, `make profile` and `make lighthouse` run outside the suite, and import most
of what they use inside functions (Django must be set up first), so a rename elsewhere would otherwise surface
only when someone next runs the target."""

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent / "benchmarks"


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = "tests.benchmarks" + ("." + node.module if node.module else "") if node.level else node.module
            for alias in node.names:
                if alias.name != "*":
                    yield module, alias.name


# The benchmark's settings build on production's, which refuse to load without its secrets.
SCRIPTS = sorted(path for path in BENCHMARKS.glob("*.py") if not path.name.endswith("settings.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_name_a_benchmark_script_imports_exists(script):
    missing = [
        f"{module}.{name}"
        for module, name in _imports(script)
        if not hasattr(importlib.import_module(module), name) and importlib.util.find_spec(f"{module}.{name}") is None
    ]
    assert not missing, f"{script.name} imports names that are gone: {missing}"
