"""The settings file: readable JSON, written atomically; a damaged file is reported, kept aside, never eaten.

Limits (documented in the README): the file holds at most MAX_SETTINGS_BYTES; every value has a type
and a range (`_RULES`). A value outside them is ignored, with a notice naming its key, and the rest of
the file is used. A file that cannot be read at all (not UTF-8, not JSON, nested too deep, too large,
not a file) is renamed to `settings.json.damaged-<time>` before anything new is written in its place;
when it cannot be renamed, it is left alone and the settings are not saved over it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from wizard.core.files import write_atomically
from wizard.store import paths

MAX_SETTINGS_BYTES = 1024 * 1024  # a real settings file is well under 4 KiB


@dataclass
class Settings:
    language: str | None = None  # None: follow the system locale
    font_scale: float = 1.0
    flow_dirs: list[str] = field(default_factory=list)
    window_geometry: str | None = None  # base64 of QWidget.saveGeometry()
    agent_name: str = ""
    review_max_age_days: int = 365
    case_retention_days: int = 0  # delete cases not changed for this many days; 0 keeps them
    presentation_font_scale: float = 1.8
    save_demo_walks: bool = False  # in presentation mode, walks are demos and not saved unless this is on


class NoticeKind(StrEnum):
    KEPT_ASIDE = "kept_aside"  # the file could not be read; it was renamed to `kept_as`, defaults used
    LEFT_IN_PLACE = "left_in_place"  # could not be read nor renamed: left alone, not saved over
    IGNORED = "ignored"  # some values were unknown, of the wrong type or out of range: `keys`


class Unreadable(StrEnum):
    """Why a settings file could not be used at all."""

    TOO_LARGE = "too_large"
    NOT_UTF8 = "not_utf8"
    NOT_JSON = "not_json"
    TOO_DEEP = "too_deep"
    NOT_AN_OBJECT = "not_an_object"
    NOT_A_FILE = "not_a_file"
    OS_ERROR = "os_error"  # `detail` holds the system's words


@dataclass(frozen=True)
class SettingsNotice:
    """Something the agent should know about the settings file; the window words it in its language."""

    kind: NoticeKind
    path: Path
    reason: Unreadable | None = None
    detail: str = ""
    kept_as: Path | None = None
    keys: tuple[str, ...] = ()

    def english(self) -> str:
        """The notice in English, for the command line and logs."""
        if self.kind is NoticeKind.IGNORED:
            return (
                f"Ignored unknown, wrong-typed or out-of-range settings in {self.path}: "
                f"{', '.join(self.keys)}; their defaults are used."
            )
        why = _ENGLISH_REASONS[self.reason or Unreadable.OS_ERROR]
        if self.detail:
            why += f" ({self.detail})"
        if self.kind is NoticeKind.KEPT_ASIDE:
            return f"The settings file {self.path} was damaged: {why}. It was kept as {self.kept_as} and defaults are used."
        return (
            f"The settings file {self.path} cannot be read: {why}. It is left as it is, "
            "defaults are used and settings changes are not saved over it."
        )


_ENGLISH_REASONS = {
    Unreadable.TOO_LARGE: "it is larger than 1 MiB",  # MAX_SETTINGS_BYTES
    Unreadable.NOT_UTF8: "it is not UTF-8 text",
    Unreadable.NOT_JSON: "it is not valid JSON",
    Unreadable.TOO_DEEP: "it is nested too deeply",
    Unreadable.NOT_AN_OBJECT: "it does not hold a JSON object",
    Unreadable.NOT_A_FILE: "it is not a regular file",
    Unreadable.OS_ERROR: "it cannot be read",
}


@dataclass
class LoadedSettings:
    settings: Settings
    notices: list[SettingsNotice] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """The notices in English, one sentence after another; None when the file was fine."""
        return " ".join(notice.english() for notice in self.notices) or None


class _Damaged(Exception):
    def __init__(self, reason: Unreadable, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail


def _read(path: Path) -> dict[str, Any]:
    """The file's JSON object; FileNotFoundError when there is none, _Damaged when it cannot be used."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # never open a pipe or a device, nor a folder
            raise _Damaged(Unreadable.NOT_A_FILE)
        with path.open("rb") as stream:
            raw = stream.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _Damaged(Unreadable.OS_ERROR, exc.strerror or str(exc)) from exc
    if len(raw) > MAX_SETTINGS_BYTES:
        raise _Damaged(Unreadable.TOO_LARGE)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Damaged(Unreadable.NOT_UTF8, f"byte {exc.start}") from exc
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise _Damaged(Unreadable.TOO_DEEP) from exc
    except ValueError as exc:
        raise _Damaged(Unreadable.NOT_JSON, str(exc)) from exc
    if not isinstance(data, dict):
        raise _Damaged(Unreadable.NOT_AN_OBJECT)
    return data


