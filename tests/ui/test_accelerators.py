"""Alt+letter reaches one target: no two accelerators clash in any window, page, dialog or menu.

The letters are read through Qt's public API only (the widgets and actions a window holds, their
texts and buddies), never from our own attributes, so the check keeps working when pages are
rearranged. A window is walked in every state an agent meets, in Swedish and English; the test fails
once, listing every clash it found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest
from confirmations import Confirmations
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow


def mnemonic(text: str) -> str | None:
    """The letter Alt reaches, as Qt reads it: the character after a single '&' ("&&" is a literal &)."""
    index = 0
    while (index := text.find("&", index)) != -1 and index + 1 < len(text):
        if text[index + 1] != "&":
            return text[index + 1].lower()
        index += 2
    return None


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisible()


def window_accelerators(window: QWidget) -> list[tuple[str, str]]:
    """(letter, text) for each accelerator Alt+letter reaches in `window` as it is shown now."""
    texts: list[str] = []
    for bar in window.findChildren(QMenuBar):
        if _shown(bar, window):
            texts += [action.text() for action in bar.actions() if action.isVisible()]
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window):
            texts.append(button.text())
    for label in window.findChildren(QLabel):
        if _shown(label, window) and label.buddy() is not None:
            texts.append(label.text())
    for group in window.findChildren(QGroupBox):
        if _shown(group, window):
            texts.append(group.title())
    for tabs in window.findChildren(QTabBar):
        if _shown(tabs, window):
            texts += [tabs.tabText(index) for index in range(tabs.count()) if tabs.isTabVisible(index)]
    return [(letter, text) for text in texts if (letter := mnemonic(text)) is not None]


def menu_accelerators(window: QWidget) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """For each menu (and submenu) of the window's menu bars: its title and its (letter, text) pairs."""
    pending: list[QMenu] = []
    for bar in window.findChildren(QMenuBar):
        pending += [action.menu() for action in bar.actions() if isinstance(action.menu(), QMenu)]
    while pending:
        menu = pending.pop()
        entries = []
        for action in menu.actions():
            if action.isVisible() and not action.isSeparator():
                if (letter := mnemonic(action.text())) is not None:
                    entries.append((letter, action.text()))
                if isinstance(action.menu(), QMenu):
                    pending.append(action.menu())
        yield menu.title(), entries


def clashes(entries: list[tuple[str, str]]) -> list[str]:
    by_letter: dict[str, list[str]] = defaultdict(list)
    for letter, text in entries:
        by_letter[letter].append(text)
    return [
        f"Alt+{letter.upper()}: " + " / ".join(texts)
        for letter, texts in sorted(by_letter.items())
        if len(texts) > 1
    ]


def test_mnemonic_reads_the_letter_as_qt_does() -> None:
    assert mnemonic("&File") == "f"
    assert mnemonic("Pla&tform:") == "t"
    assert mnemonic("Q&&A") is None
    assert mnemonic("Q&&A &now") == "n"
    assert mnemonic("trailing &") is None
    assert clashes([("f", "&File"), ("f", "&Flow map…"), ("g", "&Go")]) == ["Alt+F: &File / &Flow map…"]


@pytest.fixture
def open_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[[str], MainWindow]]:
    stores: list[CaseStore] = []
    languages: list[LanguageManager] = []

    def make(lang: str) -> MainWindow:
        store = CaseStore()
        stores.append(store)
        manager = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
        manager.apply(lang)
        languages.append(manager)
        window = MainWindow(
            library, Settings(language=lang), manager, paths.builtin_resources_dir(), store=store
        )
        window.persist_settings = False
        window.confirm = Confirmations()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for manager in languages:
        manager.apply("en")  # leave no translator installed for the next test
    for store in stores:
        store.close()


