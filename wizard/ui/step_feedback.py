"""Step feedback on the step page: "Unclear or wrong?" beside Back opens a small editor under the page
(the kind and a comment) that goes on the case for the flow's authors; nothing is sent anywhere.

Ctrl+Shift+U is an action of the step page, so a step's own text never takes it over; Escape in the
editor closes it before the window's own Escape (leave presentation or replay) is asked. Texts keep
the "StepView" translation context they had in the step page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)


class StepFeedback(QObject):
    """The feedback button, its "kept" note and the editor; `page` lays them out and gives the shortcut
    a home. `can_open` says whether the page takes feedback now (not in a replay, not without a step)."""

    given = Signal(str, str)  # kind ("unclear" or "wrong"), comment

    def __init__(self, page: QWidget, can_open: Callable[[], bool]) -> None:
        super().__init__(page)
        self.can_open = can_open
        self.button = QToolButton()
        self.button.setObjectName("feedbackButton")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.button.clicked.connect(self.open)
        self.action = QAction(page)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.triggered.connect(self.open)
        page.addAction(self.action)
        self.done = QLabel()
        self.done.setVisible(False)
        self.box = QFrame()
        self.box.setFrameShape(QFrame.Shape.StyledPanel)
        self.box.setVisible(False)
        self.kind = QComboBox()
        self.comment = QLineEdit()
        self.comment.setMaxLength(2000)
        self.comment.returnPressed.connect(self._send)
        self.send = QPushButton()
        self.send.clicked.connect(self._send)
        self.cancel = QPushButton()
        self.cancel.clicked.connect(self.close)
        self.label = QLabel()
        self.label.setBuddy(self.kind)
        for field in (self.kind, self.comment):
            field.installEventFilter(self)  # Escape closes the editor from any of its fields
        row = QHBoxLayout(self.box)
        row.addWidget(self.label)
        row.addWidget(self.kind)
        row.addWidget(self.comment, 1)
        row.addWidget(self.send)
        row.addWidget(self.cancel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.box.isVisible():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the window's own Escape (leave presentation, replay) waits
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def open(self) -> None:
        if not self.can_open():
            return
        self.done.setVisible(False)
        self.box.setVisible(True)
        self.kind.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close(self) -> None:
        self.box.setVisible(False)
        self.comment.clear()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self, read_only: bool) -> None:
        """A new step: feedback is for the step it was opened on; a replay takes none."""
        self.box.setVisible(False)
        self.comment.clear()
        self.done.setVisible(False)
        self.button.setVisible(not read_only)

    def _send(self) -> None:
        kind = str(self.kind.currentData() or "unclear")
        comment = self.comment.text().strip()
        self.close()
        self.done.setVisible(True)
        self.given.emit(kind, comment)

    def retranslate_ui(self) -> None:
        translate = QCoreApplication.translate
        self.button.setText(translate("StepView", "Unclear or wrong?"))
        self.button.setToolTip(
            translate(
                "StepView",
                "Tell the flow's authors this step was unclear or wrong; kept on the case (Ctrl+Shift+U)",
            )
        )
        self.label.setText(translate("StepView", "This step was:"))
        current = self.kind.currentIndex()
        self.kind.clear()
        self.kind.addItem(translate("StepView", "unclear"), "unclear")
        self.kind.addItem(translate("StepView", "wrong"), "wrong")
        self.kind.setCurrentIndex(max(0, current))
        self.comment.setPlaceholderText(translate("StepView", "Comment (optional)"))
        self.comment.setAccessibleName(translate("StepView", "Feedback comment"))
        self.send.setText(translate("StepView", "Save feedback"))
        self.cancel.setText(translate("StepView", "Cancel"))
        self.done.setText(translate("StepView", "Feedback kept on the case"))
