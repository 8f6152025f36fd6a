"""The flow map in the window: the whole flow as a graph, the walk's path on it, peek and jump.

`FlowMapView` draws a `FlowMap` (wizard.core.flowmap, laid out with this widget's font metrics) and
marks a session's path and current step; clicking a box, or Enter on a focused one, emits
`node_activated(NodeRef)`. `FlowMapDialog` wraps it: with Peek on, a click previews that step at the
side without touching the session, "Back to where I was" returns; with Peek off, a click asks the
window to move the walk there (`jump_requested`). The dialog also saves the map, with the path, as
SVG or PNG.

A flow of more than SYNC_LAYOUT_NODES nodes is laid out off the UI thread (`show_flow_later`): the
pure-core layout runs in a worker thread with font metrics of its own, and its boxes are added to the
scene a few milliseconds' worth at a time, while the dialog shows a busy indicator. Thousands of nodes
took seconds, and the window must never stop answering for that long.
"""

from __future__ import annotations

import contextlib
import gc
import math
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QShortcut,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from wizard.core.engine import Session
from wizard.core.flowmap import (
    CAPTION_MARK,
    ELLIPSIS,
    LABEL_SCALE,
    FlowMap,
    Highlight,
    MapEdge,
    MapNode,
    arrow_head,
    curve_path,
    highlight_session,
    layout_flow,
    node_outline,
    path_lookups,
)
from wizard.core.inline import plain_text
from wizard.core.model import Flow, FlowSet, NodeKind, NodeRef, Outcome
from wizard.export.map_svg import DARK, LIGHT, Theme, to_svg
from wizard.ui.i18n import Retranslating
from wizard.ui.names import kind_text, outcome_text

MIN_ZOOM = 0.05
MAX_ZOOM = 4.0
ZOOM_STEP = 1.2
FIT_MAX_ZOOM = 1.6  # a small flow is not blown up beyond this when fitted
READABLE_ZOOM = 0.7  # below this a fitted map is hard to read: show it at 100 % around the current step
SYNC_LAYOUT_NODES = 300  # larger flows are laid out in a worker thread
TAKE_DOWN_SLICE = 500  # items of a replaced map deleted per turn of the event loop
BUILD_SLICE_SECONDS = 0.015  # how long one turn of the event loop may spend adding boxes to the scene
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


