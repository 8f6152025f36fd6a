"""The window names itself by the desktop entry's id and carries the app icon; translations are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard import APP_ID


def test_window_has_the_desktop_id_and_icon(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QGuiApplication

    from wizard.cli import build_parser
    from wizard.ui import app as app_module

    built: list[object] = []
    monkeypatch.setattr(app_module, "smoke_test", lambda window: built.append(window) or 0)
    assert app_module.run_app(build_parser().parse_args(["--lang", "en", "--smoke-test"])) == 0
    qtbot.addWidget(built[0])
    assert QGuiApplication.desktopFileName() == APP_ID
    assert not QGuiApplication.windowIcon().isNull()


def test_missing_qt_translations_are_reported(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that left out qtbase_sv.qm says so, rather than showing Qt's dialogs in English."""
    from wizard.store import paths
    from wizard.ui import i18n

    languages = i18n.LanguageManager(paths.builtin_translations_dir(), ("sv", "en"))
    languages.apply("sv")
    assert languages.missing == []
    monkeypatch.setattr(i18n.QLibraryInfo, "path", lambda _which: str(tmp_path))
    languages.apply("sv")
    assert languages.missing == ["qtbase_sv.qm"]
    languages.apply("en")
    assert languages.missing == []


def test_smoke_test_fails_without_qt_translations(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.cli import build_parser
    from wizard.ui import app as app_module
    from wizard.ui import i18n

    windows: list[object] = []
    real_smoke_test = app_module.smoke_test
    monkeypatch.setattr(
        app_module, "smoke_test", lambda window: windows.append(window) or real_smoke_test(window)
    )
    monkeypatch.setattr(i18n.QLibraryInfo, "path", lambda _which: str(tmp_path))
    try:
        assert app_module.run_app(build_parser().parse_args(["--lang", "sv", "--smoke-test"])) == 1
    finally:
        qtbot.addWidget(windows[0])
        windows[0].languages.apply("en")  # type: ignore[attr-defined]  # the next test starts in English
    assert "translations not found: qtbase_sv.qm" in capsys.readouterr().err
