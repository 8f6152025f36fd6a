"""The window draws an SVG screenshot only when it refers to nothing outside itself; any other shows
its alt text, even when it was changed after the flows were validated."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from wizard.ui.screenshots import SvgThumbnail
from wizard.ui.zoom import ZoomDialog

COLOUR = "#13ab37"


def png(path: Path) -> bytes:
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(COLOUR))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    path.write_bytes(bytes(data.data()))
    return bytes(data.data())


def svg(path: Path, href: str) -> Path:
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="24" '
        f'height="24" viewBox="0 0 24 24"><image xlink:href="{href}" width="24" height="24"/></svg>',
        encoding="utf-8",
    )
    return path


def drawn_colours(qtbot: QtBot, thumb: SvgThumbnail) -> set[str]:
    qtbot.addWidget(thumb)
    thumb.resize(thumb.sizeHint())
    picture = thumb.grab().toImage()
    return {
        QColor(picture.pixel(x, y)).name()
        for y in range(0, picture.height(), 4)
        for x in range(0, picture.width(), 4)
    }


def test_an_svg_that_refers_to_a_private_file_is_not_drawn(qtbot: QtBot, tmp_path: Path) -> None:
    png(tmp_path / "private.png")
    thumb = SvgThumbnail(svg(tmp_path / "shot.svg", str(tmp_path / "private.png")), "A phone")
    assert not thumb.is_valid()
    assert COLOUR not in drawn_colours(qtbot, thumb)
    zoom = ZoomDialog(tmp_path / "shot.svg", "A phone")
    qtbot.addWidget(zoom)
    assert not zoom.view.item.renderer().isValid()


def test_the_same_picture_held_in_the_svg_is_drawn(qtbot: QtBot, tmp_path: Path) -> None:
    data = png(tmp_path / "private.png")
    href = "data:image/png;base64," + base64.b64encode(data).decode()
    thumb = SvgThumbnail(svg(tmp_path / "inline.svg", href), "A phone")
    assert thumb.is_valid()
    assert COLOUR in drawn_colours(qtbot, thumb)
