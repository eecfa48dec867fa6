"""The house's shape: imports run down the floors only, and no migration imports project code.

Floors, bottom up: core (helpers with no domain) -> meetings -> workplan -> baliwg (the site, which
composes both). A module may import its own floor and the floors below, never one above; the README's
Layout section says where a new feature goes.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {"core": 0, "meetings": 1, "workplan": 2, "baliwg": 3}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level project package, line) for every import of the module at `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package_parts = path.relative_to(ROOT).parent.parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's own package
                base = package_parts[: len(package_parts) - node.level + 1]
                names = [".".join([*base, node.module or ""])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in FLOORS:
                found.add((top, node.lineno))
    return found


def modules(package: str):
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def upward_imports(package: str) -> list[str]:
    floor = FLOORS[package]
    return [
        f"{path.relative_to(ROOT)}:{line} imports {top} (floor {FLOORS[top]}) from floor {floor}"
        for path in modules(package)
        for top, line in imported_packages(path)
        if FLOORS[top] > floor
    ]


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_no_module_imports_a_floor_above_its_own(package):
    assert not upward_imports(package)


@pytest.mark.parametrize("package", ["meetings", "workplan"])
def test_migrations_import_no_project_code(package):
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in sorted((ROOT / package / "migrations").glob("*.py"))
        for top, line in imported_packages(path)
    ]
    assert not offenders


def test_the_guard_sees_an_upward_import(tmp_path, monkeypatch):
    """The guard itself: a module of meetings that imports workplan is reported."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "meetings").mkdir()
    (tmp_path / "meetings" / "views.py").write_text("from workplan.models import WorkPlanItem\nfrom . import models\n")
    assert upward_imports("meetings") == ["meetings/views.py:1 imports workplan (floor 2) from floor 1"]


def test_templates_of_meetings_name_no_url_of_a_floor_above():
    """Meetings' pages link to the work plan through the layout's links (baliwg.context_processors)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates" / "meetings").glob("*.html"))
        if "{% url 'workplan:" in path.read_text() or "{% url 'opendata:" in path.read_text()
    ]
    assert not offenders


def test_no_test_module_imports_another():
    """Shared test code lives in tests/factories.py, tests/helpers.py or a conftest, one copy each."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1].startswith("test_"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
    assert not offenders
