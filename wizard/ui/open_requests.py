"""A later start of the app hands its command line to the running window (wizard.ui.single_instance):
the window comes forward and does as `--flow/--node`, `--lang` and `--present` do at start.

A request that arrives while a dialog is open waits until the dialog is answered: a question half
answered is not cut off. A newer request replaces a waiting one. Texts keep the "MainWindow"
translation context they had in the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from wizard.core.model import NodeRef
    from wizard.ui.main_window import MainWindow


class OpenRequests:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.waiting: tuple[NodeRef | None, str | None, bool] | None = None
        self._timer: QTimer | None = None

    def open_request(self, ref: NodeRef | None, lang: str | None = None, presentation: bool = False) -> None:
        self.window.bring_forward()
        self.waiting = (ref, lang, presentation)  # a newer request replaces a waiting one
        self._open_waiting()

    def _open_waiting(self) -> None:
        if self.waiting is None:
            return
        window = self.window
        if QApplication.activeModalWidget() is not None:  # a question half answered is not cut off
            if self._timer is None:
                self._timer = QTimer(window, interval=250, singleShot=True)
                self._timer.timeout.connect(self._open_waiting)
            window.statusBar().showMessage(self.waiting_text())
            self._timer.start()
            return
        ref, lang, presentation = self.waiting
        self.waiting = None
        if self._timer is not None and window.statusBar().currentMessage() == self.waiting_text():
            window.statusBar().clearMessage()
        if lang is not None and lang != window.lang:
            remembered = window.settings.language
            window.set_language(lang)
            if remembered != lang:  # as --lang at start: for now, not the agent's lasting choice
                window.settings.language = remembered
                window.write_settings()
        if ref is not None and window.flowset.has_node(ref):  # a reload while it waited may have removed it
            window.open_at(ref, infer=True)
        if presentation:
            window.set_presentation(True)

    @staticmethod
    def waiting_text() -> str:
        return QCoreApplication.translate(
            "MainWindow", "The step you asked for opens when you close this dialog"
        )
