"""The case beside the wizard: ticket, end user, device, a note for the current step, a general note.

Every edit goes straight into the case record and tells the window, which saves it within a second.
The step note follows the step the agent is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from wizard.core.inline import plain_text
from wizard.core.limits import MAX_FIELD_CHARS, MAX_NOTE_CHARS, MAX_NOTES_TOTAL_CHARS, has_long_run
from wizard.ui.i18n import Retranslating

if TYPE_CHECKING:
    from wizard.core.case import Case

PLATFORM_CHOICES = ("", "Android", "iOS/iPadOS", "macOS", "Windows", "Linux", "ChromeOS")
PANEL_MARGINS = 12  # left and right, in pixels
COLUMN_MARGINS = 12


class _NoteEdit(QPlainTextEdit):
    """Plain text only: pasted HTML arrives as its text, never as markup. Holds at most `room()`
    characters: what is typed or pasted beyond that is not added, and `limit_reached` says so."""

    limit_reached = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMinimumHeight(70)
        self.room: Callable[[], int] = lambda: MAX_NOTE_CHARS

    def show_text(self, text: str) -> None:
        """Replace the text (a step change, a resume), wrapped as fits it: the wrap mode changes while
        the shorter of old and new text is in the field, since a change lays out what is there."""
        if has_long_run(text):
            self.fit_wrap(text)
            self.setPlainText(text)
        else:
            self.setPlainText(text)
            self.fit_wrap(text)

    def fit_wrap(self, text: str) -> None:
        """Wrap anywhere while the note holds a long run without spaces (a pasted token), which Qt
        would otherwise lay out in time growing with the square of its length; at words otherwise."""
        mode = (
            QTextOption.WrapMode.WrapAnywhere
            if has_long_run(text)
            else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        )
        if self.wordWrapMode() != mode:
            self.setWordWrapMode(mode)

    def free(self) -> int:
        """Characters that may still be added in place of the selection."""
        return self.room() - len(self.toPlainText()) + len(self.textCursor().selectedText())

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text() if source.hasText() else ""
        free = self.free()
        if len(text) > free:
            text = text[: max(free, 0)]
            self.limit_reached.emit()
        if has_long_run(text):
            self.fit_wrap(text)  # before the text arrives: laying it out at words would take long
        self.insertPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        typed = event.text()
        if typed and typed.isprintable() and self.free() < len(typed):
            self.limit_reached.emit()
            return
        super().keyPressEvent(event)


class CasePanel(Retranslating, QWidget):
    edited = Signal()  # something the agent typed changed the case
    agent_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case: Case | None = None
        self.lang = "en"
        self._loading = False

        self.heading = QLabel()
        self.heading.setObjectName("panelHeading")
        # Read-only text, not a label: with large text the id may be wider than the panel, and a line
        # edit then scrolls within itself (and still copies whole) instead of widening the panel.
        self.case_id = QLineEdit()
        self.case_id.setObjectName("caseId")
        self.case_id.setReadOnly(True)
        self.case_id.setFrame(False)
        self.case_id.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.case_id.setStyleSheet("background: transparent;")
        self.status = QLabel()
        self.status.setObjectName("saveStatus")
        self.status.setWordWrap(True)

        self.agent = QLineEdit()
        self.ticket = QLineEdit()
        self.user_name = QLineEdit()
        self.user_upn = QLineEdit()
        self.device_name = QLineEdit()
        self.platform = QComboBox()
        self.platform.setEditable(True)
        self.platform.addItems(PLATFORM_CHOICES)
        self.os_version = QLineEdit()
        self.serial = QLineEdit()
        self.imei = QLineEdit()
        self.step_note_label = QLabel()
        self.step_note_label.setWordWrap(True)
        self.step_note = _NoteEdit()
        self.general_note = _NoteEdit()
        for field in (
            self.agent,
            self.ticket,
            self.user_name,
            self.user_upn,
            self.device_name,
            self.os_version,
            self.serial,
            self.imei,
        ):
            field.setMaxLength(MAX_FIELD_CHARS)
            field.textEdited.connect(self._fields_edited)
        line = self.platform.lineEdit()
        if line is not None:
            line.setMaxLength(MAX_FIELD_CHARS)
        self.platform.currentTextChanged.connect(self._fields_edited)
        self.agent.textEdited.connect(self.agent_edited)
        self.step_note.textChanged.connect(self._step_note_edited)
        self.general_note.textChanged.connect(self._general_note_edited)
        self.step_note.room = lambda: self.case.note_room(self.case.session.position) if self.case else 0
        self.general_note.room = lambda: self.case.note_room(None) if self.case else 0
        self.note_limit = QLabel()
        self.note_limit.setObjectName("noteLimit")
        self.note_limit.setWordWrap(True)
        self.note_limit.setStyleSheet("color: #B10E1C;")
        self.note_limit.hide()
        self.step_note.limit_reached.connect(self.note_limit.show)
        self.general_note.limit_reached.connect(self.note_limit.show)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}
        for key, widget in (
            ("ticket", self.ticket),
            ("agent", self.agent),
            ("user_name", self.user_name),
            ("user_upn", self.user_upn),
            ("device_name", self.device_name),
            ("platform", self.platform),
            ("os_version", self.os_version),
            ("serial", self.serial),
            ("imei", self.imei),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            self.form.addRow(label, widget)
        self.general_note_label = QLabel()
        self.general_note_label.setBuddy(self.general_note)
        self.step_note_label.setBuddy(self.step_note)

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(4, 0, COLUMN_MARGINS - 4, 0)
        column.addWidget(self.case_id)
        column.addLayout(self.form)
        column.addWidget(self.step_note_label)
        column.addWidget(self.step_note, 1)
        column.addWidget(self.general_note_label)
        column.addWidget(self.general_note, 1)
        scroll = QScrollArea()
        self.scroll_area = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 16, PANEL_MARGINS - 4, 12)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note_limit)  # outside the scrolled fields: seen whichever note is full
        layout.addWidget(self.status)
        self.setMinimumWidth(240)
        self.retranslate_ui()

    # -- fitting large text -------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_form()

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Polish):
            # Once the labels and fields have their new font too (they hear of it after the panel).
            QTimer.singleShot(0, self, self.fit_form)  # not called once the panel is gone
        return super().event(event)

    def fit_form(self) -> None:
        """Fields beside their labels while a UPN fits beside the longest label; under them when large
        text (or a narrow panel) leaves too little room, so no value is cut and nothing scrolls sideways."""
        if getattr(self, "scroll", None) is None:  # a font or style event while still being built
            return
        label_width = max(label.sizeHint().width() for label in self.labels.values())
        field_width = max(
            self.fontMetrics().horizontalAdvance("name.surname@contoso"),
            *(label.buddy().minimumSizeHint().width() for label in self.labels.values() if label.buddy()),
        )
        # From the panel's own width: when it is resized, the scroll area inside is not laid out yet.
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        available = self.width() - PANEL_MARGINS - COLUMN_MARGINS - scroll_bar - 4
        needed = label_width + self.form.horizontalSpacing() + field_width
        policy = (
            QFormLayout.RowWrapPolicy.WrapAllRows
            if needed > available
            else QFormLayout.RowWrapPolicy.DontWrapRows
        )
        if self.form.rowWrapPolicy() != policy:
            self.form.setRowWrapPolicy(policy)

    # -- showing the case -------------------------------------------------------------------------

    def show_case(self, case: Case | None, lang: str) -> None:
        """Fill the fields from `case` (after a page change, a language switch or a resume)."""
        self.case = case
        self.lang = lang
        self._word_note_limit()
        self._loading = True
        try:
            self.setEnabled(case is not None)
            if case is None:
                return
            self.case_id.setText(case.id)
            self.case_id.setCursorPosition(0)  # its start in view when large text makes it wider
            pairs = (
                (self.agent, case.agent),
                (self.ticket, case.ticket),
                (self.user_name, case.user.name),
                (self.user_upn, case.user.upn),
                (self.device_name, case.device.name),
                (self.os_version, case.device.os_version),
                (self.serial, case.device.serial),
                (self.imei, case.device.imei),
            )
            for field, value in pairs:
                if field.text() != value:
                    field.setText(value)
            if self.platform.currentText() != case.device.platform:
                self.platform.setCurrentText(case.device.platform)
            self.follow_step()
            if self.general_note.toPlainText() != case.general_note:
                self.general_note.show_text(case.general_note)
        finally:
            self._loading = False

    def follow_step(self) -> None:
        """The step note shows the note of the step the agent is on."""
        if self.case is None:
            return
        was_loading = self._loading
        self._loading = True
        try:
            session = self.case.session
            # The label is the note's buddy: an & in the title is text, not a shortcut.
            title = plain_text(session.current_node.title.get(self.lang)).replace("&", "&&")
            self.step_note_label.setText(
                self.tr("Note on step %1: %2").replace("%1", str(session.position + 1)).replace("%2", title)
            )
            note = session.current.note
            if self.step_note.toPlainText() != note:
                self.step_note.show_text(note)
                self.note_limit.hide()  # another step: the notice was about the note before
        finally:
            self._loading = was_loading

    def set_status(self, text: str, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("problem", problem)
        self.status.setStyleSheet("color: #B10E1C; font-weight: bold;" if problem else "")

    # -- edits ------------------------------------------------------------------------------------

    def _fields_edited(self, *_args: object) -> None:
        if self._loading or self.case is None:
            return
        case = self.case
        case.agent = self.agent.text().strip()
        case.ticket = self.ticket.text().strip()
        case.user.name = self.user_name.text().strip()
        case.user.upn = self.user_upn.text().strip()
        case.device.name = self.device_name.text().strip()
        case.device.platform = self.platform.currentText().strip()
        case.device.os_version = self.os_version.text().strip()
        case.device.serial = self.serial.text().strip()
        case.device.imei = self.imei.text().strip()
        self.edited.emit()

    def _step_note_edited(self) -> None:
        if self._loading or self.case is None:
            return
        text = self._within_room(self.step_note)
        self.step_note.fit_wrap(text)
        self.case.session.set_note(text)  # the window hears of it through the session

    def _general_note_edited(self) -> None:
        if self._loading or self.case is None:
            return
        text = self._within_room(self.general_note)
        self.general_note.fit_wrap(text)
        self.case.general_note = text
        self.edited.emit()

    def _within_room(self, note: _NoteEdit) -> str:
        """The note's text, its end cut where it would pass the limits (input that came around the
        checks of typing and pasting, such as an input method's)."""
        text = note.toPlainText()
        room = note.room()
        if len(text) > room:
            text = text[:room]
            self._loading = True
            try:
                note.show_text(text)
                note.moveCursor(QTextCursor.MoveOperation.End)
            finally:
                self._loading = False
            self.note_limit.show()
        return text

    # -- language ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Case"))
        self.case_id.setAccessibleName(self.tr("Case id"))
        names = {
            "ticket": self.tr("&Ticket:"),
            "agent": self.tr("&Agent:"),
            "user_name": self.tr("&User:"),
            "user_upn": self.tr("UP&N:"),
            "device_name": self.tr("&Device:"),
            "platform": self.tr("Platfor&m:"),
            "os_version": self.tr("&OS version:"),
            "serial": self.tr("&Serial number:"),
            "imei": self.tr("&IMEI:"),
        }
        for key, text in names.items():
            self.labels[key].setText(text)
            buddy = self.labels[key].buddy()
            if buddy is not None:
                buddy.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.fit_form()
        self.user_upn.setPlaceholderText(self.tr("name@example.com"))
        self.ticket.setPlaceholderText(self.tr("optional"))
        self.general_note_label.setText(self.tr("Gene&ral note:"))
        self.general_note.setAccessibleName(self.tr("General note"))
        self.step_note.setAccessibleName(self.tr("Note on this step"))
        self.step_note.setPlaceholderText(self.tr("What did you check or find here?"))
        self.general_note.setPlaceholderText(self.tr("Anything else for the ticket"))
        self._word_note_limit()
        self.follow_step()

    def _word_note_limit(self) -> None:
        """The notice under the notes, its numbers written the way the window's language writes them."""
        self.note_limit.setText(
            self.tr(
                "A note holds at most %1 characters, and all the notes of a case together %2; "
                "what went beyond that was not added."
            )
            .replace("%1", QLocale(self.lang).toString(MAX_NOTE_CHARS))  # "100,000", "100 000"
            .replace("%2", QLocale(self.lang).toString(MAX_NOTES_TOTAL_CHARS))
        )
