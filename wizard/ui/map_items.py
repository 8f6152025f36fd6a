"""How the flow map looks: the boxes, arrows and answer labels of its scene, and the legend.

`MapLook` holds the font metrics and the theme (light or dark, from the palette) that the items and
the legend paint with; `NodeItem` is a step's box with the marks of the path, the current step and
a peek, `EdgeItem` an arrow, `LabelItem` the answer written on an arrow. Below TEXT_DETAIL scale no
text is drawn, so a large map zoomed out paints fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from wizard.core.flowmap import (
    CAPTION_MARK,
    ELLIPSIS,
    LABEL_SCALE,
    MapEdge,
    MapNode,
    arrow_head,
    curve_path,
    node_outline,
)
from wizard.core.model import NodeKind, NodeRef, Outcome
from wizard.export.map_svg import DARK, LIGHT, Theme
from wizard.ui.i18n import Retranslating
from wizard.ui.names import kind_text, outcome_text

if TYPE_CHECKING:
    from wizard.ui.map_view import FlowMapView

TEXT_DETAIL = 0.3  # below this scale text is too small to read and is not drawn (a big map paints fast)


def qpath(commands: Sequence[tuple[str, tuple[float, ...]]]) -> QPainterPath:
    path = QPainterPath()
    for op, values in commands:
        if op == "M":
            path.moveTo(values[0], values[1])
        elif op == "L":
            path.lineTo(values[0], values[1])
        elif op == "C":
            path.cubicTo(values[0], values[1], values[2], values[3], values[4], values[5])
        elif op == "Z":
            path.closeSubpath()
    return path


class MapLook:
    """Colours and fonts the items draw with, shared by all of them and renewed with the palette."""

    def __init__(self, widget: QWidget) -> None:
        self.font = QFont(widget.font())
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.small = QFont(self.font)
        self.small.setPointSizeF(self.font.pointSizeF() * LABEL_SCALE)
        self.small_italic = QFont(self.small)
        self.small_italic.setItalic(True)
        self.badge = QFont(self.small)
        self.badge.setBold(True)
        self.metrics = QFontMetricsF(self.bold)
        self.line_height = self.metrics.height()
        self.here_text = ""
        self.update_palette(widget.palette())

    def measure(self, text: str) -> tuple[float, float]:
        """Width and line height of one line of node text (bold: questions are bold, the rest fits)."""
        return (self.metrics.horizontalAdvance(text), self.line_height)

    def update_palette(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        base = DARK if dark else LIGHT
        self.theme: Theme = replace(
            base,
            background=palette.color(QPalette.ColorRole.Base).name(),
            label_background=palette.color(QPalette.ColorRole.Base).name(),
            text=palette.color(QPalette.ColorRole.Text).name(),
            path=palette.color(QPalette.ColorRole.Highlight).name(),
        )
        self.highlighted_text = QColor(palette.color(QPalette.ColorRole.HighlightedText))
        self.colour: dict[str, QColor] = {}

    def qcolor(self, name: str) -> QColor:
        colour = self.colour.get(name)
        if colour is None:
            colour = self.colour[name] = QColor(name)
        return colour


class NodeItem(QGraphicsItem):
    """A box of the map: its shape by kind, its text, and the marks of the path, current step and peek."""

    def __init__(self, node: MapNode, look: MapLook, view: FlowMapView) -> None:
        super().__init__()
        self.node = node
        self.look = look
        self.view = view
        self.outline = qpath(node_outline(node))
        self.on_path = False
        self.current = False
        self.peeked = False
        self.steps: tuple[int, ...] = ()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks are the view's (hand drag)
        self.setZValue(3)
        tip = node.title if not node.external else f"{node.caption}: {node.title}"
        self.setToolTip(tip)
        self._bounds = QRectF(node.x - 12, node.y - 26, node.w + 24, node.h + 38)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self.outline

    def accessible_text(self) -> str:
        return self.view.describe(self.node)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look, node, theme = self.look, self.node, self.look.theme
        path_colour = look.qcolor(theme.path)
        if self.on_path or self.current:
            stroke, width = path_colour, 4.0 if self.current else 2.6
        else:
            stroke = look.qcolor(theme.border(node))
            width = 1.8 if node.kind is NodeKind.END else 1.2
        pen = QPen(stroke, width)
        if node.external:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(look.qcolor(theme.fill(node))))
        painter.drawPath(self.outline)
        if node.kind is NodeKind.STEPS and not node.external:
            painter.setPen(QPen(stroke, 1.0))
            painter.drawLine(QPointF(node.x + 5, node.y), QPointF(node.x + 5, node.y + node.h))
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_DETAIL:
            return
        self._paint_text(painter)
        if self.peeked or self.hasFocus():
            ring = QPen(path_colour, 2.0, Qt.PenStyle.DashLine if self.peeked else Qt.PenStyle.DotLine)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(node.x - 6, node.y - 6, node.w + 12, node.h + 12), 8, 8)
        if self.steps:
            self._paint_badge(painter, path_colour)
        if self.current and look.here_text:
            self._paint_here(painter, path_colour)

    def _paint_text(self, painter: QPainter) -> None:
        look, node = self.look, self.node
        theme = look.theme
        if node.external:
            lines = [(CAPTION_MARK + node.caption, look.small_italic, theme.muted)]
            lines += [(line, look.small, theme.text) for line in node.label_lines]
        else:
            font = look.bold if node.kind is NodeKind.QUESTION else look.font
            lines = [(line, font, theme.text) for line in node.label_lines]
        heights = [QFontMetricsF(font).height() for _, font, _ in lines]
        top = node.y + (node.h - sum(heights)) / 2
        for (text, font, colour), height in zip(lines, heights, strict=True):
            painter.setFont(font)
            painter.setPen(look.qcolor(colour))
            painter.drawText(QRectF(node.x, top, node.w, height), Qt.AlignmentFlag.AlignCenter, text)
            top += height

    def _paint_badge(self, painter: QPainter, colour: QColor) -> None:
        text = ", ".join(str(step) for step in self.steps[:3]) + (ELLIPSIS if len(self.steps) > 3 else "")
        metrics = QFontMetricsF(self.look.badge)
        w = max(20.0, metrics.horizontalAdvance(text) + 10)
        rect = QRectF(self.node.x - 6, self.node.y - 9, w, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(self.look.highlighted_text)
        painter.setFont(self.look.badge)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_here(self, painter: QPainter, colour: QColor) -> None:
        metrics = QFontMetricsF(self.look.badge)
        w = metrics.horizontalAdvance(self.look.here_text) + 14
        rect = QRectF(self.node.x + self.node.w - w, self.node.y - 22, w, 19)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(self.look.highlighted_text)
        painter.setFont(self.look.badge)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.look.here_text)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        keyboard = event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        self.view.node_focused(self, reveal=keyboard)  # a click must not scroll the map under the mouse
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class EdgeItem(QGraphicsPathItem):
    """An edge: its route as curves, an arrow head, dashed when it goes back."""

    def __init__(self, edge: MapEdge, look: MapLook) -> None:
        super().__init__(qpath(curve_path(edge.points)))
        self.edge = edge
        self.look = look
        self.on_path = False
        self.head = QPolygonF([QPointF(x, y) for x, y in arrow_head(edge.points, 8.0)])
        self.setZValue(0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        if edge.label:
            self.setToolTip(edge.label)
        self._bounds = super().boundingRect().adjusted(-8, -8, 8, 8)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.look.theme
        colour = self.look.qcolor(theme.path if self.on_path else theme.edge)
        pen = QPen(colour, 3.2 if self.on_path else 1.4)
        if self.edge.back:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if self.on_path:
            painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in arrow_head(self.edge.points, 10.0)]))
        else:
            painter.drawPolygon(self.head)

    def set_on_path(self, on_path: bool) -> None:
        if on_path != self.on_path:
            self.on_path = on_path
            self.setZValue(1 if on_path else 0)
            self.update()


class LabelItem(QGraphicsItem):
    """A choice's label on its edge, on a background so the line seems to pass behind it."""

    def __init__(self, edge: MapEdge, look: MapLook, edge_item: EdgeItem) -> None:
        super().__init__()
        assert edge.label_box is not None
        x, y, w, h = edge.label_box
        self.rect = QRectF(x, y, w, h)
        self.edge = edge
        self.look = look
        self.edge_item = edge_item
        self.setZValue(2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(edge.label)

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_DETAIL:
            return
        look = self.look
        background = QColor(look.qcolor(look.theme.label_background))
        background.setAlphaF(0.92)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(self.rect, 4, 4)
        on_path = self.edge_item.on_path
        font = QFont(look.small)
        font.setBold(on_path)
        painter.setFont(font)
        painter.setPen(look.qcolor(look.theme.path if on_path else look.theme.muted))
        height = QFontMetricsF(look.small).height()
        top = self.rect.y() + (self.rect.height() - height * len(self.edge.label_lines)) / 2
        for line in self.edge.label_lines:
            rect = QRectF(self.rect.x() - 20, top, self.rect.width() + 40, height)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, line)
            top += height


