"""Replaying a case in the window: a saved case, or an exported case file, stepped through read-only.

The controller lends the window the replay's own copy of the walk, shows the replay bar and hides the
case panel; leaving gives the agent's own walk back exactly as it was. The replay's state and its bar
are in wizard.ui.replay. Texts keep the "MainWindow" translation context they had in the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from wizard.ui.replay import Replay

if TYPE_CHECKING:
    from wizard.core.case import Case
    from wizard.core.engine import Session
    from wizard.ui.main_window import MainWindow


class ReplayController:
    """Starts and ends replays in `window`; `replay` is the one shown, None while the agent walks."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.replay: Replay | None = None
        self._walk_before_replay: Session | None = None

    def replay_case(self, case_id: str, redact: bool = True) -> None:
        """Step through a saved case as it was taken; personal data hidden unless asked."""
        case = self.window.case_commands.load_saved(case_id)
        if case is not None:
            self.start(case, redact)

    def replay_file(self) -> None:
        """Replay an exported case file (JSON), e.g. one a colleague handed over."""
        from PySide6.QtWidgets import QFileDialog

        translate = QCoreApplication.translate
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            translate("MainWindow", "Replay a case file"),
            str(Path.home()),
            translate("MainWindow", "Case files (*.json)"),
        )
        if name:
            self.replay_path(Path(name))

    def replay_path(self, path: Path) -> None:
        from wizard.export.json_case import CaseFileError, read_case_file

        try:
            case, _warnings = read_case_file(path, self.window.flowset)
        except CaseFileError as exc:
            problems = exc.problems
            self.window.add_notice(
                QCoreApplication.translate("MainWindow", "%1 cannot be replayed: %2")
                .replace("%1", path.name)
                .replace("%2", "; ".join(problems))
            )
            return
        self.start(case, redact=True)

    def start(self, case: Case, redact: bool) -> None:
        window = self.window
        window.cases.flush()
        if self.replay is None:
            self._walk_before_replay = window.session
        self.replay = Replay(case, redact)
        window.session = self.replay.session
        window.replay_bar.show()
        window.case_panel.hide()
        window.stack.setCurrentWidget(window.walk_page)
        window.refresh_page()

    def set_redaction(self, on: bool) -> None:
        if self.replay is not None:
            self.replay.redact = on
            self.window.refresh_page()

    def exit(self) -> None:
        self.leave()
        if self.window.session is not None:
            self.window.refresh_page()
        else:
            self.window.go_home()

    def leave(self) -> None:
        """End the replay, if any, without redrawing: the agent's walk (or none) is the window's again."""
        if self.replay is None:
            return
        window = self.window
        self.replay = None
        window.session = self._walk_before_replay
        self._walk_before_replay = None
        window.replay_bar.hide()
        window.step_view.read_only = False
        window.case_panel.setVisible(window.menus.toggle_case_action.isChecked() and not window.presenting)
