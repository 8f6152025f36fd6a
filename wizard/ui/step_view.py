"""The page the agent reads mid-call: title, text, callouts, a checklist, screenshots, choices.

It renders one node of the current session and forwards what the agent does as signals; the main
window applies them to the engine and asks for the next render. No flow logic lives here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QPalette,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wizard.core.engine import Session
from wizard.core.inline import plain_text
from wizard.core.links import is_safe_link
from wizard.core.model import Callout, CalloutKind, Flow, Node, NodeKind, Outcome, Screenshot, Text
from wizard.ui.fit import WrappingButton
from wizard.ui.i18n import Retranslating
from wizard.ui.names import kind_text, outcome_text
from wizard.ui.richtext import to_html
from wizard.ui.screenshots import SvgThumbnail
from wizard.ui.step_feedback import StepFeedback

CALLOUT_NAMES = {
    CalloutKind.NOTE: QT_TRANSLATE_NOOP("StepView", "Note"),
    CalloutKind.IMPORTANT: QT_TRANSLATE_NOOP("StepView", "Important"),
    CalloutKind.WARNING: QT_TRANSLATE_NOOP("StepView", "Warning"),
}


def translate(text: str) -> str:
    return QCoreApplication.translate("StepView", text)


@dataclass(frozen=True)
class Colours:
    """Callout and outcome colours that read well on the current light or dark palette."""

    dark: bool

    @classmethod
    def current(cls, palette: QPalette) -> Colours:
        return cls(palette.color(QPalette.ColorRole.Window).lightness() < 128)

    def accent(self, kind: CalloutKind | Outcome) -> QColor:
        light = {
            CalloutKind.NOTE: "#0F6CBD",
            CalloutKind.IMPORTANT: "#8A4B00",
            CalloutKind.WARNING: "#B10E1C",
            Outcome.RESOLVED: "#107C10",
            Outcome.ESCALATE: "#8A4B00",
            Outcome.NOT_RESOLVED: "#B10E1C",
        }
        dark = {
            CalloutKind.NOTE: "#6CB8F6",
            CalloutKind.IMPORTANT: "#F7C56B",
            CalloutKind.WARNING: "#FF9A9A",
            Outcome.RESOLVED: "#7FD67F",
            Outcome.ESCALATE: "#F7C56B",
            Outcome.NOT_RESOLVED: "#FF9A9A",
        }
        return QColor((dark if self.dark else light)[kind])

    def tint(self, kind: CalloutKind | Outcome) -> str:
        colour = self.accent(kind)
        return f"rgba({colour.red()},{colour.green()},{colour.blue()},{0.16 if self.dark else 0.08})"


class RichLabel(QLabel):
    """A label for flow text: wraps, selectable, and opens only https links in the browser."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.linkActivated.connect(open_link)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if text:
            self.set_flow_text(text)

    def set_flow_text(self, text: str) -> None:
        self.setText(to_html(text))
        self.setAccessibleName(plain_text(text))


def open_link(url: str) -> None:
    if is_safe_link(url):
        QDesktopServices.openUrl(QUrl(url))


