"""The statistics window: opened by its shortcut, the hand-made cases' figures, period, Peek, language."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.inline import plain_text
from wizard.core.library import FlowLibrary
from wizard.core.model import NodeRef
from wizard.store.cases import CaseStore
from wizard.ui.main_window import MainWindow
from wizard.ui.stats_window import StatsWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from stats.test_stats import case_a, case_b, case_c, case_d
from test_step_feedback import open_window as open_window  # a fixture: a main window with a case store


def saved_cases(library: FlowLibrary, path: Path) -> Path:
    with CaseStore(path) as store:
        for make in (case_a, case_b, case_c, case_d):
            store.save(make(library.flowset))
    return path


def opened(qtbot: QtBot, library: FlowLibrary, database: Path, lang: str = "en") -> StatsWindow:
    window = StatsWindow(library.flowset, lang, database, today=dt.date(2026, 12, 1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.facts is not None, timeout=20_000)  # read in its thread
    return window


def column(window: StatsWindow, name: str, number: int) -> list[str]:
    table = window.tables[name]
    return [table.item(row, number).text() for row in range(table.rowCount())]


def test_the_figures_of_the_hand_made_cases(qtbot: QtBot, library: FlowLibrary, tmp_path: Path) -> None:
    window = opened(qtbot, library, saved_cases(library, tmp_path / "cases.sqlite3"))
    window.period_box.setCurrentIndex(window.period_box.findData(0))  # all cases
    assert window.summary.text().startswith("4 cases: 25 % resolved")
    assert [text.rsplit(" ", 1)[-1] for text in column(window, "drop_offs", 0)] == ["[ios#ws-trust]"]
    assert column(window, "answer_changes", 0)[0].endswith("[ios#symptom]")
    assert column(window, "slowest_steps", 0)[0].endswith("[ios#sync-result]")
    assert column(window, "slowest_steps", 2)[0] == "5 min 00 s"
    assert column(window, "gaps", 0)[:2] == ["0x87d1fde8", "[redacted] cannot enroll [redacted]"]
    assert column(window, "feedback", 2) == ["1", "0"]  # unclear
    for name in ("outcomes", "per_flow", "per_period"):
        assert window.charts[name].renderer().isValid()
    assert window.map_flow() == "ios"  # the flow with the most cases, while no flow is picked
    assert window.map_widget.renderer().isValid()
    assert window.map_note.text().startswith("iOS problems: each step shaded")
    # The last 7 days up to 2026-12-01 (from 2026-11-25) hold B, C and D.
    window.period_box.setCurrentIndex(window.period_box.findData(7))
    assert window.summary.text().startswith("3 cases: 0 % resolved, 33 % escalated")
    # The flow picker counts cases that pass the flow.
    window.period_box.setCurrentIndex(window.period_box.findData(0))
    window.flow_box.setCurrentIndex(window.flow_box.findData("android"))
    assert window.summary.text().startswith("1 cases: 100 % resolved")


def test_a_row_opens_its_step_in_peek(qtbot: QtBot, library: FlowLibrary, tmp_path: Path) -> None:
    window = opened(qtbot, library, saved_cases(library, tmp_path / "cases.sqlite3"))
    window.period_box.setCurrentIndex(window.period_box.findData(0))
    window.tabs.setCurrentWidget(window.tables["drop_offs"])
    table = window.tables["drop_offs"]
    assert not window.preview.isVisible()
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.preview.isVisible()
    node = library.flowset.node(NodeRef("ios", "ws-trust"))
    assert plain_text(node.title.get("en")) in window.preview.title.text()


def test_opened_from_the_main_window_and_switched_to_swedish(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    main = make_window("en")
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    qtbot.keyClick(
        main, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    window = main.stats_window
    assert isinstance(window, StatsWindow)
    qtbot.waitUntil(lambda: window.facts is not None, timeout=20_000)
    assert window.windowTitle() == "Statistics"
    main.set_language("sv")
    qtbot.waitUntil(lambda: window.windowTitle() == "Statistik")  # LanguageChange is posted
    assert window.tabs.tabText(0) == "Diagram"
    assert window.summary.text().startswith("0 ärenden")
    main.set_language("en")


def test_a_team_folder_adds_its_cases_once(qtbot: QtBot, library: FlowLibrary, tmp_path: Path) -> None:
    from wizard.export.json_case import to_json_text

    window = opened(qtbot, library, saved_cases(library, tmp_path / "cases.sqlite3"))
    window.period_box.setCurrentIndex(window.period_box.findData(0))
    assert window.summary.text().startswith("4 cases")
    team = tmp_path / "team"
    team.mkdir()
    for make in (case_a, case_b):  # A and B are also saved here: counted once
        case = make(library.flowset)
        (team / f"{case.id}.json").write_text(to_json_text(case, redact=True), encoding="utf-8")
    (team / "broken.json").write_text("{", encoding="utf-8")
    window.add_folder(team)
    qtbot.waitUntil(lambda: window.folder_button.isEnabled(), timeout=20_000)  # read again, store and folder
    assert window.summary.text().startswith("4 cases") and window.summary.text().endswith("1 not counted.")
    assert window.tally.duplicates == 2


def test_closing_while_reading_stops_the_reading(
    qtbot: QtBot, library: FlowLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long read (here one that never ends by itself) stops when the window closes: no thread is
    left running, and closing does not wait for the read to finish."""
    import time

    from wizard.stats import core

    def endless(tally: object, store: object, flowset: object, progress: Callable[[int, int], None]) -> None:
        done = 0
        while True:
            done += 1
            progress(done, 0)
            time.sleep(0.001)

    monkeypatch.setattr(core, "add_store", endless)
    window = StatsWindow(library.flowset, "en", saved_cases(library, tmp_path / "cases.sqlite3"))
    qtbot.addWidget(window)
    seen: list[int] = []
    window.reader.progress.connect(lambda done, _total: seen.append(done))
    window.show()
    qtbot.waitUntil(lambda: len(seen) > 10, timeout=10_000)  # reading, and going on
    started = time.perf_counter()
    window.reject()
    assert time.perf_counter() - started < 5
    assert not window.reader.isRunning()
    assert window.facts is None