class _CollectorPause:
    """Holds Python's cycle collector off while a large map is laid out and added to the scene.

    Those allocate hundreds of thousands of objects that live on (no cycles among them), and each
    full collection they set off walks every object of the app: half a second in which the window
    answers nothing. Held by the worker thread and by the UI thread in turn, so counted. When let
    go, the objects made meanwhile are moved out of the collector's generations (`gc.freeze`):
    else its first collections after would walk them all at once, for the same half second each.
    Objects freed by their reference count (the boxes of a map replaced later) are freed as ever.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    def hold(self) -> None:
        with self._lock:
            if not self._holders:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1

    def release(self) -> None:
        with self._lock:
            self._holders -= 1
            if not self._holders and self._was_enabled:
                gc.freeze()
                gc.enable()


_COLLECTOR = _CollectorPause()


class _LayoutRelay(QObject):
    """Carries a layout from the worker thread to the UI thread (a queued signal)."""

    done = Signal(int, object)  # generation, FlowMap


def _layout_in_thread(
    relay: _LayoutRelay, generation: int, flow: Flow, lang: str, flowset: FlowSet | None, font: QFont
) -> None:
    metrics = QFontMetricsF(font)  # made here: the UI thread's metrics are not for other threads
    line_height = metrics.height()
    _COLLECTOR.hold()
    try:
        flow_map = layout_flow(
            flow, lang, lambda text: (metrics.horizontalAdvance(text), line_height), flowset=flowset
        )
        path_lookups(flow_map)  # made here too, so that marking the walk on it is quick
    finally:
        _COLLECTOR.release()
    with contextlib.suppress(RuntimeError):  # the window closed meanwhile
        relay.done.emit(generation, flow_map)


def _stop_holding(holding: list[bool]) -> None:
    if holding[0]:
        holding[0] = False
        _COLLECTOR.release()


class FlowMapView(QGraphicsView):
    """The map of one flow. `show_flow` lays it out; `set_state` marks a session on it.

    `show_flow_later` does the same without blocking the window: `layout_started` and `map_ready`
    say when a map is being made and when it is shown.
    """

    node_activated = Signal(object)  # NodeRef of the box clicked (or Enter on the focused box)
    zoom_changed = Signal(float)
    layout_started = Signal(int)  # the number of nodes being laid out
    map_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.look = MapLook(self)
        self.flow_map: FlowMap | None = None
        self.flow: Flow | None = None
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self.label_items: list[LabelItem] = []
        self.tab_order: list[NodeItem] = []
        self.highlight = Highlight()
        self.peeked_key: str | None = None
        self.zoom = 1.0
        self._press: QPointF | None = None
        self._activated_key: str | None = None
        self._generation = 0  # of the map asked for last; results of earlier ones are dropped
        self._relay = _LayoutRelay(self)
        self._relay.done.connect(self._layout_done)
        self._building: Iterator[None] | None = None
        # Whether this view holds the collector off while building; a view closed meanwhile lets go.
        holding = self._holding_collector = [False]
        self.destroyed.connect(lambda: _stop_holding(holding))
        self.retranslate_ui()

    @property
    def busy(self) -> bool:
        """Whether a map is being laid out or added to the scene."""
        return (self.flow_map is None and self.flow is not None) or self._building is not None

    # -- content ----------------------------------------------------------------------------------------

    def show_flow(self, flow: Flow, lang: str, flowset: FlowSet | None = None) -> FlowMap:
        """Lay out `flow` in `lang` with this view's fonts and show it (the marks are cleared)."""
        self._generation += 1
        self._building = None
        _stop_holding(self._holding_collector)
        self.viewport().setUpdatesEnabled(True)
        self._take_down_map()
        self.flow = flow
        self.flow_map = layout_flow(flow, lang, self.look.measure, flowset=flowset)
        self._build()
        return self.flow_map

    def show_flow_later(self, flow: Flow, lang: str, flowset: FlowSet | None = None) -> None:
        """Like `show_flow`, but a large flow is laid out in a worker thread and added to the scene in
        slices, so the window keeps answering; `map_ready` is emitted once the map is shown."""
        if len(flow.nodes) <= SYNC_LAYOUT_NODES:
            self.show_flow(flow, lang, flowset)
            self.map_ready.emit()
            return
        self._generation += 1
        self._building = None
        _stop_holding(self._holding_collector)
        self.flow = flow
        self.flow_map = None
        self._take_down_map()
        self.layout_started.emit(len(flow.nodes))
        worker = threading.Thread(
            target=_layout_in_thread,
            args=(self._relay, self._generation, flow, lang, flowset, QFont(self.look.bold)),
            name="flow-map-layout",
            daemon=True,  # a layout still running when the app quits is simply dropped
        )
        worker.start()

    def _take_down_map(self) -> None:
        """Empty the scene for another map. A large one moves to a scene of its own that is emptied
        a slice at a time: deleting tens of thousands of items at once stops the window a second."""
        items: list[QGraphicsItem] = [*self.label_items, *self.edge_items, *self.node_items.values()]
        self.node_items, self.edge_items, self.label_items, self.tab_order = {}, [], [], []
        self.highlight = Highlight()
        self.peeked_key = None
        if len(items) <= TAKE_DOWN_SLICE:
            self.scene().clear()
            return
        old = self.scene()
        self.setScene(QGraphicsScene(self))  # (itself a walk over the old scene's items: ~0.2 s at 50,000)

        def take_down_slice() -> None:
            for _ in range(min(TAKE_DOWN_SLICE, len(items))):
                old.removeItem(items.pop())  # the item goes with its last reference
            if items:
                QTimer.singleShot(0, old, take_down_slice)
            else:
                old.deleteLater()

        take_down_slice()

    def _layout_done(self, generation: int, flow_map: FlowMap) -> None:
        if generation != self._generation:
            return  # another flow or language was asked for meanwhile
        self.flow_map = flow_map
        self._building = self._build_steps()
        self.viewport().setUpdatesEnabled(False)  # no painting of half a map between the slices
        if not self._holding_collector[0]:
            self._holding_collector[0] = True
            _COLLECTOR.hold()
        self._build_slice(generation)

    def _build_slice(self, generation: int) -> None:
        if generation != self._generation or self._building is None:
            return
        deadline = time.perf_counter() + BUILD_SLICE_SECONDS
        for _ in self._building:
            if time.perf_counter() >= deadline:
                # Asking the scene anything files the slice's boxes in its index now, rather than
                # all of them at the first paint.
                self.scene().itemAt(QPointF(-1e9, -1e9), QTransform())
                QTimer.singleShot(0, self, lambda: self._build_slice(generation))
                return
        self._building = None
        _stop_holding(self._holding_collector)
        self.viewport().setUpdatesEnabled(True)
        self.map_ready.emit()

    def _build(self) -> None:
        for _ in self._build_steps():
            pass

    def _build_steps(self) -> Iterator[None]:
        """Fill the scene with the map's edges and boxes, yielding after every few items."""
        assert self.flow_map is not None
        flow_map = self.flow_map
        scene = self.scene()
        scene.clear()
        # The index's depth for the final number of items, set now: grown by the items as they
        # come, it would be rebuilt whole each time it deepens.
        items = len(flow_map.nodes) + 2 * len(flow_map.edges)
        scene.setBspTreeDepth(max(5, min(18, int(math.log2(max(items, 1))))) if items > 2000 else 0)
        self.node_items = {}
        self.edge_items = []
        self.label_items = []
        self.highlight = Highlight()
        self.peeked_key = None
        margin = 32.0
        scene.setSceneRect(
            QRectF(-margin, -margin, flow_map.width + 2 * margin, flow_map.height + 2 * margin)
        )
        for number, edge in enumerate(flow_map.edges, 1):
            item = EdgeItem(edge, self.look)
            scene.addItem(item)
            self.edge_items.append(item)
            if edge.label_lines and edge.label_box is not None:
                label = LabelItem(edge, self.look, item)
                scene.addItem(label)
                self.label_items.append(label)
            if number % 25 == 0:
                yield
        # In reading order (by layer, then top to bottom): Tab walks the map that way.
        self.tab_order = []
        for number, node in enumerate(sorted(flow_map.nodes, key=lambda n: (n.layer, n.y, n.x)), 1):
            node_item = NodeItem(node, self.look, self)
            scene.addItem(node_item)
            self.node_items[node.key] = node_item
            self.tab_order.append(node_item)
            if number % 25 == 0:
                yield

    def set_state(self, session: Session | None) -> None:
        """Mark the session's path (boxes and edges) and, strongly, its current step."""
        if self.flow_map is None:
            return
        self.set_highlight(highlight_session(self.flow_map, session))

    def set_highlight(self, highlight: Highlight) -> None:
        # Only the boxes and edges marked before or now change: a map of thousands stays quick.
        previous, self.highlight = self.highlight, highlight
        marked = (
            previous.nodes | highlight.nodes | (previous.steps or {}).keys() | (highlight.steps or {}).keys()
        )
        for key in marked | {previous.current, highlight.current} - {None}:
            item = self.node_items.get(key or "")
            if item is not None:
                item.on_path = key in highlight.nodes
                item.current = key == highlight.current
                item.steps = highlight.step_numbers(key or "")
                item.update()
        for number in previous.edges | highlight.edges:
            if number < len(self.edge_items):
                self.edge_items[number].set_on_path(number in highlight.edges)

    def set_peeked(self, key: str | None) -> None:
        """Ring the box being previewed (None: no preview)."""
        for item_key in {self.peeked_key, key} - {None}:
            item = self.node_items.get(item_key or "")
            if item is not None:
                item.peeked = item_key == key
                item.update()
        self.peeked_key = key

    def key_for(self, ref: NodeRef) -> str | None:
        """The box of `ref`: its own box in this flow, else the first external box that stands for it."""
        if self.flow_map is None:
            return None
        boxes = self.flow_map.nodes_for(ref)
        inside = [node for node in boxes if not node.external]
        chosen = inside or boxes
        return chosen[0].key if chosen else None

    def describe(self, node: MapNode) -> str:
        parts = [node.title, kind_text(node.kind)]
        if node.outcome is not None:
            parts.append(outcome_text(node.outcome))
        if node.external:
            parts.append(self.tr("in the flow “%1”").replace("%1", node.caption))
        if node.key == self.highlight.current:
            parts.append(self.tr("you are here"))
        elif node.key in self.highlight.nodes:
            parts.append(self.tr("on the path"))
        return ", ".join(parts)

    # -- zoom and pan -------------------------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(zoom, MAX_ZOOM))
        self.setTransform(QTransform.fromScale(self.zoom, self.zoom))
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit(self) -> None:
        """The whole map in the window (a small one at most at FIT_MAX_ZOOM)."""
        rect = self.sceneRect()
        viewport = self.viewport().rect()
        if rect.isEmpty() or viewport.isEmpty():
            return
        zoom = min(viewport.width() / rect.width(), viewport.height() / rect.height(), FIT_MAX_ZOOM)
        self.set_zoom(zoom)
        self.centerOn(rect.center())

    def reveal(self, ref: NodeRef | None = None) -> None:
        """Show the map readably: all of it when that is legible, else 100 % around `ref` (or the
        current step, or the entry)."""
        if self.flow_map is None:
            return
        rect = self.sceneRect()
        viewport = self.viewport().rect()
        fitted = min(viewport.width() / max(rect.width(), 1), viewport.height() / max(rect.height(), 1))
        if fitted >= READABLE_ZOOM:
            self.fit()
            return
        self.set_zoom(1.0)
        key = self.key_for(ref) if ref is not None else self.highlight.current
        if key is None and self.flow is not None:
            key = self.key_for(NodeRef(self.flow.id, self.flow.entry))
        item = self.node_items.get(key or "")
        if item is not None:
            self.centerOn(item.boundingRect().center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                anchor = self.mapToScene(event.position().toPoint())
                self.set_zoom(self.zoom * (ZOOM_STEP**steps))
                self.centerOn(anchor)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0 and control:
            self.fit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            item = self.scene().focusItem()
            if isinstance(item, NodeItem):
                self.node_activated.emit(item.node.ref)
                self._activated_key = item.node.key
            else:
                super().keyPressEvent(event)
                return
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab walk the boxes in reading order (layer by layer, top to bottom), then leave."""
        order = self.tab_order
        focused = self.scene().focusItem()
        if not order or not self.hasFocus():
            return super().focusNextPrevChild(next)
        if isinstance(focused, NodeItem) and focused in order:
            index = order.index(focused) + (1 if next else -1)
        else:
            current = self.node_items.get(self.highlight.current or "")
            index = order.index(current) if current in order else (0 if next else len(order) - 1)
        if not 0 <= index < len(order):
            return super().focusNextPrevChild(next)
        order[index].setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True

    # -- clicks -------------------------------------------------------------------------------------------

    def node_item_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, NodeItem) and item.shape().contains(self.mapToScene(pos.toPoint())):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        moved = (event.position() - press).manhattanLength()
        if moved > QApplication.startDragDistance():
            return  # a drag to pan, not a click
        item = self.node_item_at(event.position())
        if item is not None:
            item.setFocus(Qt.FocusReason.MouseFocusReason)
            self._activated_key = item.node.key
            self.node_activated.emit(item.node.ref)

    @property
    def activated_key(self) -> str | None:
        """The box last clicked or activated with Enter (several boxes may stand for one node)."""
        return self._activated_key

    def node_focused(self, item: NodeItem, reveal: bool) -> None:
        if reveal:
            self.ensureVisible(item.boundingRect(), 40, 40)
        self.setAccessibleDescription(item.accessible_text())

    # -- language and palette ---------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Flow map"))
        self.setToolTip("")
        self.look.here_text = self.tr("You are here")
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        elif kind == QEvent.Type.PaletteChange:
            self.look.update_palette(self.palette())
            self.setBackgroundBrush(QColor(self.look.theme.background))
            self.viewport().update()
        super().changeEvent(event)

    def showEvent(self, event: object) -> None:
        self.setBackgroundBrush(QColor(self.look.theme.background))
        super().showEvent(event)  # type: ignore[arg-type]


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


class NodePreview(Retranslating, QWidget):
    """A read-only look at one step: title, kind, body, actions, choices; for peeking."""

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("panelHeading")
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.kind = QLabel()
        self.body = QLabel()
        for label in (self.title, self.kind, self.body):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        inner = QWidget()
        column = QVBoxLayout(inner)
        for widget in (self.title, self.kind, self.body):
            column.addWidget(widget)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.back_button)
        self.ref: NodeRef | None = None
        self.setMinimumWidth(240)
        self.retranslate_ui()
        self.clear()

    def show_node(self, flowset: FlowSet, ref: NodeRef, lang: str) -> None:
        self.ref = ref
        node = flowset.node(ref)
        flow = flowset.flow(ref.flow)
        self.title.setText(plain_text(node.title.get(lang)))
        kind = kind_text(node.kind)
        if node.outcome is not None:
            kind += " · " + outcome_text(node.outcome)
        kind += " · " + plain_text(flow.title.get(lang))
        self.kind.setText(kind)
        parts: list[str] = []  # paragraphs
        if node.body is not None:
            parts.append(plain_text(node.body.get(lang)))
        if node.steps:
            parts.append(
                "\n".join(f"{n}. {plain_text(step.text.get(lang))}" for n, step in enumerate(node.steps, 1))
            )
        if node.escalate_to is not None:
            parts.append(self.tr("Escalate to: %1").replace("%1", plain_text(node.escalate_to.get(lang))))
        if node.reason is not None:
            parts.append(plain_text(node.reason.get(lang)))
        if node.choices:
            lines = [self.tr("Choices:")]
            for choice in node.choices:
                target = NodeRef.parse(choice.target, ref.flow)
                where = plain_text(flowset.node(target).title.get(lang)) if flowset.has_node(target) else ""
                lines.append(f"→ {plain_text(choice.label.get(lang))}" + (f" ({where})" if where else ""))
            parts.append("\n".join(lines))
        elif node.next is not None:
            target = NodeRef.parse(node.next, ref.flow)
            if flowset.has_node(target):
                parts.append(
                    self.tr("Next: %1").replace("%1", plain_text(flowset.node(target).title.get(lang)))
                )
        self.body.setText("\n\n".join(parts))
        self.back_button.setEnabled(True)

    def clear(self) -> None:
        self.ref = None
        self.title.setText("")
        self.kind.setText("")
        self.body.setText(self.tr("Click a step on the map to look at it. Your walk stays where it is."))
        self.back_button.setEnabled(False)

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Peek"))
        self.back_button.setText(self.tr("&Back to where I was"))
        self.back_button.setToolTip(self.tr("Close the preview; nothing in the walk has changed"))
        if self.ref is None:
            self.clear()


class FlowMapDialog(Retranslating, QDialog):
    """The map of a flow with the walk on it. Peek previews a step; otherwise a click asks to jump.

    Signals: `jump_requested(NodeRef)`. The window calls `set_session` when the walk changes and
    `set_language` when the content language does.
    """

    jump_requested = Signal(object)  # NodeRef

    def __init__(
        self,
        flowset: FlowSet,
        flow_id: str,
        session: Session | None,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.flowset = flowset
        self.flow_id = flow_id
        self.session = session
        self.lang = lang
        self._saved_view: tuple[QTransform, QPointF] | None = None  # zoom and centre before peeking
        self.view = FlowMapView(self)
        self.view.node_activated.connect(self._activated)
        self.view.layout_started.connect(self._layout_started)
        self.view.map_ready.connect(self._map_shown)
        self._laying_out = 0  # nodes of the map being laid out, 0 when none is
        self.busy_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # no steps to count: the layout is one computation
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setTextVisible(False)
        self.busy_label.hide()
        self.busy_bar.hide()
        self.preview = NodePreview(self)
        self.preview.back_requested.connect(self.back_to_where_i_was)
        self.preview.hide()
        self.flow_label = QLabel()
        self.flow_box = QComboBox()
        self.flow_label.setBuddy(self.flow_box)
        self.peek_button = QPushButton()
        self.peek_button.setCheckable(True)
        self.peek_button.toggled.connect(self.set_peek)
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setMaximumWidth(44)
        self.fit_button = QPushButton()
        self.zoom_label = QLabel()
        self.svg_button = QPushButton()
        self.png_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.legend = LegendWidget(self.view.look, self)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.fit_button.clicked.connect(self.view.fit)
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom * 100:.0f} %"))
        self.svg_button.clicked.connect(lambda: self.save("svg"))
        self.png_button.clicked.connect(lambda: self.save("png"))
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.view.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.view.zoom_out),
            ("Ctrl+0", self.view.fit),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        tools = QHBoxLayout()
        for widget in (self.flow_label, self.flow_box, self.peek_button):
            tools.addWidget(widget)
        tools.addSpacing(12)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.zoom_label):
            tools.addWidget(widget)
        tools.addSpacing(12)
        tools.addWidget(self.busy_bar)
        tools.addWidget(self.busy_label)
        tools.addStretch(1)
        tools.addWidget(self.svg_button)
        tools.addWidget(self.png_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.legend, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self.resize(1100, 720)
        self._fill_flow_box()
        self.flow_box.currentIndexChanged.connect(self._flow_chosen)
        self.retranslate_ui()
        self._show()

    # -- what is shown -----------------------------------------------------------------------------------

    def _fill_flow_box(self) -> None:
        self.flow_box.blockSignals(True)
        self.flow_box.clear()
        for flow in self.flowset:
            self.flow_box.addItem(plain_text(flow.title.get(self.lang)), flow.id)
        self.flow_box.setCurrentIndex(max(0, self.flow_box.findData(self.flow_id)))
        self.flow_box.blockSignals(False)

    def _show(self) -> None:
        self.setWindowTitle(
            self.tr("Flow map: %1").replace(
                "%1", plain_text(self.flowset.flow(self.flow_id).title.get(self.lang))
            )
        )
        self.view.show_flow_later(self.flowset.flow(self.flow_id), self.lang, self.flowset)

    def _layout_started(self, nodes: int) -> None:
        self._laying_out = nodes
        self._show_busy()

    def _show_busy(self) -> None:
        self.busy_label.setText(
            self.tr("Laying out the map of %1 steps…").replace("%1", str(self._laying_out))
        )
        self.busy_label.setVisible(bool(self._laying_out))
        self.busy_bar.setVisible(bool(self._laying_out))

    def _map_shown(self) -> None:
        self._laying_out = 0
        self._show_busy()
        self.view.set_state(self.session)
        self.back_to_where_i_was()
        if self.isVisible():
            self.view.reveal()

    def set_flow(self, flow_id: str) -> None:
        self.flow_id = flow_id
        self.flow_box.setCurrentIndex(max(0, self.flow_box.findData(flow_id)))
        self._show()
        if self.isVisible():
            self.view.reveal()

    def _flow_chosen(self, index: int) -> None:
        flow_id = self.flow_box.itemData(index)
        if flow_id and flow_id != self.flow_id:
            self.set_flow(str(flow_id))

    def set_session(self, session: Session | None) -> None:
        """Mark this walk (call after each change of it)."""
        self.session = session
        self.view.set_state(session)

    def set_language(self, lang: str) -> None:
        """Show the flow's texts in `lang` (the content language; UI strings follow LanguageChange)."""
        self.lang = lang
        self._fill_flow_box()
        preview = self.preview.ref
        self._show()
        if preview is not None and self.peek_button.isChecked():
            self.preview.show_node(self.flowset, preview, lang)
        if self.isVisible():
            self.view.reveal()

    # -- peek and jump -----------------------------------------------------------------------------------

    @property
    def peeking(self) -> bool:
        return self.peek_button.isChecked()

    def set_peek(self, on: bool) -> None:
        """Peek mode: clicks preview a step instead of moving the walk."""
        if self.peek_button.isChecked() != on:
            self.peek_button.setChecked(on)  # comes back here through toggled
            return
        if on:
            self._remember_view()
        self.preview.setVisible(on)
        if not on:
            self.back_to_where_i_was()

    def _remember_view(self) -> None:
        if self._saved_view is None:
            centre = self.view.mapToScene(self.view.viewport().rect().center())
            self._saved_view = (self.view.transform(), centre)

    def _activated(self, ref: NodeRef) -> None:
        if self.peeking:
            self.peek_at(ref)
        else:
            self.jump_requested.emit(ref)

    def peek_at(self, ref: NodeRef) -> None:
        """Preview `ref` at the side and ring it on the map; the walk is not touched."""
        if not self.flowset.has_node(ref):
            return
        self._remember_view()
        self.preview.show_node(self.flowset, ref, self.lang)
        key = self.view.activated_key  # the box clicked: one node may have several external boxes
        item = self.view.node_items.get(key or "")
        if item is None or item.node.ref != ref:
            key = self.view.key_for(ref)
        self.view.set_peeked(key)

    def back_to_where_i_was(self) -> None:
        """Clear the preview and put the map back as it was before peeking; the walk never moved."""
        self.preview.clear()
        self.view.set_peeked(None)
        if self._saved_view is not None:
            transform, centre = self._saved_view
            self._saved_view = None
            self.view.set_zoom(transform.m11())
            self.view.centerOn(centre)
        item = self.view.node_items.get(self.view.highlight.current or "")
        if item is not None:
            item.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- saving ------------------------------------------------------------------------------------------

    def ask_save_path(self, fmt: str) -> Path | None:
        """Where to save the map (tests replace this). None when the user cancels."""
        suffix = f".{fmt}"
        kind = self.tr("SVG drawing") if fmt == "svg" else self.tr("PNG picture")
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the flow map"),
            str(Path.home() / f"{self.flow_id}-map{suffix}"),
            f"{kind} (*{suffix})",
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def map_svg(self) -> str:
        """The map as exported: light colours, the walk's path and current step marked."""
        flow_map = layout_flow(self.flowset.flow(self.flow_id), self.lang, flowset=self.flowset)
        return to_svg(flow_map, highlight_session(flow_map, self.session))

    def save(self, fmt: str) -> Path | None:
        """Ask where, then write the map with the path as SVG or PNG; the result shows in the status line."""
        path = self.ask_save_path(fmt)
        if path is None:
            return None
        from wizard.export.map_file import write_map

        try:
            write_map(path, self.map_svg())
        except (OSError, ValueError) as exc:
            from wizard.ui.notices import output_problem

            reason = output_problem(exc)
            self.status.setText(
                self.tr("Could not save %1: %2").replace("%1", str(path)).replace("%2", reason)
            )
            return None
        self.status.setText(self.tr("Saved %1").replace("%1", str(path)))
        return path

    # -- language ---------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.flow_label.setText(self.tr("&Flow:"))
        self.peek_button.setText(self.tr("&Peek"))
        self.peek_button.setToolTip(self.tr("Look at other steps without leaving yours"))
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Show the whole map (Ctrl+0)"))
        self.zoom_in_button.setAccessibleName(self.tr("Zoom in"))
        self.zoom_out_button.setAccessibleName(self.tr("Zoom out"))
        self.svg_button.setText(self.tr("Save as &SVG…"))
        self.png_button.setText(self.tr("Save as P&NG…"))
        self._show_busy()
        if self.flow_id in self.flowset:
            self.setWindowTitle(
                self.tr("Flow map: %1").replace(
                    "%1", plain_text(self.flowset.flow(self.flow_id).title.get(self.lang))
                )
            )

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.view.reveal()
