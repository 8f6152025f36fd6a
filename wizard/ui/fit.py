"""Widgets that fit any width: large text (font scale 2.0) wraps or flows onto the next line rather than
pushing the page sideways into a horizontal scroll bar or cutting it off at the window's edge."""

from __future__ import annotations

import re

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)


def _shown(text: str) -> str:
    """A button text as it reads: the mnemonic '&' gone, '&&' a single '&'."""
    return re.sub(r"&(&?)", r"\1", text)


class WrappingButton(QPushButton):
    """A push button whose text wraps to the button's width, growing in height instead of in width.

    text() keeps the whole text (for tests, accessibility and shortcuts); a label inside draws it."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.label = QLabel(_shown(text))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setStyleSheet("background: transparent; border: none; padding: 0;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_text(self, text: str) -> None:
        self.setText(text)
        self.label.setText(_shown(text))

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalSizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalMinimumSize() if layout is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else super().heightForWidth(width)

    def paintEvent(self, event: QPaintEvent) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""  # the label draws it, wrapped
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)


class FlowLayout(QLayout):
    """Widgets side by side while they fit, the rest on the next line (a row of buttons at any size).

    A widget added with `push_right` starts the right-hand group: on a line that has room it sits at
    the right edge, as a stretch would put it in a QHBoxLayout."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None
        self.setSpacing(spacing)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def push_right(self, widget: QWidget) -> None:
        self._right_from = len(self._items)
        self.addWidget(widget)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        visible = [item for item in self._items if not item.isEmpty()]
        width = sum(item.sizeHint().width() for item in visible) + self.spacing() * max(0, len(visible) - 1)
        height = max((item.sizeHint().height() for item in visible), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in lines within `rect` (when `move`); the height that takes."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list[QLayoutItem]] = [[]]
        right_lines: list[bool] = [False]
        used = 0
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            width = min(item.sizeHint().width(), area.width())
            if lines[-1] and used + self.spacing() + width > area.width():
                lines.append([])
                right_lines.append(False)
                used = 0
            if self._right_from is not None and index >= self._right_from and not right_lines[-1]:
                right_lines[-1] = True  # this line holds the right-hand group
            used += (self.spacing() if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.y()
        for line, has_right in zip(lines, right_lines, strict=True):
            if not line:
                continue
            height = max(item.sizeHint().height() for item in line)
            if move:
                widths = [min(item.sizeHint().width(), area.width()) for item in line]
                x = area.x()
                right_start = next(
                    (
                        position
                        for position, item in enumerate(line)
                        if has_right and self._items.index(item) >= (self._right_from or 0)
                    ),
                    None,
                )
                if right_start is not None and right_start > 0:
                    right_width = sum(widths[right_start:]) + self.spacing() * (len(line) - right_start - 1)
                    right_x = area.right() + 1 - right_width
                else:
                    right_x = None
                for position, (item, width) in enumerate(zip(line, widths, strict=True)):
                    if position == right_start and right_x is not None:
                        x = max(x, right_x)
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                    x += width + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - area.y() + margins.top() + margins.bottom() if y > area.y() else 0
