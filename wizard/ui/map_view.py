"""The flow map's view: one flow laid out as a scene, the walk marked on it, zoom and keyboard.

`FlowMapView` draws a `FlowMap` (wizard.core.flowmap, laid out with this widget's font metrics) and
marks a session's path and current step; clicking a box, or Enter on a focused one, emits
`node_activated(NodeRef)`.

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
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from wizard.core.engine import Session
from wizard.core.flowmap import (
    FlowMap,
    Highlight,
    MapNode,
    highlight_session,
    layout_flow,
    path_lookups,
)
from wizard.core.model import Flow, FlowSet, NodeRef
from wizard.ui.map_items import EdgeItem, LabelItem, MapLook, NodeItem
from wizard.ui.names import kind_text, outcome_text

MIN_ZOOM = 0.05
MAX_ZOOM = 4.0
ZOOM_STEP = 1.2
FIT_MAX_ZOOM = 1.6  # a small flow is not blown up beyond this when fitted
READABLE_ZOOM = 0.7  # below this a fitted map is hard to read: show it at 100 % around the current step
SYNC_LAYOUT_NODES = 300  # larger flows are laid out in a worker thread
TAKE_DOWN_SLICE = 500  # items of a replaced map deleted per turn of the event loop
BUILD_SLICE_SECONDS = 0.015  # how long one turn of the event loop may spend adding boxes to the scene


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
