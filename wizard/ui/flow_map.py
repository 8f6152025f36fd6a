"""The flow map dialog: the whole flow as a graph, the walk's path on it, peek and jump.

`FlowMapDialog` wraps a `FlowMapView` (wizard.ui.map_view; its boxes and legend in
wizard.ui.map_items): with Peek on, a click previews that step at the side (`NodePreview`) without
touching the session, "Back to where I was" returns; with Peek off, a click asks the window to move
the walk there (`jump_requested`). The dialog also saves the map, with the path, as SVG or PNG.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QKeySequence,
    QShortcut,
    QTransform,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wizard.core.engine import Session
from wizard.core.flowmap import (
    highlight_session,
    layout_flow,
)
from wizard.core.inline import plain_text
from wizard.core.model import FlowSet, NodeRef
from wizard.export.map_svg import to_svg
from wizard.ui.i18n import Retranslating
from wizard.ui.map_items import LegendWidget
from wizard.ui.map_view import FlowMapView
from wizard.ui.names import kind_text, outcome_text


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
