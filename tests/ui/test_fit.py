"""The widgets that let large text fit: a button whose text wraps, a row that flows onto a new line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from wizard.ui.fit import FlowLayout, WrappingButton

LONG = "3   Samsung device doesn't check in and shows as “Unhealthy” in the Intune admin console"


def test_a_wrapping_button_grows_down_not_sideways(qtbot: QtBot) -> None:
    button = WrappingButton(LONG + " && more")
    qtbot.addWidget(button)
    assert button.text() == LONG + " && more"  # the whole text stays the button's
    assert button.label.text() == LONG + " & more"  # shown as it reads
    one_line = button.fontMetrics().horizontalAdvance(LONG)
    assert button.minimumSizeHint().width() < one_line / 3  # as narrow as its longest word, about
    assert button.heightForWidth(200) > button.heightForWidth(1000)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.resize(200, button.heightForWidth(200))
    button.show()
    qtbot.mouseClick(button.label, Qt.MouseButton.LeftButton)
    assert clicks == [True]  # a click on the text is a click on the button


def layout_of(width: int, qtbot: QtBot) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowLayout(holder)
    buttons = [QPushButton(text) for text in ("Copy for the ticket", "Export…", "Close the case")]
    row.addWidget(buttons[0])
    row.addWidget(buttons[1])
    row.push_right(buttons[2])
    holder.resize(width, row.heightForWidth(width))
    holder.show()
    QApplication.processEvents()
    return holder, buttons


def test_a_wide_row_keeps_one_line_with_the_last_button_on_the_right(qtbot: QtBot) -> None:
    holder, (copy, export, close) = layout_of(900, qtbot)
    assert copy.y() == export.y() == close.y()
    assert close.geometry().right() == holder.width() - 1 and export.geometry().right() < close.x() - 100


def test_a_narrow_row_flows_onto_the_next_line(qtbot: QtBot) -> None:
    narrow = max(
        b.sizeHint().width() for b in (QPushButton("Copy for the ticket"), QPushButton("Close the case"))
    )
    holder, (copy, export, close) = layout_of(narrow + 20, qtbot)
    assert close.y() > copy.y() and all(b.geometry().right() < holder.width() for b in (copy, export, close))
    assert holder.layout().heightForWidth(narrow + 20) > holder.layout().heightForWidth(900)
