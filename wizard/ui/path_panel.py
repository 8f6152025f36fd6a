"""The path taken so far: every step with the answer given; click one to go back to it."""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from wizard.core.engine import FilledBy, Session
from wizard.core.inline import plain_text
from wizard.ui.i18n import Retranslating

# What filled in a step the agent did not answer, said plainly (the path panel and replay say it).
FILLED_IN = {
    FilledBy.SEARCH: QT_TRANSLATE_NOOP("PathPanel", "filled in by the search"),
    FilledBy.LINK: QT_TRANSLATE_NOOP("PathPanel", "filled in by the link you opened"),
    FilledBy.MAP: QT_TRANSLATE_NOOP("PathPanel", "filled in from the flow map"),
    FilledBy.FLOW_CHANGE: QT_TRANSLATE_NOOP("PathPanel", "filled in again after the flows changed"),
    FilledBy.UNKNOWN: QT_TRANSLATE_NOOP("PathPanel", "filled in, not answered by you"),
}


def filled_in_text(filled_by: FilledBy) -> str:
    return QCoreApplication.translate("PathPanel", FILLED_IN[filled_by])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text


EMPHASIS_ROLE = Qt.ItemDataRole.UserRole + 1  # "current" (bold) or "filled" (italic)


class _PathDelegate(QStyledItemDelegate):
    """Each step as wrapped text: bold for the current step, italic for a filled-in one, measured and
    painted in the same font, and a word longer than the panel is broken rather than cut off."""

    MARGIN = 4

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        emphasis = index.data(EMPHASIS_ROLE)
        if emphasis == "current":
            option.font.setBold(True)
        elif emphasis == "filled":
            option.font.setItalic(True)

    def _layout(self, option: QStyleOptionViewItem, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        wrap = QTextOption()
        wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(wrap)
        document.setPlainText(option.text)
        document.setTextWidth(max(20, width - 2 * self.MARGIN))
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        width = self._width(item)
        document = self._layout(item, width)
        return QSize(width, math.ceil(document.size().height()) + 2 * self.MARGIN)

    @staticmethod
    def _width(item: QStyleOptionViewItem) -> int:
        """The width an item gets: the list's, less its spacing on both sides (measuring and painting
        must agree, or the last line of a wrapped step is cut off)."""
        view = item.widget
        if isinstance(view, QListView):
            return view.viewport().width() - 2 * view.spacing()
        return item.rect.width()

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        document = self._layout(item, min(item.rect.width(), self._width(item)))
        item.text = ""  # the style draws background, selection and focus; the text is drawn below
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, item.palette.color(role))
        painter.save()
        painter.translate(item.rect.left() + self.MARGIN, item.rect.top() + self.MARGIN)
        painter.setClipRect(0, 0, item.rect.width() - self.MARGIN, item.rect.height() - self.MARGIN)
        document.documentLayout().draw(painter, context)
        painter.restore()


class PathPanel(Retranslating, QWidget):
    step_selected = Signal(int)  # position on the path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("panelHeading")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        # Long titles wrap to the panel's width at any text size; never a sideways scroll.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Always there, so the width the items wrap to does not change when the list grows long.
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.list.setItemDelegate(_PathDelegate(self.list))
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.heading.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 16, 4, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(200)
        self._rendering = False
        self.retranslate_ui()

    def show_path(self, session: Session, lang: str) -> None:
        self._rendering = True
        self.list.clear()
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for position, visit in enumerate(session.visits):
            node = session.node_of(visit)
            title = plain_text(node.title.get(lang))
            lines = [f"{position + 1}. {title}"]
            if visit.choice is not None and node.choices and position < session.position:
                answer = plain_text(node.choices[visit.choice].label.get(lang))
                lines.append(f"    → {answer}")
            if visit.ticked:
                lines.append(
                    "    "
                    + self.tr("%1 of %2 actions done")
                    .replace("%1", str(len(visit.ticked)))
                    .replace("%2", str(len(node.steps)))
                )
            if visit.inferred:
                lines.append("    " + filled_in_text(visit.filled_by))
            if visit.note:
                lines.append("    ✎ " + self.tr("note"))
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, position)
            item.setToolTip(self.tr("Go back to this step"))
            if visit.inferred:  # set apart from the steps the agent answered
                item.setData(EMPHASIS_ROLE, "filled")
                item.setToolTip(self.tr("Not answered by you; go back to this step to answer it yourself"))
            if position == session.position:
                item.setData(EMPHASIS_ROLE, "current")
            elif position > session.position:
                item.setForeground(muted)
                item.setToolTip(self.tr("A later step, kept until you change an answer before it"))
            self.list.addItem(item)
        self.list.setCurrentRow(session.position)
        self._rendering = False

    def _activated(self, item: QListWidgetItem) -> None:
        if not self._rendering:
            position = int(item.data(Qt.ItemDataRole.UserRole))
            # Deferred: the list is rebuilt in response, which must not happen inside its own signal.
            QTimer.singleShot(0, lambda: self.step_selected.emit(position))

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("&Path"))
        self.list.setAccessibleName(self.tr("Steps taken"))
