"""Dependencies between our apps point one way: core/ at the bottom, infrastructure above it, the domain
apps above that, and home/ (the site itself) on top. Read from the source, function-level imports included,
so a new arrow back up fails here instead of hiding in a local import.
"""

import ast
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps

REPOSITORY = Path(__file__).resolve().parents[1]
PROJECT = "whispergifts"  # settings and URLs: they name every app
# What the ground floor and the infrastructure may import of ours.
MAY_IMPORT = {
    "core": set(),
    "ops": set(),
    "notifications": {"core", "ops"},
}
ON_TOP = "home"  # may import any app; none imports it


def our_apps() -> list[str]:
    return sorted(
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(REPOSITORY) and ".venv" not in Path(config.path).parts
    )


def imports_between_apps() -> dict[str, dict[str, set[str]]]:
    """{app: {imported app: {files importing it}}}, from every module outside migrations."""
    ours = set(our_apps()) | {PROJECT}
    found = defaultdict(lambda: defaultdict(set))
    for app in ours:
        for path in (REPOSITORY / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    imported = name.split(".")[0]
                    if imported in ours and imported != app:
                        found[app][imported].add(str(path.relative_to(REPOSITORY)))
    return found


def test_the_ground_floor_and_the_infrastructure_import_no_domain_app():
    graph = imports_between_apps()
    wrong = {
        app: {imported: sorted(files) for imported, files in graph[app].items() if imported not in allowed}
        for app, allowed in MAY_IMPORT.items()
    }
    assert not any(wrong.values()), f"imports that point up from the ground floor or the infrastructure: {wrong}"


def test_nothing_imports_the_site_on_top():
    graph = imports_between_apps()
    importers = {app: sorted(imported[ON_TOP]) for app, imported in graph.items() if ON_TOP in imported}
    importers.pop(PROJECT, None)
    assert not importers, f"{ON_TOP}/ is the top: move what these need into core/ or their own app: {importers}"


def test_no_app_imports_an_app_that_imports_it_back():
    graph = imports_between_apps()
    graph.pop(PROJECT, None)
    cycles = []

    def visit(app, path):
        for imported in sorted(graph.get(app, {})):
            if imported in path:
                cycles.append(path[path.index(imported) :] + [imported])
            elif imported not in finished:
                visit(imported, [*path, imported])
        finished.add(app)

    finished = set()
    for app in sorted(graph):
        if app not in finished:
            visit(app, [app])
    details = [
        " -> ".join(cycle)
        + ": "
        + "; ".join(f"{a}->{b} in {sorted(graph[a][b])}" for a, b in itertools.pairwise(cycle))
        for cycle in cycles
    ]
    assert not details, "apps that import each other in a circle:\n" + "\n".join(details)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_layer_named_here_is_an_app_of_ours(app):
    assert app in our_apps()