def test_quitting_the_app_stops_the_statistics_reading(
    open_window: Callable[..., MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from wizard.stats import core

    def endless(tally: object, store: object, flowset: object, progress: Callable[[int, int], None]) -> None:
        while True:
            progress(1, 0)
            time.sleep(0.001)

    monkeypatch.setattr(core, "add_store", endless)
    main = open_window("en")  # with a case store
    main.show_statistics()
    window = main.stats_window
    assert isinstance(window, StatsWindow)
    assert window.database is not None and window.database.exists()  # so the endless read runs
    reader = window.reader
    seen: list[int] = []
    reader.progress.connect(lambda done, _total: seen.append(done))
    qtbot.waitUntil(lambda: len(seen) > 10, timeout=10_000)
    main.close()
    assert not reader.isRunning()


def test_the_progress_bar_moves_while_a_folder_is_read(
    qtbot: QtBot, library: FlowLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.export.json_case import to_json_text
    from wizard.stats import core

    monkeypatch.setattr(core, "READ_BATCH", 3)
    window = opened(qtbot, library, saved_cases(library, tmp_path / "cases.sqlite3"))
    team = tmp_path / "team"
    team.mkdir()
    for number in range(4):  # 12 files: three copies of each case
        for make in (case_a, case_b, case_c):
            (team / f"{number}-{make.__name__}.json").write_text(to_json_text(make(library.flowset)), "utf-8")
    shown: list[tuple[int, int]] = []
    window.progress.valueChanged.connect(lambda value: shown.append((value, window.progress.maximum())))
    window.add_folder(team)
    qtbot.waitUntil(lambda: window.folder_button.isEnabled(), timeout=20_000)
    assert shown == [(3, 12), (6, 12), (9, 12), (12, 12)]
    assert window.summary.text().startswith("4 cases")
