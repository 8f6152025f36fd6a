"""A flow's card on the start page: icon, title, one line on what it solves and where the flow came
from; a button to mouse and keyboard.

Like the rest of the start page it names nothing of Qt's `Qt` namespace before the first frame (its
enums cost a start some 15 ms): values are set by name or by value, and the event handlers import
`Qt` when they first run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMargins, QRect, QSize, Signal
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QEnterEvent, QKeyEvent, QMouseEvent, QPaintEvent

    from wizard.store.start_cards import Card

TEXT_WORD_WRAP = 0x1000  # Qt.TextFlag.TextWordWrap


class FlowCard(QFrame):
    """A flow as a card: icon, title, one line on what it solves and where the flow came from; a
    button to mouse and keyboard.

    One painted widget rather than a frame of labels: the start page's first frame holds a dozen
    cards, and each child widget is built, styled and laid out before the agent sees anything.
    """

    clicked = Signal()

    ICON = 36
    GAP = 8  # between the icon and the text
    LINE_GAP = 2  # between title, description and pack
    PADDING = QMargins(12, 10, 12, 10)

    def __init__(self, card: Card, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card  # its texts, and where the flow came from: built-in flows carry no label
        self.setObjectName("flowCard")
        self.setProperty("focusPolicy", "StrongFocus")  # Tab and a click reach it
        # Hover: the style sheet's :hover rule turns it on; the hand cursor comes on the mouse's first visit.
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)  # what hasHeightForWidth() answers, without a call into Python
        self.setSizePolicy(policy)
        self.icon = icon.pixmap(QSize(self.ICON, self.ICON))
        self.title_text = ""
        self.description_text = ""
        self.pack_text = ""  # empty for built-in flows
        self._heights: dict[int, list[int]] = {}  # text width → line heights, for the texts and font now
        self._height_for_width: dict[int, int] = {}

    @property
    def flow_id(self) -> str:
        return self.card.flow

    def show_language(self, lang: str) -> None:
        card = self.card
        self.title_text = card.text(card.title, lang)
        self.description_text = card.text(card.description, lang)
        self.pack_text = ""
        if card.pack == "user":
            self.pack_text = self.tr("Your own flows")
        elif card.pack:
            self.pack_text = self.tr("Pack: %1").replace("%1", card.text(card.pack_name, lang))
        self.setAccessibleName(self.title_text)
        self.setAccessibleDescription("\n".join(filter(None, (self.description_text, self.pack_text))))
        self._forget_heights()
        self.updateGeometry()
        self.update()

    # -- drawing ----------------------------------------------------------------------------------

    def _lines(self) -> list[tuple[str, QFont]]:
        """Title (bold), description, pack (italic): the fonts follow the window's text size."""
        title, description, pack = QFont(self.font()), QFont(self.font()), QFont(self.font())
        title.setBold(True)
        description.setBold(False)
        pack.setBold(False)
        pack.setItalic(True)
        lines = [(self.title_text, title), (self.description_text, description), (self.pack_text, pack)]
        return [(text, font) for text, font in lines if text]

    def _frame_margins(self) -> QMargins:
        return self.contentsMargins() + self.PADDING  # the contents margins hold the frame's border

    def _text_width(self, width: int) -> int:
        margins = self._frame_margins()
        return max(1, width - margins.left() - margins.right() - self.ICON - self.GAP)

    def _text_heights(self, text_width: int) -> list[int]:
        """Each line's height at this width; layouts ask for the same widths again and again."""
        heights = self._heights.get(text_width)
        if heights is None:
            heights = [
                QFontMetrics(font)
                .boundingRect(QRect(0, 0, text_width, 1 << 20), TEXT_WORD_WRAP, text)
                .height()
                for text, font in self._lines()
            ]
            self._heights[text_width] = heights
        return heights

    def heightForWidth(self, width: int) -> int:
        height = self._height_for_width.get(width)
        if height is None:
            heights = self._text_heights(self._text_width(width))
            text = sum(heights) + self.LINE_GAP * max(0, len(heights) - 1)
            margins = self._frame_margins()
            height = self._height_for_width[width] = max(self.ICON, text) + margins.top() + margins.bottom()
        return height

    def _forget_heights(self) -> None:
        self._heights.clear()
        self._height_for_width.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):  # new size or frame
            self._forget_heights()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        width = 360
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        margins = self._frame_margins()
        width = (
            margins.left()
            + margins.right()
            + self.ICON
            + self.GAP
            + 8 * self.fontMetrics().averageCharWidth()
        )
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)  # the frame: border, background, hover and focus from the style sheet
        area = self.rect().marginsRemoved(self._frame_margins())
        painter = QPainter(self)  # its pen is the card's text colour from the palette
        painter.drawPixmap(QRect(area.left(), area.top(), self.ICON, self.ICON), self.icon)
        left = area.left() + self.ICON + self.GAP
        text_width = self._text_width(self.width())
        top = area.top()
        for (text, font), height in zip(self._lines(), self._text_heights(text_width), strict=True):
            painter.setFont(font)
            painter.drawText(QRect(left, top, text_width, height), TEXT_WORD_WRAP, text)
            top += height + self.LINE_GAP
        painter.end()

    # -- input ------------------------------------------------------------------------------------

    def enterEvent(self, event: QEnterEvent) -> None:
        from PySide6.QtCore import Qt

        self.setCursor(Qt.CursorShape.PointingHandCursor)
        super().enterEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        from PySide6.QtCore import Qt

        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)
