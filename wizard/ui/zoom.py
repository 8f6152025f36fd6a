"""Click-to-zoom for screenshots: fit, 100 % and wheel zoom, the drawing re-rendered as vectors."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut, QWheelEvent
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard.ui.i18n import Retranslating
from wizard.ui.screenshots import renderer_for


class ZoomView(QGraphicsView):
    """The drawing as a vector item: zooming re-renders it, so 400 % is as sharp as 100 %."""

    zoom_changed = Signal(float)

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsSvgItem()
        self.item.setSharedRenderer(renderer_for(path))
        self.scene().addItem(self.item)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom = 1.0

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.1, min(zoom, 8.0))
        self.resetTransform()
        self.scale(self.zoom, self.zoom)
        self.zoom_changed.emit(self.zoom)

    def fit(self) -> None:
        self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom = self.transform().m11()
        self.zoom_changed.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self.zoom * (1.15**steps))
        event.accept()


class ZoomDialog(Retranslating, QDialog):
    """Click-to-zoom: fit to the window, actual size, or the wheel; the alt text underneath."""

    def __init__(self, path: Path, alt: str, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = ZoomView(path, self)
        self.view.setAccessibleName(alt)
        self.alt_label = QLabel(alt)
        self.alt_label.setWordWrap(True)
        self.alt_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption = caption
        self.zoom_label = QLabel()
        self.fit_button = QPushButton()
        self.actual_button = QPushButton()
        self.zoom_in_button = QPushButton("+")
        self.zoom_out_button = QPushButton("−")
        self.fit_button.clicked.connect(self.view.fit)
        self.actual_button.clicked.connect(lambda: self.view.set_zoom(1.0))
        self.zoom_in_button.clicked.connect(lambda: self.view.set_zoom(self.view.zoom * 1.25))
        self.zoom_out_button.clicked.connect(lambda: self.view.set_zoom(self.view.zoom / 1.25))
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom * 100:.0f} %"))
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in_button.click),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out_button.click),
            ("Ctrl+0", self.fit_button.click),
            ("F", self.fit_button.click),
            ("Ctrl+1", self.actual_button.click),
            ("1", self.actual_button.click),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)  # type: ignore[call-overload]  # the stub omits signal keyword arguments
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        for widget in (
            self.fit_button,
            self.actual_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.zoom_label,
        ):
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.alt_label)
        layout.addLayout(tools)
        self.resize(900, 700)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.caption or self.tr("Screenshot"))
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Fit the picture to the window (F)"))
        self.actual_button.setText(self.tr("100 %"))
        self.actual_button.setToolTip(self.tr("Actual size (1)"))
        self.zoom_in_button.setAccessibleName(self.tr("Zoom in"))
        self.zoom_out_button.setAccessibleName(self.tr("Zoom out"))

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.view.fit()