class StepView(Retranslating, QWidget):
    choice_made = Signal(int)
    continue_requested = Signal()
    back_requested = Signal()
    restart_requested = Signal()
    tick_changed = Signal(int, bool)
    screenshot_requested = Signal(object, str, str)  # path, alt text, caption
    feedback_given = Signal(str, str)  # kind ("unclear" or "wrong"), comment: for the flow's authors

    def __init__(self, resource_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resource_root = resource_root
        self.lang = "en"
        self.session: Session | None = None
        self.choice_buttons: list[QPushButton] = []
        self.step_boxes: list[QCheckBox] = []
        self.thumbnails: list[SvgThumbnail] = []
        self.presentation = False  # trainer on a projector: big pictures, the step title in a band
        self.read_only = False  # replaying a saved case: everything shown, nothing changes
        self.review_max_age_days = 365
        self.today = dt.date.today

        self.progress = QLabel()
        self.progress.setObjectName("progress")
        self.title = QLabel()
        self.title.setObjectName("stepTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab moves through what is on the page
        self.content = QWidget()
        self.scroll_area.setWidget(self.content)

        self.back_button = QPushButton()
        self.restart_button = QPushButton()
        self.continue_button = QPushButton()
        self.continue_button.setDefault(True)
        self.back_button.clicked.connect(self.back_requested)
        self.restart_button.clicked.connect(self.restart_requested)
        self.continue_button.clicked.connect(self.continue_requested)
        self.feedback = StepFeedback(self, lambda: not self.read_only and self.session is not None)
        self.feedback.given.connect(self.feedback_given)
        footer = QHBoxLayout()
        footer.addWidget(self.back_button)
        footer.addWidget(self.restart_button)
        footer.addWidget(self.feedback.button)
        footer.addWidget(self.feedback.done)
        footer.addStretch(1)
        footer.addWidget(self.continue_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(self.progress)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.feedback.box)
        layout.addLayout(footer)
        self.retranslate_ui()

    # -- rendering --------------------------------------------------------------------------------

    def show_node(self, session: Session, lang: str, extra: QWidget | None = None) -> None:
        """Show the session's current node (and `extra`, e.g. the case summary on an end page).
        Called on every page change and language switch."""
        self.session = session
        self.lang = lang
        node = session.current_node
        flow = session.flowset.flow(session.current_ref.flow)
        self.setUpdatesEnabled(False)
        try:
            self._render_header(session, node)
            self._render_content(node, flow, extra)
            self._render_footer(session, node)
            self.feedback.reset(self.read_only)  # feedback is for the step it was opened on
        finally:
            self.setUpdatesEnabled(True)
        self.scroll_area.verticalScrollBar().setValue(0)
        self.focus_first()  # now, so keys typed straight after a page change land on it
        QTimer.singleShot(0, self.focus_first)  # and again once the new page is laid out

    def _text(self, text: Text | None) -> str:
        return text.get(self.lang) if text is not None else ""

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.title.setObjectName("stepTitlePresenting" if on else "stepTitle")
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)

    def _render_header(self, session: Session, node: Node) -> None:
        step = session.position + 1
        kind = kind_text(node.kind)
        self.progress.setText(self.tr("Step %1 · %2").replace("%1", str(step)).replace("%2", kind))
        self.title.setText(plain_text(self._text(node.title)))
        self.title.setAccessibleName(self.title.text())

    def _render_content(self, node: Node, flow: Flow, extra: QWidget | None = None) -> None:
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 8, 12, 8)
        layout.setSpacing(12)
        colours = Colours.current(self.palette())
        self.choice_buttons = []
        self.step_boxes = []
        self.thumbnails = []

        if node.kind is NodeKind.END and node.outcome is not None:
            layout.addWidget(self._outcome_panel(node, colours))
        if node.body is not None:
            layout.addWidget(RichLabel(self._text(node.body)))
        for message in node.messages:
            layout.addWidget(self._message_box(message))
        for callout in node.callouts:
            layout.addWidget(self._callout(callout, colours))
        if node.steps:
            layout.addWidget(self._checklist(node))
        for screenshot in node.screenshots:
            layout.addWidget(self._screenshot(screenshot, 900 if self.presentation else 520))
        if node.links:
            links = " · ".join(f"[{link.label.get(self.lang)}]({link.url})" for link in node.links)
            layout.addWidget(RichLabel(self.tr("More: ") + links))
        if node.choices:
            layout.addWidget(self._choices(node))
        if extra is not None:
            layout.addWidget(extra)
        layout.addWidget(self._source_line(node, flow))
        codes = [*node.error_codes, *node.error_ids]
        if codes:
            hint = QLabel(self.tr("Codes: %1").replace("%1", ", ".join(codes)))
            hint.setObjectName("codes")
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(hint)
        layout.addStretch(1)
        self.scroll_area.setWidget(self.content)  # the scroll area deletes the previous page's widget

    def _source_line(self, node: Node, flow: Flow) -> QWidget:
        """Where this page comes from and when the flow was last checked against it."""
        section = flow.section_of(node)
        title = flow.section_title(section)
        shown = title.get(self.lang) if title is not None else section
        parts: list[str] = []
        url = ""
        if flow.source is not None:
            url = flow.source.url_of(section)
            parts.append(self.tr("Source: %1").replace("%1", f"[{_link_label(shown or url)}]({url})"))
        elif shown:
            parts.append(self.tr("Source: %1").replace("%1", shown))
        stale = False
        if flow.reviewed is not None:
            age = (self.today() - flow.reviewed).days
            stale = age > self.review_max_age_days
            text = self.tr("reviewed %1").replace("%1", flow.reviewed.isoformat())
            if stale:
                text = (
                    self.tr("⚠ reviewed %1, %2 days ago: check it against the source")
                    .replace("%1", flow.reviewed.isoformat())
                    .replace("%2", str(age))
                )
            parts.append(text)
        else:
            parts.append(self.tr("never reviewed"))
        label = RichLabel(" · ".join(parts))
        label.setObjectName("staleSource" if stale else "source")
        label.setToolTip(url)  # the heading is shown; where the link goes is one hover away
        return label

    def _outcome_panel(self, node: Node, colours: Colours) -> QWidget:
        assert node.outcome is not None
        frame = QFrame()
        frame.setObjectName("outcome")
        accent = colours.accent(node.outcome).name()
        frame.setStyleSheet(
            f"#outcome {{ border: 2px solid {accent}; border-radius: 8px; background: {colours.tint(node.outcome)}; }}"
        )
        box = QVBoxLayout(frame)
        heading = QLabel(outcome_text(node.outcome))
        heading.setObjectName("outcomeHeading")
        heading.setStyleSheet(f"color: {accent}; background: transparent;")
        box.addWidget(heading)
        if node.escalate_to is not None:
            box.addWidget(RichLabel(self.tr("Escalate to: ") + self._text(node.escalate_to)))
        if node.reason is not None:
            box.addWidget(RichLabel(self.tr("Why: ") + self._text(node.reason)))
        frame.setAccessibleName(heading.text())
        return frame

    def _message_box(self, message: Text) -> QWidget:
        label = RichLabel(f"“{self._text(message)}”")
        label.setObjectName("message")
        label.setToolTip(self.tr("Error message as the user sees it"))
        return label

    def _callout(self, callout: Callout, colours: Colours) -> QWidget:
        frame = QFrame()
        frame.setObjectName("callout")
        accent = colours.accent(callout.kind).name()
        frame.setStyleSheet(
            f"#callout {{ border-left: 4px solid {accent}; background: {colours.tint(callout.kind)}; border-radius: 4px; }}"
        )
        box = QVBoxLayout(frame)
        heading = QLabel(translate(CALLOUT_NAMES[callout.kind]))  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
        heading.setStyleSheet(f"color: {accent}; font-weight: bold; background: transparent;")
        text = RichLabel(self._text(callout.text))
        text.setStyleSheet("background: transparent;")
        box.addWidget(heading)
        box.addWidget(text)
        frame.setAccessibleName(heading.text())
        return frame

    def _checklist(self, node: Node) -> QWidget:
        assert self.session is not None
        ticked = self.session.current.ticked
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(14)
        grid.setColumnStretch(2, 1)
        for index, step in enumerate(node.steps):
            box = QCheckBox()
            box.setChecked(index in ticked)
            box.setAccessibleName(
                self.tr("Action %1: %2")
                .replace("%1", str(index + 1))
                .replace("%2", plain_text(self._text(step.text)))
            )
            box.toggled.connect(lambda checked, i=index: self.tick_changed.emit(i, checked))
            box.setEnabled(not self.read_only)
            self.step_boxes.append(box)
            number = QLabel(f"{index + 1}.")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            number.setBuddy(box)
            text_column = QVBoxLayout()
            text = RichLabel(self._text(step.text))  # no buddy: its HTML (&nbsp;) would grab Alt+N
            text_column.addWidget(text)
            if step.hint is not None:
                hint = RichLabel(self._text(step.hint))
                hint.setObjectName("hint")
                text_column.addWidget(hint)
            if step.command:
                text_column.addLayout(self._command_row(step.command))
            text_column.addStretch(1)
            grid.addWidget(box, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(number, index, 1, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(text_column, index, 2)
            if step.screenshot is not None:  # beside the action, so the list stays readable
                width = 360 if self.presentation else 190
                grid.addWidget(self._screenshot(step.screenshot, width), index, 3, Qt.AlignmentFlag.AlignTop)
        return panel

    def _command_row(self, command: str) -> QHBoxLayout:
        row = QHBoxLayout()
        shown = QLabel(command)
        shown.setObjectName("command")
        shown.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        shown.setWordWrap(True)
        shown.setStyleSheet(
            "font-family: monospace; padding: 4px 6px; background: rgba(127,127,127,0.15); border-radius: 4px;"
        )
        copy = QToolButton()
        copy.setText(self.tr("Copy"))
        copy.setAccessibleName(self.tr("Copy %1").replace("%1", command))
        copy.setToolTip(self.tr("Copy to the clipboard"))
        copy.clicked.connect(lambda: self._copy(command, copy))
        row.addWidget(shown, 1)
        row.addWidget(copy, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _copy(self, command: str, button: QToolButton) -> None:
        QGuiApplication.clipboard().setText(command)
        button.setText(self.tr("Copied"))
        QTimer.singleShot(1500, lambda: button.setText(self.tr("Copy")) if not _deleted(button) else None)

    def _screenshot(self, screenshot: Screenshot, width: int) -> QWidget:
        path = self.resource_root_for() / screenshot.image_for(self.lang)
        alt = self._text(screenshot.alt)
        caption = self._text(screenshot.caption)
        thumb = SvgThumbnail(path, alt, width)
        thumb.setWhatsThis(self.tr("Click or press Enter to zoom"))
        thumb.activated.connect(lambda: self.screenshot_requested.emit(path, alt, caption))
        self.thumbnails.append(thumb)
        if not caption:
            return thumb
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(thumb)
        column.addWidget(RichLabel(caption))
        return holder

    def resource_root_for(self) -> Path:
        if self.session is not None:
            root = self.session.flowset.flow(self.session.current_ref.flow).resource_root
            if root is not None:
                return root
        return self.resource_root

    def _choices(self, node: Node) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(8)
        chosen = self.session.current.choice if self.session and self.session.ahead else None
        for index, choice in enumerate(node.choices):
            label = plain_text(self._text(choice.label))
            hint = plain_text(self._text(choice.hint))
            prefix = f"{index + 1}   " if index < 9 else "     "
            text = prefix + label + (f"\n     {hint}" if hint else "")
            button = WrappingButton(text.replace("&", "&&"))  # an & in the content is text, not a shortcut
            button.setObjectName("choice")
            button.setProperty("previous", index == chosen)
            button.setAccessibleName(label)
            button.setAccessibleDescription(hint)
            if index == chosen:
                button.setToolTip(self.tr("Your earlier answer: choosing it again keeps what came after"))
            button.clicked.connect(lambda _checked=False, i=index: self.choice_made.emit(i))
            button.setEnabled(not self.read_only or index == chosen)
            self.choice_buttons.append(button)
            column.addWidget(button)
        return panel

    def _render_footer(self, session: Session, node: Node) -> None:
        self.back_button.setEnabled(session.can_back())
        self.continue_button.setVisible(node.next is not None)

    def focus_first(self) -> None:
        """Put the keyboard where the agent acts next: the first choice, or Continue."""
        if self.choice_buttons:
            self.choice_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.continue_button.isVisible():
            self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.step_boxes:
            self.step_boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)

    # -- language ---------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.back_button.setText(self.tr("← Back"))
        self.back_button.setToolTip(self.tr("Go back one step (Alt+Left)"))
        self.restart_button.setText(self.tr("Restart"))
        self.restart_button.setToolTip(self.tr("Start this walk again from the first question (Ctrl+R)"))
        self.continue_button.setText(self.tr("Continue →"))
        self.continue_button.setToolTip(self.tr("Go on to the next step (Enter)"))
        self.scroll_area.setAccessibleName(self.tr("Step content"))
        self.feedback.retranslate_ui()


def _link_label(text: str) -> str:
    """A heading as the text of a [label](url) link: one line, without the brackets that would end it."""
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def _deleted(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return True
    return False
