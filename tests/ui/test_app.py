"""Starting the app from the command line: smoke test, deep links, language, user errors."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WIZARD_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_smoke_test_passes(tmp_path: Path) -> None:
    result = run("--smoke-test", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke test passed")
    # A check writes nothing of the agent's: no settings, no case database.
    assert not list(tmp_path.rglob("settings.json")) and not list(tmp_path.rglob("cases.sqlite3"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_deep_link_with_language(tmp_path: Path, lang: str) -> None:
    result = run("--lang", lang, "--flow", "ios", "--node", "unable-to-sync", "--smoke-test", home=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--flow", "nowhere", "--smoke-test"), "no flow 'nowhere'"),
        (("--flow", "ios", "--node", "nowhere", "--smoke-test"), "has no node 'nowhere'"),
        (("--node", "x", "--smoke-test"), "--node needs --flow"),
        (("--lang", "fi", "--smoke-test"), "language 'fi' is not available"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, home=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_deep_link_in_process(qtbot, library, monkeypatch) -> None:
    """The same path the command line takes, checked on the window it builds."""
    from PySide6.QtWidgets import QApplication

    from wizard.cli import build_parser
    from wizard.ui import app as app_module

    built: list[object] = []
    monkeypatch.setattr(app_module, "smoke_test", lambda window: built.append(window) or 0)
    args = build_parser().parse_args(
        ["--lang", "sv", "--flow", "error-codes", "--node", "clock", "--smoke-test"]
    )
    assert app_module.run_app(args) == 0
    assert gc.isenabled()  # paused for start-up only
    window = built[0]
    qtbot.addWidget(window)
    assert str(window.session.current_ref) == "error-codes#clock"
    assert str(window.session.path[0].ref) == "start#platform"
    QApplication.processEvents()
    assert window.step_view.back_button.text() == "← Tillbaka"
    window.languages.apply("en")


def test_the_smoke_test_tells_a_blank_window_from_a_drawn_one(qtbot) -> None:
    """It reads back what was painted: a window that draws nothing fails."""
    from PySide6.QtWidgets import QLabel, QWidget

    from wizard.ui.app import _painted

    blank = QWidget()
    blank.setAutoFillBackground(True)
    blank.resize(200, 120)
    qtbot.addWidget(blank)
    blank.show()
    qtbot.waitExposed(blank)
    assert not _painted(blank)
    drawn = QLabel("Företagsportalen")
    drawn.resize(200, 120)
    qtbot.addWidget(drawn)
    drawn.show()
    qtbot.waitExposed(drawn)
    assert _painted(drawn)


def test_the_smoke_test_caches_the_flows_for_the_next_start(tmp_path: Path) -> None:
    assert run("--smoke-test", home=tmp_path).returncode == 0
    cache = tmp_path / "cache" / "flows.pickle"
    assert cache.is_file()
    written = cache.stat().st_mtime_ns
    second = run("--smoke-test", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert cache.stat().st_mtime_ns == written  # read, not written again