def _walk_states(window: MainWindow, qtbot: QtBot) -> Iterator[tuple[str, QWidget]]:
    """Every page and dialog of the window, in the states an agent meets; yields (what, window shown)."""
    from wizard.ui.case_dialogs import ExportDialog, HistoryDialog
    from wizard.ui.zoom import ZoomDialog

    window.go_home()
    yield "start page", window

    window.open_at(NodeRef("start", "platform"), infer=False)
    yield "question page with the case panel", window
    window.case_panel.ticket.setText("INC-1")
    window.cases.flush()
    window.go_home()  # the case is left open: the start page offers to continue it
    yield "start page with an unfinished case", window

    window.open_at(NodeRef("general", "mdm-authority-cloud-id"))
    yield "step page with actions and commands", window
    window.open_at(NodeRef("general", "device-cap-remove"))
    yield "step page with a callout", window
    window.toggle_path_panel()
    yield "step page without the path panel", window
    window.toggle_path_panel()

    window.open_at(NodeRef("general", "resolved"))
    yield "end page", window
    case = window.cases.case
    assert case is not None
    window.close_case()
    window.open_at(NodeRef("general", "escalate"))
    yield "end page (escalated)", window

    window.start_replay(case, redact=True)
    yield "replay", window
    window.exit_replay()

    window.open_at(NodeRef("ios", "unable-to-sync"))
    window.set_presentation(True)
    yield "presentation mode", window
    window.set_presentation(False)

    window.show_flow_map()
    flow_map = window.flow_map
    assert flow_map is not None
    qtbot.waitExposed(flow_map)
    yield "flow map", flow_map
    flow_map.set_peek(True)  # type: ignore[attr-defined]
    flow_map.peek_at(NodeRef("ios", "unable-to-sync"))  # type: ignore[attr-defined]
    yield "flow map, peeking", flow_map
    flow_map.close()

    window.show_history()
    history = window.findChild(HistoryDialog)
    assert history is not None
    qtbot.waitExposed(history)
    yield "case history", history
    history.close()

    export = ExportDialog(case.id, window.lang, window)
    export.show()
    qtbot.waitExposed(export)
    yield "export dialog", export
    export.close()

    window.open_at(NodeRef("ios", "unable-to-sync"))
    assert window.step_view.thumbnails
    zoom = ZoomDialog(window.step_view.thumbnails[0].path, "", "", window)
    zoom.show()
    qtbot.waitExposed(zoom)
    yield "screenshot zoom", zoom
    zoom.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_accelerator_clashes_anywhere(open_window, qtbot: QtBot, lang: str) -> None:
    window = open_window(lang)
    found: list[str] = []
    seen = 0
    for state, shown in _walk_states(window, qtbot):
        QApplication.processEvents()
        entries = window_accelerators(shown)
        seen += len(entries)
        found += [f"[{lang}] {state}: {clash}" for clash in clashes(entries)]
        if shown is window:
            for title, menu_entries in menu_accelerators(window):
                found += [f"[{lang}] menu {title}: {clash}" for clash in clashes(menu_entries)]
    assert seen > 100  # the walk really saw the pages and dialogs
    assert not found, "Accelerators that clash:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_alt_letter_takes_each_field_to_its_own_box(open_window, qtbot: QtBot, lang: str) -> None:
    """Pressed, every field label's letter puts the cursor in that field: nothing else answers it."""
    from PySide6.QtCore import Qt

    window = open_window(lang)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_at(NodeRef("general", "mdm-authority-cloud-id"))
    QApplication.processEvents()
    fields = [
        label
        for label in window.findChildren(QLabel)
        if _shown(label, window) and label.buddy() is not None and mnemonic(label.text())
    ]
    assert len(fields) >= 11  # the path, the case panel's fields and its general note
    for label in fields:
        letter = mnemonic(label.text())
        assert letter is not None and letter.isascii(), label.text()
        window.start_page.setFocus()  # anywhere else first
        qtbot.keyClick(window, Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is label.buddy(), f"Alt+{letter.upper()} for {label.text()!r}"
