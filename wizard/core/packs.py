"""Which pack a flow came from: the built-in flows, the agent's own, or an organisation's pack.

An organisation ships a pack as a folder of flows (optionally `flows/` beside `resources/`) with a
`pack.yaml` that names it, in one language or several:

    name: Contoso IT
    # or
    name: {sv: Contosos IT-support, en: Contoso IT support}

Without a `pack.yaml` (or when it cannot be used) the pack is named after its folder, so a label
is always there; the window shows it on the flow's card. No Qt here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

PACK_FILE = "pack.yaml"
MAX_PACK_FILE_BYTES = 64 * 1024  # a name and a few words; anything larger is not a pack file
MAX_NAME_CHARS = 80


class PackKind(Enum):
    BUILTIN = "builtin"
    USER = "user"  # the agent's own flow folder
    ORGANISATION = "organisation"  # any other folder: settings, machine-wide settings, WIZARD_FLOWS_PATH


@dataclass(frozen=True)
class Pack:
    kind: PackKind
    directory: Path
    names: dict[str, str] = field(default_factory=dict)  # language -> name; "" for a name in no language
    problem: str | None = None  # why pack.yaml was not used (the folder name is then)

    def name(self, lang: str) -> str:
        """The pack's name in `lang`, else its language-free name, else English, else any, else the folder."""
        for key in (lang, "", "en"):
            if self.names.get(key):
                return self.names[key]
        return next(iter(self.names.values()), None) or folder_name(self.directory)


def pack_root(flow_dir: Path) -> Path:
    """The pack's own folder: a `flows/` folder belongs to the folder above it."""
    return flow_dir.parent if flow_dir.name == "flows" and flow_dir.parent != flow_dir else flow_dir


def folder_name(flow_dir: Path) -> str:
    return pack_root(flow_dir).name or str(flow_dir)


def read_pack(flow_dir: Path) -> Pack:
    """The organisation pack whose flows are in `flow_dir`, named by its pack.yaml when it has one."""
    for candidate in dict.fromkeys((flow_dir / PACK_FILE, pack_root(flow_dir) / PACK_FILE)):
        if candidate.is_file():
            names, problem = _names_from(candidate)
            return Pack(PackKind.ORGANISATION, flow_dir, names, problem)
    return Pack(PackKind.ORGANISATION, flow_dir)


def flow_packs(origin: dict[str, Path], builtin_dir: Path, user_dir: Path) -> dict[str, Pack]:
    """The pack of every flow, from the folder each was loaded from; each folder is read once."""
    by_folder: dict[Path, Pack] = {}
    for directory in dict.fromkeys(origin.values()):
        if directory == builtin_dir:
            by_folder[directory] = Pack(PackKind.BUILTIN, directory)
        elif directory == user_dir:
            by_folder[directory] = Pack(PackKind.USER, directory)
        else:
            by_folder[directory] = read_pack(directory)
    return {flow_id: by_folder[directory] for flow_id, directory in origin.items()}


def _names_from(path: Path) -> tuple[dict[str, str], str | None]:
    try:
        if path.stat().st_size > MAX_PACK_FILE_BYTES:
            return {}, f"{path}: larger than {MAX_PACK_FILE_BYTES // 1024} KiB; the folder name is used"
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path}: cannot be read ({exc}); the folder name is used"
    import yaml  # only an organisation's pack with a pack.yaml pays for it at start-up

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        return {}, f"{where}: not valid YAML; the folder name is used"
    raw = data.get("name") if isinstance(data, dict) else None
    if isinstance(raw, str):
        raw = {"": raw}
    if not isinstance(raw, dict) or not raw:
        return {}, f"{path}: needs 'name: <text>' or 'name: {{sv: ..., en: ...}}'; the folder name is used"
    names = {
        str(lang): _clean(value) for lang, value in raw.items() if isinstance(value, str) and _clean(value)
    }
    if not names:
        return {}, f"{path}: the name is empty; the folder name is used"
    return names, None


def _clean(text: str) -> str:
    """One line of visible text: no control or format characters (bidi overrides), at most MAX_NAME_CHARS."""
    kept = "".join(
        " " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    return " ".join(kept.split())[:MAX_NAME_CHARS]
