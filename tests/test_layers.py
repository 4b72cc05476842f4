"""The house stays as drawn: each app imports only the rows below it, and no two apps import each other.

The graph is read from the code itself (every `import`, at module level or inside a function: a
lazy import is still a dependency), app by app, leaving out tests and migrations. The rows, bottom
to top (README "Architecture"):

    ground     core, organisations, accounts
    log        audit
    access     access                      (the access core: who, memberships, grants, scope)
    domain     clients → network → casework → meetings → partnership → ratings → caseload → training → evaluation
    pages      pages                       (family page, team page, the auditor's views)
    top        api, demo
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

APPS_DIR = Path(__file__).resolve().parent.parent / "apps"

RANK = {
    "core": 0,
    "organisations": 1,
    "accounts": 1,
    "audit": 2,
    "access": 3,
    "clients": 4,
    "network": 5,
    "casework": 6,
    "meetings": 7,
    "partnership": 7.5,  # lifts a team meeting's plan steps into the shared plan
    "ratings": 8,
    "caseload": 9,
    "training": 9.5,  # its status of each member feeds evaluation's fidelity
    "evaluation": 10,
    "pages": 11,
    "api": 12,
    "demo": 13,
}


def app_imports(apps_dir: Path = APPS_DIR) -> dict[str, dict[str, set[str]]]:
    """app -> imported app -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in apps_dir.rglob("*.py"):
        relative = path.relative_to(apps_dir)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        app = relative.parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "apps" and parts[1] != app:
                    graph[app][parts[1]].add(str(relative))
    return graph


def test_every_app_has_a_row():
    apps = {p.name for p in APPS_DIR.iterdir() if (p / "__init__.py").exists()}
    assert apps == set(RANK), f"place new apps in a row: {apps ^ set(RANK)}"


def test_no_app_imports_from_a_row_above_or_beside_it():
    upward = [
        f"{app} -> {target} ({', '.join(sorted(files))})"
        for app, targets in app_imports().items()
        for target, files in targets.items()
        if RANK[target] >= RANK[app]
    ]
    assert not upward, "imports that climb the house:\n" + "\n".join(upward)


def test_no_import_cycle_between_apps():
    graph = {app: set(targets) for app, targets in app_imports().items()}
    cycles = []

    def visit(app, path):
        for target in graph.get(app, ()):
            if target in path:
                cycles.append(path[path.index(target) :] + [target])
            elif len(path) < len(RANK):
                visit(target, [*path, target])

    for app in graph:
        visit(app, [app])
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_the_access_core_imports_only_the_ground_and_the_log():
    assert set(app_imports()["access"]) <= {"core", "organisations", "accounts", "audit"}


def test_the_graph_reader_sees_imports_inside_functions_and_skips_tests(tmp_path):
    """The checks above can fail: a lazy import of a higher app is found like any other."""
    (tmp_path / "clients" / "tests").mkdir(parents=True)
    (tmp_path / "clients" / "selectors.py").write_text("def f():\n    from apps.pages.views import home\n    import apps.ratings.models\n")
    (tmp_path / "clients" / "tests" / "test_x.py").write_text("from apps.api import api\n")
    assert {app: set(targets) for app, targets in app_imports(tmp_path).items()} == {"clients": {"pages", "ratings"}}
