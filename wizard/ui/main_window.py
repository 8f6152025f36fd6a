"""The main window: it builds the start page first and the walk page after the first paint, the menus,
keys and notice bar, and forwards what the agent asks for to the part that does it: walking
(`walk_controller`), closing, exporting and the case history (`case_commands`), replays
(`replay_controller`), hand-overs from a later start (`open_requests`), live reload (`flow_reload`),
the flow map and statistics (`side_windows`), presentation mode (`presentation`).

It owns what those parts share: the engine session, the flows, the language and the text size. The
parts are imported on first use, so the first frame waits for none of them. A plain start gives it
the start page's kept cards instead of the flows, which are then loaded right after the first frame
(or when first asked for). The first frame names nothing of Qt's `Qt` namespace either (its enums
cost a start 15 ms): the methods that need it import it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wizard.store.settings import Settings, SettingsNotice, save_settings
from wizard.store.start_cards import LibraryToCome, cards_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QListWidget, QSplitter

    from wizard.core.case import Case
    from wizard.core.engine import FilledBy, Session
    from wizard.core.library import FlowLibrary
    from wizard.core.model import FlowSet, NodeRef
    from wizard.core.packs import Pack
    from wizard.core.problems import Problem
    from wizard.core.search import SearchIndex
    from wizard.store.cases import CaseStore
    from wizard.ui.case_commands import CaseCommands
    from wizard.ui.case_panel import CasePanel
    from wizard.ui.live_reload import FlowWatcher
    from wizard.ui.open_requests import OpenRequests
    from wizard.ui.path_panel import PathPanel
    from wizard.ui.problems_dock import ProblemsDock
    from wizard.ui.replay import Replay, ReplayBar
    from wizard.ui.replay_controller import ReplayController
    from wizard.ui.step_view import StepView
    from wizard.ui.walk_controller import WalkController
    from wizard.ui.walk_page import WalkPage
from wizard.ui.actions import FONT_SCALE_MAX, FONT_SCALE_MIN, WindowActions
from wizard.ui.case_controller import CaseController
from wizard.ui.i18n import LanguageManager, Retranslating
from wizard.ui.notices import NoticeBar, output_problem, pack_notices
from wizard.ui.presentation import Presentation
from wizard.ui.start_page import StartPage


def read_style_template(resources_dir: Path) -> str:
    """The style sheet from resources/style.qss, with %(base)/%(title)/%(heading) size fields; an
    install without it gets Qt's plain look rather than no window."""
    try:
        return (resources_dir / "style.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


class MainWindow(Retranslating, QMainWindow):
    def __init__(
        self,
        library: FlowLibrary | LibraryToCome,
        settings: Settings,
        languages: LanguageManager,
        resources_dir: Path,
        notices: list[str | SettingsNotice] | None = None,
        store: CaseStore | None = None,
    ) -> None:
        super().__init__()
        # The flows themselves, or (at a plain start) the start page's cards and how to load the
        # flows: then they are loaded right after the first frame, or when first asked for.
        self._library: FlowLibrary | None = None
        self._library_to_come: LibraryToCome | None = None
        self.packs: dict[str, Pack] = {}  # flow id -> the pack it came from
        if isinstance(library, LibraryToCome):
            self._library_to_come = library
            cards = library.cards
        else:
            self._library = library
            self.packs = self._flow_packs(library)
            cards = cards_of(library, self.packs)
        self.settings = settings
        self.languages = languages
        self.resources_dir = resources_dir
        self.lang = languages.language
        self._index: SearchIndex | None = None
        self.session: Session | None = None
        self.confirm: Callable[[str, str], bool] = self._ask
        self.flow_map: QDialog | None = None
        self._open_requests: OpenRequests | None = None  # hand-overs from a later start, on first use
        self._case_commands: CaseCommands | None = None
        self.stats_window: QDialog | None = None  # the statistics window, made on first use
        self.persist_settings = True  # off for --smoke-test: a check must not rewrite the agent's settings
        self.presentation = Presentation(self)
        self.base_point_size = QApplication.font().pointSizeF()
        self._style_template = read_style_template(resources_dir)
        # The text size and the style sheet first: the pages are then made in their final look
        # rather than restyled when they are done.
        self.apply_font_scale(settings.font_scale)

        self.start_page = StartPage(cards, lambda: self.flowset, self.search_index, resources_dir / "icons")
        self.start_page.flow_requested.connect(lambda ref: self.open_at(ref, infer=False, searched=False))
        self.start_page.hit_requested.connect(self._open_hit)
        self.cases: CaseController = CaseController(store, lambda: self.flowset, self)
        self.cases.status_changed.connect(lambda text, problem: self.case_panel.set_status(text, problem))
        self.cases.notice.connect(self.add_notice)
        self.cases.case_renamed.connect(lambda _id: self.case_panel.show_case(self.cases.case, self.lang))
        self.start_page.resume_requested.connect(self.resume_case)
        self.start_page.discard_requested.connect(self.discard_case)
        self._replaying: ReplayController | None = None
        self._walking: WalkController | None = None
        # The walk page (path, step, case panel) is built after the start page's first paint, or at
        # once when something needs it first (a --flow start, a test): the start page comes first.
        self._walk_page: WalkPage | None = None
        self._flow_watcher: FlowWatcher | None = None
        self._first_paint_seen = False
        self._started = False
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)

        self.notice_bar = NoticeBar(self, [*(notices or []), *pack_notices(self.packs)])
        self.notice, self.notice_details = self.notice_bar.label, self.notice_bar.details
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.notice_bar.row)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setWindowIcon(QIcon(str(resources_dir / "icons" / "app.svg")))

        self._problems_dock: ProblemsDock | None = None
        if self.flow_errors:  # in the first frame; otherwise built after it, or when first asked for
            self._build_problems_panel()
        self.menus = WindowActions(self)
        self._build_shortcuts()
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
        else:
            self.resize(1180, 780)
        self.retranslate_ui()
        self.start_page.show_language(self.lang)
        self.cases.open_store()
        # Callout and outcome colours are picked for the palette: follow the system's light/dark switch.
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: self.refresh_page())
        self.go_home()

    # -- built after the first paint, or on first use ---------------------------------------------

    # The window's first frame is on the screen (or it was shown a second ago and not painted, e.g.
    # minimised at start): what can wait is built next.
    first_painted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._first_paint_seen:
            self._first_paint_seen = True
            QTimer.singleShot(0, self, self._after_first_paint)  # next turn: the frame is flushed by then

    def _after_first_paint(self) -> None:
        if self._started:
            return
        self._started = True
        self.first_painted.emit()
        _ = self.library  # loaded now if the first frame was drawn from the cards
        self.start_page.finish_after_first_paint()
        _ = self.walk_page
        self._build_problems_panel()
        _ = self.flow_watcher
        self.cases.purge(self.settings.case_retention_days)

    def attach_store(self, store: CaseStore) -> None:
        """Save cases into `store` from now on, and offer the unfinished and recent ones. The app
        hands it over after the first paint: the start page is drawn without the store's modules."""
        self.cases.attach_store(store)
        self.cases.open_store()
        if not self.on_walk_page():
            self.start_page.show_cases(self.cases.unfinished(), self.cases.recent())

    @property
    def library(self) -> FlowLibrary:
        if self._library is None:
            assert self._library_to_come is not None
            self._library = self._library_to_come.load()
            self._library_arrived()
        return self._library

    @property
    def flowset(self) -> FlowSet:
        return self.library.flowset

    @property
    def flow_errors(self) -> list[Problem]:
        """The loaded flows' errors; none before they are loaded (cards are kept only without)."""
        return self._library.errors if self._library is not None else []

    def _library_arrived(self) -> None:
        """The flows, loaded after a first frame drawn from the cards: the same cards unless a flow
        changed in between, which then shows as after a reload."""
        library = self.library
        self.packs = self._flow_packs(library)
        self.start_page.show_flows(cards_of(library, self.packs))
        if library.errors:  # a flow file broke between the kept cards and the load
            self._show_problems_panel()
            self.retranslate_ui()  # the notice above the page

    @property
    def walk_page(self) -> WalkPage:
        if self._walk_page is None:
            from wizard.ui.walk_page import WalkPage

            self._walk_page = WalkPage(self)
            self.stack.addWidget(self._walk_page)
        return self._walk_page

    @property
    def step_view(self) -> StepView:
        return self.walk_page.step_view

    @property
    def path_panel(self) -> PathPanel:
        return self.walk_page.path_panel

    @property
    def case_panel(self) -> CasePanel:
        return self.walk_page.case_panel

    @property
    def replay_bar(self) -> ReplayBar:
        return self.walk_page.replay_bar

    @property
    def splitter(self) -> QSplitter:
        return self.walk_page.splitter

    @property
    def flow_watcher(self) -> FlowWatcher:
        """Live reload for authors: it watches the flow folders from just after the first paint."""
        if self._flow_watcher is None:
            from wizard.store import paths as store_paths
            from wizard.ui.live_reload import FlowWatcher

            self._flow_watcher = FlowWatcher(store_paths.flow_dirs(self.settings.flow_dirs), self)
            self._flow_watcher.changed.connect(self.reload_flows)
        return self._flow_watcher

    def search_index(self) -> SearchIndex:
        """Built on first use, so the window appears without waiting for it."""
        if self._index is None:
            from wizard.core.search import SearchIndex

            self._index = SearchIndex(self.flowset)
        return self._index

    # -- menus and keys ---------------------------------------------------------------------------

    def _build_shortcuts(self) -> None:
        """1-9 answer the question shown; they never fire while typing in a text field."""
        self.digit_shortcuts = []
        for digit in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(digit)), self)
            shortcut.activated.connect(lambda index=digit - 1: self._digit(index))
            self.digit_shortcuts.append(shortcut)
        QShortcut(QKeySequence("Escape"), self, activated=self._escape)  # type: ignore[call-overload]  # the stub omits signal keyword arguments

    def _digit(self, index: int) -> None:
        if self.on_walk_page() and self.session and index < len(self.session.current_node.choices):
            self.choose(index)

    def _escape(self) -> None:
        if self.replay is not None:
            self.exit_replay()
        elif self.presenting:
            self.set_presentation(False)
        elif not self.on_walk_page():
            self.start_page.search.clear()

    # -- walking ----------------------------------------------------------------------------------

    def on_walk_page(self) -> bool:
        return self._walk_page is not None and self.stack.currentWidget() is self._walk_page

    def open_at(
        self,
        ref: NodeRef,
        infer: bool = True,
        searched: bool | None = None,
        filled_by: FilledBy | None = None,
    ) -> None:
        """Start a walk at `ref`, filled in as by a link unless `filled_by` says otherwise
        (wizard.ui.walk_controller says how)."""
        if filled_by is None:
            self.walking.open_at(ref, infer, searched)
        else:
            self.walking.open_at(ref, infer, searched, filled_by)

    def _open_hit(self, ref: NodeRef) -> None:
        from wizard.core.engine import FilledBy

        self.open_at(ref, searched=True, filled_by=FilledBy.SEARCH)

    @property
    def walking(self) -> WalkController:
        """Opening, answering and moving along walks (wizard.ui.walk_controller)."""
        if self._walking is None:
            from wizard.ui.walk_controller import WalkController

            self._walking = WalkController(self)
        return self._walking

    def open_request(self, ref: NodeRef | None, lang: str | None = None, presentation: bool = False) -> None:
        """A later start of the app handed over its command line: come forward and do as the same
        options do at start (wizard.ui.open_requests)."""
        self.open_requests.open_request(ref, lang, presentation)

    @property
    def open_requests(self) -> OpenRequests:
        if self._open_requests is None:
            from wizard.ui.open_requests import OpenRequests

            self._open_requests = OpenRequests(self)
        return self._open_requests

    def bring_forward(self) -> None:
        """Un-minimise, raise and activate (as far as the desktop lets a window take the focus)."""
        from PySide6.QtCore import Qt

        if self.isMinimized():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def resume_case(self, case_id: str) -> None:
        self.walking.resume_case(case_id)

    def discard_case(self, case_id: str) -> None:
        self.cases.discard_unfinished(case_id)
        self.go_home()

    def go_home(self) -> None:
        self.leave_replay()
        self.cases.flush()
        self.start_page.show_cases(self.cases.unfinished(), self.cases.recent())
        self.stack.setCurrentWidget(self.start_page)
        self.update_title()
        self.start_page.focus_search()

    def refresh_page(self) -> None:
        if self.session is None:
            return
        self.step_view.read_only = self.replay is not None
        if self.replay is not None:
            self.replay_bar.show_replay(self.replay, self.lang)
        extra = self.case_commands.summary() if self.session.is_finished and self.replay is None else None
        self.step_view.show_node(self.session, self.lang, extra)
        self.path_panel.show_path(self.session, self.lang)
        self.case_panel.follow_step()
        if self.flow_map is not None:
            self.flow_map.set_session(self.session)  # type: ignore[attr-defined]
        self.menus.back_action.setEnabled(self.session.can_back())
        self.menus.forward_action.setEnabled(self.session.can_forward())
        self.update_title()

    def choose(self, index: int) -> None:
        self.walking.choose(index)

    def advance(self) -> None:
        self.walking.advance()

    def back(self) -> None:
        self.walking.back()

    def forward(self) -> None:
        self.walking.forward()

    def jump_to(self, position: int) -> None:
        self.walking.jump_to(position)

    def restart(self) -> None:
        self.walking.restart()

    def close_case(self) -> None:
        self.case_commands.close_case()

    def export_case(self, lang: str | None = None, case: Case | None = None) -> None:
        self.case_commands.export_case(lang, case)

    def show_history(self) -> None:
        self.case_commands.show_history()

    @property
    def case_commands(self) -> CaseCommands:
        """The end page, closing, exporting and the case history (wizard.ui.case_commands)."""
        if self._case_commands is None:
            from wizard.ui.case_commands import CaseCommands

            self._case_commands = CaseCommands(self)
        return self._case_commands

    def agent_edited(self, name: str) -> None:
        self.settings.agent_name = name.strip()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Modal dialogs go through here, so tests can answer them."""
        from PySide6.QtWidgets import QDialog

        return dialog.exec() == QDialog.DialogCode.Accepted

    def add_notice(self, text: str) -> None:
        self.notice_bar.add(text)

    # -- flow map and statistics ------------------------------------------------------------------

    def show_flow_map(self) -> None:
        from wizard.ui.side_windows import show_flow_map

        show_flow_map(self)

    def show_statistics(self) -> None:
        from wizard.ui.side_windows import show_statistics

        show_statistics(self)

    def jump_to_node(self, ref: NodeRef) -> None:
        self.walking.jump_to_node(ref)

    # -- flow problems and live reload for authors ------------------------------------------------

    @property
    def problems_dock(self) -> ProblemsDock:
        self._build_problems_panel()
        assert self._problems_dock is not None
        return self._problems_dock

    @property
    def problems_list(self) -> QListWidget:
        return self.problems_dock.problems_list

    def _build_problems_panel(self) -> None:
        if self._problems_dock is not None:
            return
        from PySide6.QtCore import Qt

        from wizard.ui.problems_dock import ProblemsDock

        self._problems_dock = ProblemsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self._problems_dock)
        self._show_problems_panel()

    def _show_problems_panel(self) -> None:
        if self._problems_dock is None:
            if self.library.errors:
                self._build_problems_panel()  # which shows them
            return
        self._problems_dock.show_problems(self.library)

    @staticmethod
    def _flow_packs(library: FlowLibrary) -> dict[str, Pack]:
        """Which pack each flow came from, for its card: built-in, the agent's own, or an organisation's."""
        from wizard.core.packs import flow_packs
        from wizard.store import paths as store_paths

        return flow_packs(library.origin, store_paths.builtin_flows_dir(), store_paths.user_flows_dir())

    def reload_flows(self) -> None:
        from wizard.ui.flow_reload import reload_flows

        reload_flows(self)

    def use_library(self, library: FlowLibrary) -> None:
        """Flows read again: every part of the window shows them from now on."""
        self._library = library
        self._index = None
        self.packs = {**self.packs, **self._flow_packs(library)}
        self.start_page.show_flows(cards_of(library, self.packs))
        self._show_problems_panel()

    # -- replay, presentation, panels -------------------------------------------------------------

    @property
    def replaying(self) -> ReplayController:
        """Replays of saved cases and case files (wizard.ui.replay_controller)."""
        if self._replaying is None:
            from wizard.ui.replay_controller import ReplayController

            self._replaying = ReplayController(self)
        return self._replaying

    @property
    def replay(self) -> Replay | None:
        """The replay shown, or None while the agent walks."""
        return self._replaying.replay if self._replaying is not None else None

    def replay_case(self, case_id: str, redact: bool = True) -> None:
        self.replaying.replay_case(case_id, redact)

    def replay_file(self) -> None:
        self.replaying.replay_file()

    def replay_path(self, path: Path) -> None:
        self.replaying.replay_path(path)

    def start_replay(self, case: Case, redact: bool) -> None:
        self.replaying.start(case, redact)

    def exit_replay(self) -> None:
        self.replaying.exit()

    def leave_replay(self) -> None:
        if self._replaying is not None:
            self._replaying.leave()

    def toggle_presentation(self) -> None:
        self.set_presentation(not self.presenting)

    def set_presentation(self, on: bool) -> None:
        """Full screen, large type, the step title in a band, no case panel; demo walks are not saved
        unless "Save demo walks as cases" is on. Everything returns as it was afterwards."""
        self.presentation.set(on)

    @property
    def presenting(self) -> bool:
        return self.presentation.active

    def toggle_save_demos(self) -> None:
        self.settings.save_demo_walks = self.menus.save_demos_action.isChecked()
        if self.presenting:
            self.cases.recording = self.settings.save_demo_walks
        self.write_settings()

    def toggle_case_panel(self) -> None:
        self.case_panel.setVisible(not self.case_panel.isVisible())
        self.menus.toggle_case_action.setChecked(self.case_panel.isVisible())

    def tick(self, index: int, ticked: bool) -> None:
        self.walking.tick(index, ticked)

    def zoom(self, path: Path, alt: str, caption: str) -> None:
        from PySide6.QtCore import Qt

        from wizard.ui.zoom import ZoomDialog  # the graphics view machinery loads only when used

        dialog = ZoomDialog(path, alt, caption, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def focus_search(self) -> None:
        self.go_home()

    def focus_path(self) -> None:
        if self.on_walk_page():
            from PySide6.QtCore import Qt

            self.path_panel.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def toggle_path_panel(self) -> None:
        self.path_panel.setVisible(not self.path_panel.isVisible())
        self.menus.toggle_path_action.setChecked(self.path_panel.isVisible())

    # -- language and text size -------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Switch UI and content language live; the walk, its answers and notes stay as they are."""
        self.languages.apply(lang)
        self.lang = lang
        self.settings.language = lang
        for code, action in self.menus.language_actions.items():
            action.setChecked(code == lang)
        self.start_page.show_language(lang)
        if self.flow_map is not None:
            self.flow_map.set_language(lang)  # type: ignore[attr-defined]
        if self.stats_window is not None:
            self.stats_window.set_language(lang)  # type: ignore[attr-defined]
        self.refresh_page()
        self.update_title()
        self.write_settings()

    def change_font_scale(self, delta: float) -> None:
        if self.presenting:  # the projector's size is its own setting
            self.settings.presentation_font_scale = round(self.settings.presentation_font_scale + delta, 2)
            self.apply_font_scale(self.settings.presentation_font_scale)
            self.settings.font_scale = self.presentation.agent_font_scale
            return
        self.apply_font_scale(round(self.settings.font_scale + delta, 2))

    def apply_font_scale(self, scale: float) -> None:
        scale = max(FONT_SCALE_MIN, min(FONT_SCALE_MAX, scale))
        self.settings.font_scale = scale
        font = QFont(QApplication.font())
        font.setPointSizeF(self.base_point_size * scale)
        QApplication.setFont(font)
        # Style sheets stop font propagation, so the size lives in the style sheet itself.
        size = self.base_point_size * scale
        self.setStyleSheet(
            self._style_template % {"base": size, "title": size * 1.55, "heading": size * 1.25}
        )
        self.refresh_page()

    # -- title, notices, dialogs ------------------------------------------------------------------

    def update_title(self) -> None:
        app_name = self.tr("Troubleshooting Wizard")
        if self.on_walk_page() and self.session is not None:
            from wizard.core.inline import plain_text

            node = self.session.current_node
            flow = self.flowset.flow(self.session.current_ref.flow)
            self.setWindowTitle(
                f"{plain_text(node.title.get(self.lang))} – {plain_text(flow.title.get(self.lang))} – {app_name}"
            )
        else:
            self.setWindowTitle(app_name)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return self.menus.shortcut_rows()

    def show_shortcuts(self) -> None:
        from wizard.ui.help_dialogs import show_shortcuts_box  # dialogs load when first shown

        show_shortcuts_box(self, self.shortcut_rows())

    def show_about(self) -> None:
        from wizard.ui.help_dialogs import show_about_box

        show_about_box(self)

    def _ask(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first shown

        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def retranslate_ui(self) -> None:
        self.menus.retranslate_ui()
        if self._problems_dock is not None:
            self._problems_dock.retranslate_ui()
        self.notice_bar.retranslate_ui()
        self.update_title()

    def write_settings(self) -> None:
        if not self.persist_settings:
            return
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.statusBar().showMessage(
                self.tr("Could not save the settings: %1").replace("%1", output_problem(exc)), 8000
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.cases.flush() and not self.confirm(
            self.tr("Quit without saving?"),
            self.tr(
                "The open case could not be saved (the status under the case says why). "
                "Quit anyway and lose the latest changes?"
            ),
        ):
            event.ignore()
            return
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.write_settings()
        if self.stats_window is not None:
            self.stats_window.reject()  # stops its reading thread before the window goes
        super().closeEvent(event)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        QTimer.singleShot(1000, self, self._after_first_paint)  # should no paint come
        if not self.on_walk_page():
            QTimer.singleShot(0, self.start_page.focus_search)
