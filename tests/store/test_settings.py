"""Settings: defaults, round trip, a damaged file kept aside and reported, locations overridable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from wizard.store import paths
from wizard.store.settings import Settings, load_settings, save_settings


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
    assert path.with_name("settings.json.damaged").read_text(encoding="utf-8") == "{not json"


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
