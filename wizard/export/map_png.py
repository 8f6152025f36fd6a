"""A flow map's SVG rendered to PNG through QtSvg: the map export's only use of Qt.

Needs a QGuiApplication (`ensure_gui_application()` from wizard.export.pdf makes an offscreen one).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SCALE = 2.0  # twice the SVG's size: sharp on a projector and in a document
MAX_PIXELS = (
    120_000_000  # a very large map is scaled down to stay within memory (QImage's own limit is 2 GiB)
)
MAX_SIDE = 32_000


class RenderError(ValueError):
    """The SVG could not be rendered."""


def png_scale(width: float, height: float, scale: float = SCALE) -> float:
    """`scale`, or less when the image would be too large."""
    area = max(1.0, width * height)
    return min(scale, math.sqrt(MAX_PIXELS / area), MAX_SIDE / max(width, 1.0), MAX_SIDE / max(height, 1.0))


def svg_to_png(svg: str, scale: float = SCALE) -> bytes:
    """The SVG drawn at `scale` (see png_scale) on its own background, as PNG bytes."""
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError("PNG export needs a QGuiApplication; call ensure_gui_application() first")
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise RenderError("the map's SVG is not valid")
    box = renderer.viewBoxF()
    factor = png_scale(box.width(), box.height(), scale)
    image = QImage(
        max(1, math.ceil(box.width() * factor)),
        max(1, math.ceil(box.height() * factor)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; Qt wants str
        raise RenderError("the PNG could not be encoded")
    buffer.close()
    return bytes(data.data())
