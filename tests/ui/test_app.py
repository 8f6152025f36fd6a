"""Starting the app from the command line: smoke test, deep links, language, user errors."""

from __future__ import annotations

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
    window = built[0]
    qtbot.addWidget(window)
    assert str(window.session.current_ref) == "error-codes#clock"
    assert str(window.session.path[0].ref) == "start#platform"
    QApplication.processEvents()
    assert window.step_view.back_button.text() == "← Tillbaka"
    window.languages.apply("en")
