"""Replay: a saved case stepped through as it was taken, with its notes, for review or a classroom.

The replay works on a copy of the case's walk, so nothing of the saved case changes; with "hide
personal data" on, names, UPN, device name, serial and IMEI are replaced in what is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from wizard.ui.fit import FlowLayout
from wizard.ui.i18n import Retranslating
from wizard.ui.path_panel import filled_in_text

if TYPE_CHECKING:
    from wizard.core.case import Case


NOTE_PREVIEW = 500  # characters of a step's note shown in the replay bar


class Replay:
    """The state of one replay: a private copy of the walk and where in it we are."""

    def __init__(self, case: Case, redact: bool) -> None:
        self.case = case
        self.session = case.session.copy()
        self.redact = redact
        self.session.jump_to(0)

    @property
    def count(self) -> int:
        return len(self.session.visits)

    @property
    def index(self) -> int:
        return self.session.position

    def go(self, index: int) -> None:
        """Show step `index` of the replay (held within the walk)."""
        self.session.jump_to(max(0, min(index, self.count - 1)))

    def shown(self, text: str, lang: str) -> str:
        if not self.redact:
            return text
        from wizard.core.redact import redactor_for

        return redactor_for(self.case, lang).text(text)


class ReplayBar(Retranslating, QFrame):
    previous_requested = Signal()
    next_requested = Signal()
    exit_requested = Signal()
    redact_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBar")
        self.heading = QLabel()
        self.heading.setObjectName("replayHeading")
        self.position = QLabel()
        self.filled = QLabel()  # said when the step shown was filled in rather than answered
        self.filled.setObjectName("replayFilled")
        self.filled.setWordWrap(True)
        self.filled.setStyleSheet("font-style: italic;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.exit_button = QPushButton()
        self.redact = QCheckBox()
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.exit_button.clicked.connect(self.exit_requested)
        self.redact.toggled.connect(self.redact_changed)
        self.heading.setWordWrap(True)
        row = FlowLayout()  # the controls move under the heading when large text needs the room
        row.addWidget(self.redact)
        row.addWidget(self.previous_button)
        row.addWidget(self.position)
        row.addWidget(self.next_button)
        row.push_right(self.exit_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 8, 24, 8)
        column.addWidget(self.heading)
        column.addLayout(row)
        column.addWidget(self.filled)
        column.addWidget(self.note)
        self.retranslate_ui()

    def show_replay(self, replay: Replay, lang: str) -> None:
        case = replay.case
        who = replay.shown(case.user.name or case.user.upn, lang)
        ticket = f" · {case.ticket}" if case.ticket else ""
        self.heading.setText(
            self.tr("Replay of case %1%2").replace("%1", case.id).replace("%2", ticket)
            + (f" · {who}" if who else "")
        )
        self.position.setText(
            self.tr("Step %1 of %2").replace("%1", str(replay.index + 1)).replace("%2", str(replay.count))
        )
        self.previous_button.setEnabled(replay.index > 0)
        self.next_button.setEnabled(replay.index < replay.count - 1)
        current = replay.session.current
        self.filled.setVisible(current.inferred)
        if current.inferred:
            self.filled.setText(
                self.tr("This step was %1; the agent did not answer it.").replace(
                    "%1", filled_in_text(current.filled_by)
                )
            )
        note = replay.shown(current.note, lang)  # redacted whole, then cut
        if len(note) > NOTE_PREVIEW:  # the bar shows the start of a long note; exports hold it whole
            note = note[:NOTE_PREVIEW] + "…"
        self.note.setText(
            self.tr("Note: %1").replace("%1", note) if note else self.tr("No note on this step.")
        )
        if self.redact.isChecked() != replay.redact:
            self.redact.blockSignals(True)
            self.redact.setChecked(replay.redact)
            self.redact.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.previous_button.setText(self.tr("◀ P&revious"))
        self.next_button.setText(self.tr("&Next ▶"))
        self.exit_button.setText(self.tr("E&xit replay"))
        self.redact.setText(self.tr("Hi&de personal data"))
