"""Case notes in the window: typing saved, a dropped window resumed, summary, copy, export, history."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confirmations import Confirmations
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore, CaseStoreError, StoreProblem
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow
from wizard.ui.summary import CaseSummary


@pytest.fixture
def open_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[..., MainWindow]]:
    stores: list[CaseStore] = []

    def make(lang: str = "en", store: CaseStore | None = None) -> MainWindow:
        store = store or CaseStore()
        stores.append(store)
        languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
        languages.apply(lang)
        window = MainWindow(
            library,
            Settings(language=lang, agent_name="Agent Å"),
            languages,
            paths.builtin_resources_dir(),
            store=store,
        )
        window.confirm = Confirmations()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    yield make
    for store in stores:
        store.close()


def saved(window: MainWindow) -> bool:
    return not window.cases.pending


def test_typing_is_saved_within_a_second_and_a_dropped_window_resumes(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    qtbot.keyClick(window, Qt.Key.Key_2)  # Android
    assert str(window.session.current_ref) == "android#symptom"  # type: ignore[union-attr]
    qtbot.keyClicks(window.case_panel.ticket, "INC-4711")
    # QTest types ASCII only; Swedish letters arrive as the keyboard's input method would insert them.
    window.case_panel.user_name.insert("Åsa Öberg")
    qtbot.keyClicks(window.case_panel.step_note, "The user sees <b>error</b> | and `code`")
    window.case_panel.step_note.insertPlainText(" – användaren")
    qtbot.keyClicks(window.case_panel.general_note, "Called 09:12.")
    assert window.cases.pending  # typing is not saved on every key...
    qtbot.waitUntil(lambda: saved(window), timeout=1000)  # ...but within a second
    assert "Saved" in window.case_panel.status.text()
    case = window.cases.case
    assert case is not None
    expected = case.to_json()
    # The window is dropped without closing (a crash or power cut): nothing more is written.
    window.cases.timer.stop()
    window.hide()

    fresh = open_window()
    banner = fresh.start_page.resume_banner
    assert banner.isVisible() and case.id in fresh.start_page.resume_text.text()
    qtbot.mouseClick(fresh.start_page.resume_button, Qt.MouseButton.LeftButton)
    resumed = fresh.cases.case
    assert resumed is not None and resumed.id == case.id
    assert resumed.to_json()["session"] == expected["session"]
    assert (resumed.ticket, resumed.user.name, resumed.general_note) == (
        "INC-4711",
        "Åsa Öberg",
        "Called 09:12.",
    )
    assert fresh.on_walk_page() and str(fresh.session.current_ref) == "android#symptom"  # type: ignore[union-attr]
    assert fresh.case_panel.step_note.toPlainText() == "The user sees <b>error</b> | and `code` – användaren"
    assert fresh.case_panel.ticket.text() == "INC-4711"


def test_step_note_follows_the_step_and_changes_follow_the_engine(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.choose(1)
    qtbot.keyClicks(window.case_panel.step_note, "note on android")
    window.back()
    assert window.case_panel.step_note.toPlainText() == ""
    assert "step 1" in window.case_panel.step_note_label.text()
    window.confirm.answer = True  # type: ignore[attr-defined]
    window.choose(2)  # a different platform: the Android note leaves the case
    qtbot.waitUntil(lambda: saved(window), timeout=1000)
    case = window.cases.case
    assert case is not None
    assert [str(v.ref) for v in case.visits] == ["start#platform", "ios#symptom"]
    assert all(row.note != "note on android" for row in case.path_rows("en"))
    stored = CaseStore().load(case.id, window.flowset)
    assert [str(v.ref) for v in stored.visits] == ["start#platform", "ios#symptom"]


def test_end_page_summary_copy_and_close(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("general", "company-portal-unavailable"))
    window.session.set_tick(0, True)  # type: ignore[union-attr]
    window.choose(0)  # solved
    summary = window.step_view.content.findChild(CaseSummary)
    assert summary is not None
    assert "Company Portal" in summary.text.toPlainText()
    summary.language.setCurrentIndex(summary.language.findData("sv"))
    assert "Löst" in summary.text.toPlainText() or "löst" in summary.text.toPlainText()
    qtbot.mouseClick(summary.copy_button, Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasText() and mime.hasHtml()
    assert "Företagsportalen" in mime.text() and "<html" in mime.html().lower()
    assert summary.copy_button.text() == "✓ Copied"
    case_id = window.cases.case.id  # type: ignore[union-attr]
    qtbot.mouseClick(summary.close_button, Qt.MouseButton.LeftButton)
    assert not window.on_walk_page() and window.cases.case is None
    assert not window.start_page.resume_banner.isVisible()
    assert CaseStore().load(case_id, window.flowset).is_finished
    assert any(case_id in button.text() for button in window.start_page.recent_buttons)


def test_export_from_the_window(open_window, qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    window = open_window()
    window.open_at(NodeRef("windows", "already-enrolled"))
    qtbot.keyClicks(window.case_panel.user_name, "Nils Nilsson")
    target = tmp_path / "out" / "case.json"
    target.parent.mkdir()

    def answer(dialog) -> bool:
        dialog.format.setCurrentIndex(dialog.format.findData("json"))
        dialog.language.setCurrentIndex(dialog.language.findData("sv"))
        dialog.redact.setChecked(True)
        return True

    monkeypatch.setattr(window, "run_dialog", answer)
    monkeypatch.setattr(
        "wizard.ui.case_dialogs.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    window.menus.export_action.trigger()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["id"] == window.cases.case.id  # type: ignore[union-attr]
    assert "Nils Nilsson" not in target.read_text(encoding="utf-8")


def test_history_search_continue_duplicate_delete(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("ios", "unable-to-sync"))
    qtbot.keyClicks(window.case_panel.ticket, "INC-1")
    window.cases.flush()
    first = window.cases.case.id  # type: ignore[union-attr]
    window.close_case()
    window.open_at(NodeRef("error-codes", "clock"))
    qtbot.keyClicks(window.case_panel.ticket, "INC-2")
    window.cases.flush()
    window.close_case()

    window.show_history()
    from wizard.ui.case_dialogs import HistoryDialog

    dialog = window.findChild(HistoryDialog)
    assert dialog is not None and dialog.table.rowCount() == 2
    qtbot.keyClicks(dialog.search, "0x80CF0437")
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "INC-2"
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "INC-1")
    assert dialog.table.rowCount() == 1 and dialog.selected_id() == first
    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    assert "Copied as" in dialog.message.text()
    dialog.search.clear()
    assert dialog.table.rowCount() == 3
    window.confirm.answer = False  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 3
    window.confirm.answer = True  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2 and window.confirm.asked[-1] == "Delete the case?"  # type: ignore[attr-defined]
    dialog.table.selectRow(0)
    chosen = dialog.selected_id()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert window.on_walk_page() and window.cases.case is not None and window.cases.case.id == chosen


def test_a_corrupt_database_is_set_aside_and_work_goes_on(open_window, qtbot: QtBot) -> None:
    database = paths.cases_database()
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(b"this is not a database" * 100)
    window = open_window()
    QApplication.processEvents()
    assert "kept aside" in window.notice.text() and window.notice.isVisible()
    assert list(database.parent.glob("cases.sqlite3.corrupt-*"))
    window.open_at(NodeRef("start", "platform"), infer=False)
    qtbot.keyClicks(window.case_panel.ticket, "INC-9")
    qtbot.waitUntil(lambda: saved(window), timeout=1000)
    assert CaseStore().load(window.cases.case.id, window.flowset).ticket == "INC-9"  # type: ignore[union-attr]


def test_a_failing_disk_keeps_the_case_and_retries(open_window, qtbot: QtBot, monkeypatch) -> None:
    store = CaseStore()
    window = open_window(store=store)
    real_save = store.save
    failures = {"left": 3}

    def flaky_save(case) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise CaseStoreError(StoreProblem.DISK_FULL, store.path)
        real_save(case)

    monkeypatch.setattr(store, "save", flaky_save)
    monkeypatch.setattr("wizard.ui.case_controller.RETRY_MS", 50)
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.cases.pending
    assert (
        "Not saved" in window.case_panel.status.text() and "disk is full" in window.case_panel.status.text()
    )
    window.confirm.answer = False  # type: ignore[attr-defined]
    window.close()  # quitting asks first while a case is unsaved
    assert window.isVisible() and window.confirm.asked == ["Quit without saving?"]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: saved(window), timeout=3000)
    assert "Saved" in window.case_panel.status.text()
    assert store.exists(window.cases.case.id)  # type: ignore[union-attr]


def test_hostile_notes_stay_plain_text(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("general", "escalate"))
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) | a | b |\x1b[31m red \u202e"
    window.case_panel.general_note.setPlainText(hostile)
    window.refresh_page()
    summary = window.step_view.content.findChild(CaseSummary)
    assert summary is not None
    assert "<script>" in summary.text.toPlainText() or "script" in summary.text.toPlainText()
    assert "\x1b" not in summary.text.toPlainText()
    html = (
        summary.case
        and __import__("wizard.export", fromlist=["export_case"])
        .export_case(summary.case, "html", "en")
        .decode()
    )
    assert "<script>alert" not in html and "javascript:" not in html.replace("javascript:alert(1))", "")
