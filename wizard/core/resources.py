"""Where the package's own data is: the built-in flows, drawings, translations and the case schema.

Core, export and store all read package data; this module is the one place that finds it, so the
exporters need not import the store for a path.
"""

from __future__ import annotations

from pathlib import Path


def builtin_data_dir() -> Path:
    """The folder holding the built-in `flows/`, `resources/` and `translations/`.

    An installed wheel carries them inside the package (`wizard/_data`); a source checkout (and an
    editable install) has them at the top of the repository.
    """
    # The package's own folder (importlib.resources would give the same path and cost a start 5 ms).
    packaged = Path(__file__).resolve().parents[1] / "_data"
    if (packaged / "flows").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def builtin_flows_dir() -> Path:
    return builtin_data_dir() / "flows"


def builtin_resources_dir() -> Path:
    return builtin_data_dir() / "resources"


def builtin_translations_dir() -> Path:
    return builtin_data_dir() / "translations"


def case_schema_file() -> Path:
    """docs/case.schema.json: `import` checks case files against it."""
    return builtin_data_dir() / "docs" / "case.schema.json"
