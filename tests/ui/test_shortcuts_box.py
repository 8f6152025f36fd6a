"""The keyboard shortcuts box is read from the window's own actions and key table, so a shortcut added
to a menu shows up in it without anyone remembering to list it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from wizard.ui.actions import PAGE_KEYS
from wizard.ui.main_window import MainWindow


def menu_actions_with_shortcuts(window: MainWindow) -> list[QAction]:
    found = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert menu is not None
        found += [action for action in menu.actions() if not action.shortcut().isEmpty()]  # type: ignore[attr-defined]
    return found


def test_every_menu_action_with_a_shortcut_is_in_the_box(window: MainWindow) -> None:
    rows = window.shortcut_rows()
    actions = menu_actions_with_shortcuts(window)
    # The keys the issue found missing from the old hand-kept list are among them.
    keys = {action.shortcut().toString() for action in actions}
    assert {"Ctrl+M", "Ctrl+E", "Ctrl+H", "F8", "F11", "F9", "Ctrl+R"} <= keys
    for action in actions:
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        label = action.text().replace("&", "").rstrip("…")
        assert any(shortcut in keys_text and label == what for keys_text, what in rows), (shortcut, label)


def test_a_new_action_appears_without_being_listed(window: MainWindow) -> None:
    action = QAction("Frobnicate", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+F12"))
    window.menus.help_menu.addAction(action)
    assert (
        QKeySequence("Ctrl+Shift+F12").toString(QKeySequence.SequenceFormat.NativeText),
        "Frobnicate",
    ) in (window.shortcut_rows())


def test_the_page_keys_come_first_and_are_handled(window: MainWindow) -> None:
    rows = window.shortcut_rows()
    assert [what for _keys, what in rows[: len(PAGE_KEYS)]] == [what for _keys, what in PAGE_KEYS]
    digits = {shortcut.key().toString() for shortcut in window.digit_shortcuts}
    assert digits == {str(digit) for digit in range(1, 10)}


def test_the_box_speaks_swedish(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("sv")
    window.show_shortcuts()
    QApplication.processEvents()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes, "no shortcuts box"
    text = boxes[-1].text()
    assert "Välj ett svar" in text and "Flödeskarta" in text, text
    assert "Ctrl+M" in text and "F11" in text and "Ctrl+H" in text
    for box in boxes:
        box.close()
