"""The window started over a damaged or hostile settings file: it starts, says where the file was kept,
in the language of the window, and quitting writes nothing over what it could not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from wizard.cli import build_parser
from wizard.store import paths
from wizard.ui import app as app_module
from wizard.ui.main_window import MainWindow


def start_window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, *argv: str) -> MainWindow:
    """Start as the command line does, up to the window (no event loop)."""
    built: list[MainWindow] = []
    monkeypatch.setattr(app_module, "smoke_test", lambda window: built.append(window) or 0)
    assert app_module.run_app(build_parser().parse_args([*argv, "--smoke-test"])) == 0
    window = built[0]
    qtbot.addWidget(window)
    return window


def write_settings(raw: bytes) -> Path:
    path = paths.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def test_a_latin1_settings_file_is_kept_and_the_window_says_where(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = json.dumps({"agent_name": "Åsa", "flow_dirs": ["/srv/flows"], "language": "sv"}, ensure_ascii=False)
    path = write_settings(raw.encode("latin-1"))
    window = start_window(qtbot, monkeypatch, "--lang", "sv")
    (kept,) = path.parent.glob("settings.json.damaged-*")
    assert kept.read_bytes() == raw.encode("latin-1")
    text = window.notice.text()
    assert str(kept) in text and "Det gick inte att läsa inställningsfilen" in text and "UTF-8" in text
    window.set_language("en")  # the notice follows a language switch (LanguageChange is posted)
    qtbot.waitUntil(lambda: "The settings file could not be read" in window.notice.text())
    assert str(kept) in window.notice.text()
    window.close()  # quitting saves the settings: next to, not over, what was kept
    assert kept.read_bytes() == raw.encode("latin-1")
    assert json.loads(path.read_text(encoding="utf-8"))["language"] == "en"


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"case_retention_days": 1_000_000_000}, "case_retention_days"),  # OverflowError at start before
        ({"window_geometry": "AdnQyw\u00e5\u00e4\u00f6"}, "window_geometry"),  # UnicodeEncodeError before
        ({"review_max_age_days": -5}, "review_max_age_days"),  # every page marked stale before
    ],
)
def test_values_that_stopped_the_start_are_named_and_the_window_opens(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, values: dict[str, object], key: str
) -> None:
    write_settings(json.dumps({"agent_name": "Bo", **values}).encode("utf-8"))
    window = start_window(qtbot, monkeypatch, "--lang", "en")
    assert key in window.notice.text() and window.notice.isVisibleTo(window)
    assert window.settings.agent_name == "Bo"
    assert window.step_view.review_max_age_days == 365 and window.settings.case_retention_days == 0
    window.languages.apply("en")
