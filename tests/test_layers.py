"""The layers, read from the source: every import (at the top or inside a function) of every module
is checked against the direction data flows, so a shortcut across a layer fails here at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wizard"

# (importing layer, imported layer): imports that go the wrong way.
FORBIDDEN = [
    ("core", "export"),
    ("core", "store"),
    ("core", "ui"),
    ("core", "cli"),
    ("export", "store"),
    ("export", "ui"),
    ("export", "cli"),
    ("store", "export"),
    ("store", "ui"),
    ("store", "cli"),
    ("ui", "cli"),
]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "wizard" else None


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """Every module `path` imports, absolute, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def wrong_way_imports(root: Path = PACKAGE) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.py")):
        source_layer = layer_of(module_name(path, root))
        for line, target in imports_of(path, root):
            if (source_layer, layer_of(target)) in FORBIDDEN:
                problems.append(f"{path.relative_to(root.parent)}:{line}: {source_layer} imports {target}")
    return sorted(set(problems))


def test_no_import_goes_against_the_layers() -> None:
    assert wrong_way_imports() == []


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("export", "from wizard.store.paths import case_schema_file\n"),
        ("export", "def f():\n    from ..store import settings\n"),
        ("store", "def f():\n    import wizard.ui.main_window\n"),
        ("core", "from wizard.ui import main_window\n"),
        ("ui", "def save():\n    from wizard.cli.map import write_map\n"),
    ],
)
def test_the_checker_sees_a_wrong_way_import(tmp_path: Path, source: str, code: str) -> None:
    """The walk itself: top-level, lazy and relative imports across a layer are all found."""
    root = tmp_path / "wizard"
    module = root / source / "sneaky.py"
    module.parent.mkdir(parents=True)
    module.write_text(code, encoding="utf-8")
    assert len(wrong_way_imports(root)) >= 1


def test_core_imports_no_qt() -> None:
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for line, target in imports_of(path):
            assert not target.startswith("PySide6"), f"{path}:{line} imports {target}"
