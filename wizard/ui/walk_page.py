"""The walk page: the path panel, the step, the case panel side by side, and the replay bar above them.

Built after the start page's first paint, or when something needs it first (a `--flow` start): its
modules (the step view with screenshots and SVG, the path and case panels, the replay bar) are imported
only here. Every part forwards what the agent does to the window's slots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from wizard.ui.case_panel import CasePanel
from wizard.ui.path_panel import PathPanel
from wizard.ui.replay import ReplayBar
from wizard.ui.step_view import StepView

if TYPE_CHECKING:
    from wizard.ui.main_window import MainWindow


class WalkPage(QWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.path_panel = PathPanel()
        self.path_panel.step_selected.connect(window.jump_to)
        self.step_view = StepView(window.resources_dir)
        self.step_view.choice_made.connect(window.choose)
        self.step_view.continue_requested.connect(window.advance)
        self.step_view.back_requested.connect(window.back)
        self.step_view.restart_requested.connect(window.restart)
        self.step_view.tick_changed.connect(window.tick)
        self.step_view.feedback_given.connect(
            lambda kind, comment: window.walking.give_feedback(kind, comment)
        )
        self.step_view.screenshot_requested.connect(window.zoom)
        self.step_view.review_max_age_days = window.settings.review_max_age_days
        self.case_panel = CasePanel()
        self.case_panel.edited.connect(lambda: window.cases.changed(typing=True))
        self.case_panel.agent_edited.connect(window.agent_edited)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.path_panel)
        self.splitter.addWidget(self.step_view)
        self.splitter.addWidget(self.case_panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 620, 300])
        self.splitter.setChildrenCollapsible(False)
        self.replay_bar = ReplayBar()
        self.replay_bar.previous_requested.connect(window.back)
        self.replay_bar.next_requested.connect(window.forward)
        self.replay_bar.exit_requested.connect(window.exit_replay)
        self.replay_bar.redact_changed.connect(lambda on: window.replaying.set_redaction(on))
        self.replay_bar.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.replay_bar)
        column.addWidget(self.splitter, 1)