def load_settings(path: Path | None = None) -> LoadedSettings:
    path = path or paths.settings_file()
    try:
        data = _read(path)
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except _Damaged as damage:
        return LoadedSettings(Settings(), [_set_aside(path, damage)])
    values: dict[str, Any] = {}
    ignored: list[str] = []
    for key, value in data.items():
        rule = _RULES.get(key)
        if rule is None or not rule(value):
            ignored.append(key)
            continue
        values[key] = list(value) if isinstance(value, list) else value
    notices = [SettingsNotice(NoticeKind.IGNORED, path, keys=tuple(ignored))] if ignored else []
    return LoadedSettings(Settings(**values), notices)


def _set_aside(path: Path, damage: _Damaged) -> SettingsNotice:
    try:
        kept = _keep_aside(path)
    except OSError as exc:
        detail = "; ".join(part for part in (damage.detail, exc.strerror or str(exc)) if part)
        return SettingsNotice(NoticeKind.LEFT_IN_PLACE, path, damage.reason, detail)
    return SettingsNotice(NoticeKind.KEPT_ASIDE, path, damage.reason, damage.detail, kept_as=kept)


def _keep_aside(path: Path) -> Path:
    """Rename `path` to `<name>.damaged-<time>` (as the case database does); OSError when it cannot."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while kept.exists() or kept.is_symlink():
        number += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    os.rename(path, kept)
    return kept


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings. A file there that cannot be read is kept aside first, never written over:
    OSError when that cannot be done."""
    path = path or paths.settings_file()
    try:
        _read(path)
    except FileNotFoundError:
        pass
    except _Damaged:
        _keep_aside(path)
    write_atomically(path, json.dumps(asdict(settings), indent=2, ensure_ascii=False) + "\n")


# -- what each value may be ------------------------------------------------------------------------

_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
MAX_FLOW_DIRS = 64
MAX_PATH_CHARS = 4096
MAX_NAME_CHARS = 200
MAX_GEOMETRY_CHARS = 8192
MAX_DAYS = 36500  # a hundred years: any date arithmetic stays far inside what datetime can hold
SCALE_RANGE = (0.5, 4.0)


def _text_ok(value: object, longest: int, *, empty: bool = True) -> bool:
    """A string that can be written back as UTF-8 (no lone surrogate), without control characters."""
    if not isinstance(value, str) or len(value) > longest or (not empty and not value):
        return False
    return not any(ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF or ord(char) == 0x7F for char in value)


def _int_in(low: int, high: int) -> Callable[[object], bool]:
    return lambda value: isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _scale(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and SCALE_RANGE[0] <= value <= SCALE_RANGE[1]
    )


def _language(value: object) -> bool:
    return value is None or (isinstance(value, str) and _LANGUAGE.fullmatch(value) is not None)


def _flow_dirs(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_FLOW_DIRS
        and all(_text_ok(item, MAX_PATH_CHARS, empty=False) for item in value)
    )


def _geometry(value: object) -> bool:
    return value is None or (
        isinstance(value, str) and len(value) <= MAX_GEOMETRY_CHARS and _BASE64.fullmatch(value) is not None
    )


_RULES: dict[str, Callable[[object], bool]] = {
    "language": _language,
    "font_scale": _scale,
    "flow_dirs": _flow_dirs,
    "window_geometry": _geometry,
    "agent_name": lambda value: _text_ok(value, MAX_NAME_CHARS),
    "review_max_age_days": _int_in(0, MAX_DAYS),
    "case_retention_days": _int_in(0, MAX_DAYS),
    "presentation_font_scale": _scale,
    "save_demo_walks": lambda value: isinstance(value, bool),
}
assert set(_RULES) == {f.name for f in fields(Settings)}, "every setting has a rule"
