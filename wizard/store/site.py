"""The machine-wide settings an organisation's device management writes and agents only read.

One JSON file, e.g. `/etc/xdg/troubleshooting-wizard/settings.json` on Linux or
`C:\\ProgramData\\troubleshooting-wizard\\settings.json` on Windows (`paths.site_settings_file()`):

    {"flow_dirs": ["/opt/contoso/wizard-pack/flows", "\\\\\\\\fileserver\\\\packs\\\\contoso"]}

Its `flow_dirs` are read at every start, after the agent's own settings, so an agent's settings can
neither remove them nor replace their flows. The app never writes this file. A relative folder is
taken from the file's own folder. A damaged file is reported as data and the app goes on without it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from wizard.store import paths

MAX_SITE_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SiteProblem:
    kind: str  # "unreadable" | "invalid"
    path: Path
    detail: str


@dataclass(frozen=True)
class SiteSettings:
    flow_dirs: list[Path] = field(default_factory=list)
    problem: SiteProblem | None = None


def load_site_settings(path: Path | None = None) -> SiteSettings:
    path = path or paths.site_settings_file()
    try:
        if path.stat().st_size > MAX_SITE_FILE_BYTES:
            return SiteSettings(problem=SiteProblem("invalid", path, "larger than 1 MiB"))
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SiteSettings()
    except (OSError, UnicodeDecodeError) as exc:
        return SiteSettings(problem=SiteProblem("unreadable", path, str(exc)))
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return SiteSettings(problem=SiteProblem("invalid", path, str(exc)))
    dirs = data.get("flow_dirs", []) if isinstance(data, dict) else None
    if not isinstance(dirs, list) or not all(isinstance(item, str) and item.strip() for item in dirs):
        return SiteSettings(
            problem=SiteProblem("invalid", path, "'flow_dirs' must be a list of folder names")
        )
    return SiteSettings([path.parent / Path(item).expanduser() for item in dirs])
