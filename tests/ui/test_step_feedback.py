"""Step feedback: "Unclear or wrong?" by keyboard and by mouse, kept on the case and saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from confirmations import Confirmations
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow


@pytest.fixture
def open_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[..., MainWindow]]:
    stores: list[CaseStore] = []
    windows: list[MainWindow] = []

    def make(lang: str = "en") -> MainWindow:
        store = CaseStore()
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
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.languages.apply("en")  # leave no translator installed for the next test
    for store in stores:
        store.close()


def test_feedback_by_keyboard_goes_on_the_case_and_is_saved(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    qtbot.keyClick(window, Qt.Key.Key_2)  # Android
    view = window.step_view
    assert not view.feedback.box.isVisible()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(
        focused, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert view.feedback.box.isVisible()
    assert view.feedback.kind.hasFocus()
    qtbot.keyClick(view.feedback.kind, Qt.Key.Key_Down)  # "wrong"
    qtbot.keyClick(view.feedback.kind, Qt.Key.Key_Tab)
    assert view.feedback.comment.hasFocus()
    qtbot.keyClicks(view.feedback.comment, "Option 3 is missing")
    qtbot.keyClick(view.feedback.comment, Qt.Key.Key_Return)
    assert not view.feedback.box.isVisible()
    case = window.cases.case
    assert case is not None
    assert [(str(f.ref), f.kind, f.comment, f.version) for f in case.feedback] == [
        ("android#symptom", "wrong", "Option 3 is missing", 1)
    ]
    assert case.lang == "en"
    window.cases.flush()
    saved = window.cases.store.load_data(case.id)  # type: ignore[union-attr]
    assert saved["feedback"][0]["kind"] == "wrong" and saved["lang"] == "en"


def test_feedback_by_mouse_and_escape_keeps_nothing(open_window, qtbot: QtBot) -> None:
    window = open_window("sv")
    window.open_at(NodeRef("ios", "symptom"), infer=False)
    view = window.step_view
    assert view.feedback.button.text() == "Otydligt eller fel?"
    qtbot.mouseClick(view.feedback.button, Qt.MouseButton.LeftButton)
    assert view.feedback.box.isVisible()
    qtbot.keyClick(view.feedback.kind, Qt.Key.Key_Escape)
    assert not view.feedback.box.isVisible()
    assert window.cases.case is not None and window.cases.case.feedback == []
    qtbot.mouseClick(view.feedback.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.feedback.send, Qt.MouseButton.LeftButton)
    assert [(f.kind, f.comment) for f in window.cases.case.feedback] == [("unclear", "")]
    assert view.feedback.done.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_1)  # the next step starts without the editor or the notice
    assert not view.feedback.box.isVisible() and not view.feedback.done.isVisible()