class LegendWidget(Retranslating, QWidget):
    """What the shapes and colours mean, drawn with the map's own painting."""

    def __init__(self, look: MapLook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.look = look
        self.entries: list[tuple[str, str]] = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.entries = [
            ("question", kind_text(NodeKind.QUESTION)),
            ("steps", kind_text(NodeKind.STEPS)),
            ("info", kind_text(NodeKind.INFO)),
            ("resolved", outcome_text(Outcome.RESOLVED)),
            ("escalate", outcome_text(Outcome.ESCALATE)),
            ("not_resolved", outcome_text(Outcome.NOT_RESOLVED)),
            ("external", self.tr("In another flow")),
            ("back", self.tr("Goes back")),
            ("path", self.tr("Path taken")),
        ]
        self.setAccessibleName(self.tr("Legend"))
        self.setAccessibleDescription(", ".join(text for _, text in self.entries))
        metrics = QFontMetricsF(self.font())
        width = sum(36 + 6 + metrics.horizontalAdvance(text) + 16 for _, text in self.entries)
        self.setMinimumSize(int(min(width, 600)), int(metrics.height() + 10))
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = self.look.theme
        metrics = QFontMetricsF(self.font())
        h = min(18.0, self.height() - 4.0)
        y = (self.height() - h) / 2
        x = 2.0
        for kind, text in self.entries:
            if kind in ("back", "path"):
                colour = self.look.qcolor(theme.path if kind == "path" else theme.edge)
                pen = QPen(colour, 3.2 if kind == "path" else 1.4)
                if kind == "back":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                points = ((x, y + h / 2), (x + 36, y + h / 2))
                painter.drawLine(QPointF(*points[0]), QPointF(*points[1]))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawPolygon(QPolygonF([QPointF(a, b) for a, b in arrow_head(points, 8.0)]))
            else:
                node_kind = {
                    "question": NodeKind.QUESTION,
                    "steps": NodeKind.STEPS,
                    "info": NodeKind.INFO,
                    "external": NodeKind.INFO,
                }.get(kind, NodeKind.END)
                outcome = Outcome(kind) if node_kind is NodeKind.END else None
                node = MapNode(
                    kind, NodeRef("", kind), node_kind, outcome, (), x, y, 36, h, kind == "external"
                )
                pen = QPen(self.look.qcolor(theme.border(node)), 1.6 if outcome else 1.1)
                if node.external:
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(self.look.qcolor(theme.fill(node)))
                painter.drawPath(qpath(node_outline(node)))
                if node_kind is NodeKind.STEPS:
                    painter.drawLine(QPointF(x + 5, y), QPointF(x + 5, y + h))
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            text_w = metrics.horizontalAdvance(text)
            painter.drawText(
                QRectF(x + 42, 0, text_w + 4, self.height()), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += 42 + text_w + 16
        painter.end()
