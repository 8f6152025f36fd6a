"""Which files of a folder are flow files and which are synonyms files.

Kept apart from the loader and the model, which import a good deal: the start page checks whether
its cached cards are current (the list of files in each flow folder) before anything of the flows
is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path

FLOW_SUFFIXES = (".yaml", ".yml")
SYNONYMS_NAME = re.compile(r"synonyms\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.ya?ml\Z")


def flow_files_in(directory: Path) -> list[Path]:
    """The flow files of a folder: every YAML file but the synonyms files (`synonyms.sv.yaml`)."""
    try:
        return sorted(
            path
            for path in directory.iterdir()
            if path.suffix in FLOW_SUFFIXES and not path.name.startswith("synonyms.") and path.is_file()
        )
    except OSError:
        return []


def is_synonyms_file(path: Path) -> bool:
    return SYNONYMS_NAME.match(path.name) is not None


def synonyms_files_in(directory: Path) -> list[Path]:
    try:
        return sorted(path for path in directory.iterdir() if is_synonyms_file(path) and path.is_file())
    except OSError:
        return []
