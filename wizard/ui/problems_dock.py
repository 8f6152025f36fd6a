"""The dock that lists a flow library's problems (`file:line: what is wrong`), shown while any flow
has errors and hidden when they are fixed. Built when first needed, after the window's first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDockWidget, QListWidget, QWidget

if TYPE_CHECKING:
    from wizard.core.library import FlowLibrary


class ProblemsDock(QDockWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("flowProblems")
        self.problems_list = QListWidget()
        self.problems_list.setWordWrap(True)
        self.setWidget(self.problems_list)
        self.retranslate_ui()

    def show_problems(self, library: FlowLibrary) -> None:
        """List every problem of `library`; visible only while one of them is an error."""
        self.problems_list.clear()
        for problem in library.problems:
            self.problems_list.addItem(str(problem))
        self.setVisible(bool(library.errors))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Flow problems"))
