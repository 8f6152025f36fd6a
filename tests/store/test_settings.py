"""Settings: defaults, round trip, a damaged file kept aside and reported, locations overridable."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.store import paths
from wizard.store.settings import (
    MAX_SETTINGS_BYTES,
    LoadedSettings,
    NoticeKind,
    Settings,
    SettingsNotice,
    Unreadable,
    load_settings,
    save_settings,
)


def test_defaults_when_there_is_no_file() -> None:
    loaded = load_settings()
    assert loaded.settings == Settings() and loaded.problem is None


def test_round_trip(isolated_home: Path) -> None:
    settings = Settings(language="sv", font_scale=1.25, flow_dirs=["/srv/flows"], agent_name="Åsa")
    save_settings(settings)
    assert paths.settings_file().is_relative_to(isolated_home)
    assert load_settings().settings == settings
    assert json.loads(paths.settings_file().read_text(encoding="utf-8"))["agent_name"] == "Åsa"


def test_damaged_file_is_kept_and_reported() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.problem and "damaged" in loaded.problem
    (kept,) = path.parent.glob("settings.json.damaged-*")
    assert kept.read_text(encoding="utf-8") == "{not json" and not path.exists()
    assert str(kept) in loaded.problem


def test_unknown_and_wrong_typed_keys_are_reported_not_used() -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"language": "en", "font_scale": "huge", "colour": "red"}), encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings.language == "en" and loaded.settings.font_scale == 1.0
    assert loaded.problem and "font_scale" in loaded.problem and "colour" in loaded.problem


def test_flow_dirs_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(
        "WIZARD_FLOWS_PATH", f"{tmp_path / 'a'}{':' if sys.platform != 'win32' else ';'}{tmp_path / 'b'}"
    )
    dirs = paths.flow_dirs(["/srv/org"])
    assert dirs[0] == paths.builtin_flows_dir()
    assert dirs[1] == paths.user_flows_dir()
    assert dirs[2:] == [Path("/srv/org"), tmp_path / "a", tmp_path / "b"]


def test_builtin_content_is_found() -> None:
    assert (paths.builtin_flows_dir() / "start.yaml").is_file()
    assert (paths.builtin_resources_dir() / "screenshots").is_dir()


def test_the_core_imports_no_qt() -> None:
    code = (
        "import sys, wizard.cli, wizard.core.engine, wizard.core.library, wizard.core.search, wizard.store.settings; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


# -- a file that cannot be read is kept aside, never written over ----------------------------------

GOOD = {"language": "sv", "agent_name": "Åsa", "flow_dirs": ["/srv/flows"], "font_scale": 1.2}


def _write_settings(raw: bytes) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def _only_notice(loaded: LoadedSettings) -> SettingsNotice:
    (notice,) = loaded.notices
    return notice


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (json.dumps(GOOD, ensure_ascii=False).encode("latin-1"), Unreadable.NOT_UTF8),  # one byte 0xC5
        (b'{"language": "sv",', Unreadable.NOT_JSON),
        (b"[" * 100_000 + b"]" * 100_000, Unreadable.TOO_DEEP),
        (b'{"flow_dirs": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", Unreadable.TOO_DEEP),
        (b'["language", "sv"]', Unreadable.NOT_AN_OBJECT),
        (b'{"agent_name": "' + b"a" * (MAX_SETTINGS_BYTES + 1) + b'"}', Unreadable.TOO_LARGE),
    ],
    ids=["latin-1", "cut-short", "nested-100k", "nested-value", "not-an-object", "over-1-MiB"],
)
def test_an_unreadable_file_is_kept_aside_and_said_where(raw: bytes, reason: Unreadable) -> None:
    path = _write_settings(raw)
    loaded = load_settings()
    notice = _only_notice(loaded)
    assert loaded.settings == Settings()
    assert notice.kind is NoticeKind.KEPT_ASIDE and notice.reason is reason
    assert notice.kept_as is not None and notice.kept_as.name.startswith("settings.json.damaged-")
    assert notice.kept_as.read_bytes() == raw and not path.exists()
    assert str(notice.kept_as) in notice.english()
    if reason is Unreadable.TOO_LARGE:
        assert "larger than 1 MiB" in notice.english()


def test_quitting_after_a_latin1_file_loses_nothing() -> None:
    raw = json.dumps(GOOD, ensure_ascii=False).encode("latin-1")
    path = _write_settings(raw)
    loaded = load_settings()
    save_settings(loaded.settings)  # what the window does at quit
    kept = _only_notice(loaded).kept_as
    assert kept is not None and kept.read_bytes() == raw
    assert json.loads(path.read_text(encoding="utf-8"))["agent_name"] == ""


def test_a_file_damaged_while_running_is_kept_aside_before_saving() -> None:
    path = _write_settings(b'{"agent_name": "\xc5sa"}')
    save_settings(Settings(agent_name="Bo"))
    (kept,) = path.parent.glob("settings.json.damaged-*")
    assert kept.read_bytes() == b'{"agent_name": "\xc5sa"}'
    assert load_settings().settings.agent_name == "Bo"


def test_a_file_that_can_be_neither_read_nor_moved_is_never_written_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _write_settings(b"\xff not utf-8")

    def refuse(*_args: object) -> None:  # a folder where renaming is not allowed (a share, a policy)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    loaded = load_settings()
    notice = _only_notice(loaded)
    assert notice.kind is NoticeKind.LEFT_IN_PLACE and notice.kept_as is None
    assert "not saved over it" in notice.english() and "Permission denied" in notice.english()
    with pytest.raises(PermissionError):
        save_settings(loaded.settings)
    assert path.read_bytes() == b"\xff not utf-8"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_settings_path_that_is_not_a_file_is_not_opened(tmp_path: Path) -> None:
    path = paths.settings_file()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # opening it to read would wait for a writer forever
    loaded = load_settings()
    notice = _only_notice(loaded)
    assert notice.reason is Unreadable.NOT_A_FILE and notice.kept_as is not None
    assert stat.S_ISFIFO(os.lstat(notice.kept_as).st_mode)


# -- every value is range-checked; a bad one is named and the rest is kept -------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("case_retention_days", 1_000_000_000),
        ("case_retention_days", -1),
        ("review_max_age_days", -30),
        ("review_max_age_days", 10**30),
        ("review_max_age_days", True),
        ("window_geometry", "AdnQywADAAAAAAAA\u00e5\u00e4\u00f6"),
        ("window_geometry", "A" * 100_000),
        ("font_scale", 1e308),
        ("font_scale", 0),
        ("presentation_font_scale", -2.0),
        ("agent_name", "Bo\ud800"),  # a lone surrogate: cannot be written back as UTF-8
        ("agent_name", "x" * 10_000),
        ("agent_name", "tab\there"),
        ("flow_dirs", ["/srv/flows\u0000/evil"]),
        ("flow_dirs", [""]),
        ("flow_dirs", ["/srv"] * 1000),
        ("flow_dirs", "/srv/flows"),
        ("language", "sv; rm -rf"),
        ("language", "x" * 1000),
        ("save_demo_walks", "yes"),
    ],
)
def test_a_value_out_of_range_is_named_and_the_rest_kept(key: str, value: object) -> None:
    path = _write_settings(json.dumps({**GOOD, key: value}).encode("utf-8"))
    loaded = load_settings()
    notice = _only_notice(loaded)
    assert notice.kind is NoticeKind.IGNORED and notice.keys == (key,)
    assert key in notice.english()
    assert getattr(loaded.settings, key) == getattr(Settings(), key)
    for kept_key, kept_value in GOOD.items():
        if kept_key != key:
            assert getattr(loaded.settings, kept_key) == kept_value
    save_settings(loaded.settings)  # what was loaded can always be written back
    assert path.is_file()


def test_values_within_range_are_used() -> None:
    values = {
        "case_retention_days": 36500,
        "review_max_age_days": 0,
        "window_geometry": "AdnQywADAAAAAAAAAAAAAAAABJ8AAAMM==",
        "font_scale": 2,
        "language": "en",
    }
    _write_settings(json.dumps(values).encode("utf-8"))
    loaded = load_settings()
    assert loaded.notices == []
    assert all(getattr(loaded.settings, key) == value for key, value in values.items())


def test_a_retention_of_a_billion_days_no_longer_stops_the_start() -> None:
    """It used to reach timedelta(days=...) at every start: OverflowError."""
    from wizard.store.cases import CaseStore

    _write_settings(b'{"case_retention_days": 1000000000}')
    settings = load_settings().settings
    with CaseStore() as store:
        store.open()
        store.purge_older_than(settings.case_retention_days)  # 0: nothing to purge, no overflow


def test_the_command_line_says_where_a_damaged_file_was_kept(isolated_home: Path) -> None:
    path = _write_settings(b'{"agent_name": "\xc5sa"}')
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "flows", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "WIZARD_HOME": str(isolated_home)},
        timeout=120,
    )
    assert done.returncode == 0 and json.loads(done.stdout)
    (kept,) = path.parent.glob("settings.json.damaged-*")
    (line,) = done.stderr.splitlines()
    assert line.startswith("troubleshooting-wizard: The settings file") and str(kept) in line
