"""The window's menus and their actions, and the list of keys the shortcuts box shows.

The actions forward to the window's slots; their texts keep the "MainWindow" translation context, so
the menus read the same in every language as before they lived here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from wizard.ui.main_window import MainWindow

FONT_SCALE_MIN, FONT_SCALE_MAX, FONT_SCALE_STEP = 0.8, 2.5, 0.1

# The page's own keys, handled by the window's shortcuts (1–9, Esc) and by the page's widgets
# (Enter on the default button or a search hit, Space on the focused tick box). The shortcuts box
# lists these first, then every menu action with a shortcut.
DIGIT_KEYS = QT_TRANSLATE_NOOP("MainWindow", "1 – 9")
PAGE_KEYS = (
    (DIGIT_KEYS, QT_TRANSLATE_NOOP("MainWindow", "Choose an answer")),
    (
        "Enter",
        QT_TRANSLATE_NOOP("MainWindow", "Continue, or open the selected search hit"),
    ),
    (
        "Space",
        QT_TRANSLATE_NOOP("MainWindow", "Tick or untick the focused action"),
    ),
    (
        "Esc",
        QT_TRANSLATE_NOOP("MainWindow", "Leave the replay or presentation mode, or clear the search"),
    ),
)


class WindowActions:
    """The menu bar of `window`: File, Go, View, Language and Help, each action wired to a window slot."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.go_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.language_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        file_menu, go_menu, view_menu = self.file_menu, self.go_menu, self.view_menu
        self.new_action = self._action(file_menu, window.go_home, QKeySequence.StandardKey.New)
        self.restart_action = self._action(file_menu, window.restart, "Ctrl+R")
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, window.export_case, "Ctrl+E")
        self.close_case_action = self._action(file_menu, window.close_case, "Ctrl+Shift+W")
        self.history_action = self._action(file_menu, window.show_history, "Ctrl+H")
        self.replay_action = self._action(file_menu, window.replay_file)
        self.stats_action = self._action(file_menu, window.show_statistics, "Ctrl+Shift+S")
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, window.close, QKeySequence.StandardKey.Quit)
        self.search_action = self._action(go_menu, window.focus_search, QKeySequence.StandardKey.Find)
        self.back_action = self._action(go_menu, window.back, "Alt+Left")
        self.forward_action = self._action(go_menu, window.forward, "Alt+Right")
        self.path_action = self._action(go_menu, window.focus_path, "Ctrl+L")
        self.map_action = self._action(go_menu, window.show_flow_map, "Ctrl+M")
        self.bigger_action = self._action(
            view_menu, lambda: window.change_font_scale(+FONT_SCALE_STEP), QKeySequence.StandardKey.ZoomIn
        )
        self.smaller_action = self._action(
            view_menu, lambda: window.change_font_scale(-FONT_SCALE_STEP), QKeySequence.StandardKey.ZoomOut
        )
        self.reset_font_action = self._action(view_menu, lambda: window.apply_font_scale(1.0), "Ctrl+0")
        view_menu.addSeparator()
        self.toggle_path_action = self._action(view_menu, window.toggle_path_panel, "F9")
        self.toggle_path_action.setCheckable(True)
        self.toggle_path_action.setChecked(True)
        self.toggle_case_action = self._action(view_menu, window.toggle_case_panel, "F8")
        self.toggle_case_action.setCheckable(True)
        self.toggle_case_action.setChecked(True)
        view_menu.addSeparator()
        self.presentation_action = self._action(view_menu, window.toggle_presentation, "F11")
        self.presentation_action.setCheckable(True)
        self.save_demos_action = self._action(view_menu, window.toggle_save_demos)
        self.save_demos_action.setCheckable(True)
        self.save_demos_action.setChecked(window.settings.save_demo_walks)
        # Ctrl+= as well as Ctrl++: on many keyboards + needs Shift.
        QShortcut(  # type: ignore[call-overload]  # the stub omits signal keyword arguments
            QKeySequence("Ctrl+="), window, activated=lambda: window.change_font_scale(+FONT_SCALE_STEP)
        )
        self.language_group = QActionGroup(window)
        self.language_actions: dict[str, QAction] = {}
        for lang in window.languages.available():
            action = QAction(window.languages.native_name(lang), window, checkable=True)
            action.setData(lang)
            action.setChecked(lang == window.lang)
            action.triggered.connect(lambda _checked=False, code=lang: window.set_language(code))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        self.shortcuts_action = self._action(
            self.help_menu, window.show_shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self.about_action = self._action(self.help_menu, window.show_about)

    def _action(
        self,
        menu: QMenu,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(self.window)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            # The list form: `setShortcut` would make Qt's `Qt` namespace (15 ms) before the first frame.
            action.setShortcuts([QKeySequence(shortcut)])
        menu.addAction(action)
        return action

    def retranslate_ui(self) -> None:
        translate = QCoreApplication.translate
        self.file_menu.setTitle(translate("MainWindow", "&File"))
        self.go_menu.setTitle(translate("MainWindow", "&Go"))
        self.view_menu.setTitle(translate("MainWindow", "&View"))
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        self.help_menu.setTitle(translate("MainWindow", "&Help"))
        self.new_action.setText(translate("MainWindow", "&New walk"))
        self.restart_action.setText(translate("MainWindow", "&Restart walk"))
        self.quit_action.setText(translate("MainWindow", "&Quit"))
        self.search_action.setText(translate("MainWindow", "&Search"))
        self.back_action.setText(translate("MainWindow", "&Back"))
        self.forward_action.setText(translate("MainWindow", "&Forward"))
        self.path_action.setText(translate("MainWindow", "Go to the &path"))
        self.map_action.setText(translate("MainWindow", "Flow &map…"))
        self.bigger_action.setText(translate("MainWindow", "&Larger text"))
        self.smaller_action.setText(translate("MainWindow", "&Smaller text"))
        self.reset_font_action.setText(translate("MainWindow", "&Normal text size"))
        self.toggle_path_action.setText(translate("MainWindow", "Show the pa&th panel"))
        self.shortcuts_action.setText(translate("MainWindow", "&Keyboard shortcuts"))
        self.about_action.setText(translate("MainWindow", "&About Troubleshooting Wizard"))
        self.export_action.setText(translate("MainWindow", "&Export case…"))
        self.close_case_action.setText(translate("MainWindow", "&Close case"))
        self.history_action.setText(translate("MainWindow", "Case &history…"))
        self.replay_action.setText(translate("MainWindow", "Re&play a case file…"))
        self.stats_action.setText(translate("MainWindow", "S&tatistics…"))
        self.toggle_case_action.setText(translate("MainWindow", "Show the &case panel"))
        self.presentation_action.setText(translate("MainWindow", "&Presentation mode"))
        self.save_demos_action.setText(translate("MainWindow", "Save &demo walks as cases"))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Every key the window answers to, with what it does: the page's own keys (PAGE_KEYS), then
        each menu action that has a shortcut, read from the actions themselves so the list cannot drift."""
        native = QKeySequence.SequenceFormat.NativeText
        rows = [  # key names as Qt shows them beside the menu items, in the UI language
            (
                QCoreApplication.translate("MainWindow", str(keys))
                if keys == DIGIT_KEYS
                else QKeySequence(str(keys)).toString(native),
                QCoreApplication.translate("MainWindow", str(what)),
            )
            for keys, what in PAGE_KEYS  # QT_TRANSLATE_NOOP's texts, typed as object by PySide6
        ]
        for menu_action in self.window.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            for action in menu.actions():  # type: ignore[attr-defined]
                sequences = [
                    sequence.toString(QKeySequence.SequenceFormat.NativeText)
                    for sequence in action.shortcuts()
                    if not sequence.isEmpty()
                ]
                if sequences:
                    what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                    rows.append((" / ".join(sequences), what.rstrip("…")))
        return rows
