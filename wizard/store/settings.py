"""The settings file: readable JSON, written atomically; a damaged file is reported, kept aside, never eaten."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from wizard.core.files import write_atomically
from wizard.store import paths


@dataclass
class Settings:
    language: str | None = None  # None: follow the system locale
    font_scale: float = 1.0
    flow_dirs: list[str] = field(default_factory=list)
    window_geometry: str | None = None  # base64 of QWidget.saveGeometry()
    agent_name: str = ""
    review_max_age_days: int = 365
    case_retention_days: int = 0
    presentation_font_scale: float = 1.8
    save_demo_walks: bool = False  # in presentation mode, walks are demos and not saved unless this is on  # delete cases not changed for this many days; 0 keeps them


@dataclass
class LoadedSettings:
    settings: Settings
    problem: str | None = None  # a message for the user when the file was damaged


def load_settings(path: Path | None = None) -> LoadedSettings:
    path = path or paths.settings_file()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSettings(Settings(), f"Could not read the settings file {path}: {exc}. Using defaults.")
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
    except ValueError as exc:
        kept = _keep_aside(path)
        return LoadedSettings(
            Settings(),
            f"The settings file {path} was damaged ({exc}); it was kept as {kept.name} and defaults are used.",
        )
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    ignored: list[str] = []
    defaults = Settings()
    for key, value in data.items():
        if key not in known or not _type_ok(value, getattr(defaults, key)):
            ignored.append(key)
            continue
        values[key] = value
    problem = f"Ignored unknown or invalid settings in {path}: {', '.join(ignored)}." if ignored else None
    return LoadedSettings(Settings(**values), problem)


def _type_ok(value: Any, default: Any) -> bool:
    if default is None:
        return value is None or isinstance(value, str)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, type(default)) and not (
        isinstance(value, bool) and not isinstance(default, bool)
    )


def _keep_aside(path: Path) -> Path:
    kept = path.with_name(path.name + ".damaged")
    with contextlib.suppress(OSError):
        os.replace(path, kept)
    return kept


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or paths.settings_file()
    write_atomically(path, json.dumps(asdict(settings), indent=2, ensure_ascii=False) + "\n")
