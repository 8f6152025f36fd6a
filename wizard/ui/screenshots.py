"""Screenshots: a crisp thumbnail, with alt text, that asks for the zoom dialog (wizard/ui/zoom.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from wizard.core.svg_check import is_self_contained

_RENDERERS: dict[Path, QSvgRenderer] = {}


def renderer_for(path: Path) -> QSvgRenderer:
    """One parsed renderer per file: pages are revisited often, SVGs never change while running.

    The renderer reads the bytes checked, never the path, and only an SVG that refers to nothing
    outside itself (wizard/core/svg_check.py) is drawn: any other is an empty renderer, which is not
    valid, and the thumbnail shows its alt text instead.
    """
    renderer = _RENDERERS.get(path)
    if renderer is None:
        # Owned by the application, so it goes with it rather than after it at interpreter exit.
        renderer = QSvgRenderer(QCoreApplication.instance())
        data = _self_contained_svg(path)
        if data is not None:
            renderer.load(QByteArray(data))
        _RENDERERS[path] = renderer
    return renderer


def _self_contained_svg(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if is_self_contained(data) else None


class SvgThumbnail(QWidget):
    """A screenshot drawn as vectors at whatever size the layout gives it, so it is crisp at any DPI."""

    activated = Signal()

    def __init__(self, path: Path, alt: str, max_width: int = 280, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.renderer = renderer_for(path)
        self.max_width = max_width
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_alt(alt)

    def set_alt(self, alt: str) -> None:
        self.alt = alt
        self.setAccessibleName(alt)
        self.setToolTip(alt)

    def is_valid(self) -> bool:
        return self.renderer.isValid()

    def _aspect(self) -> float:
        size = self.renderer.defaultSize()
        return size.height() / size.width() if size.width() > 0 else 0.75

    def sizeHint(self) -> QSize:
        width = self.max_width
        return QSize(width, int(width * self._aspect()) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = min(self.width() - 4, self.max_width)
        height = width * self._aspect()
        target = QRectF(2, 2, width, height)
        if self.renderer.isValid():
            self.renderer.render(painter, target)
        else:
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.alt)
        if self.hasFocus():
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRoundedRect(target.adjusted(-1, -1, 1, 1), 6, 6)
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
        else:
            super().keyPressEvent(event)
