"""Render the app icon for desktops: hicolor PNGs (16 to 512 px) and the scalable SVG, plus a Windows .ico.

Run: python scripts/render_icons.py [--check]
The one source is resources/icons/app.svg (the window's own icon). The results are committed under
packaging/icons/, so installing needs no Qt; `--check` exits 1 when they are out of date with the SVG.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "resources" / "icons" / "app.svg"
ICONS = REPO / "packaging" / "icons"
APP_ID = "se.troubleshootingwizard.TroubleshootingWizard"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def rendered_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_from_pngs(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = io.BytesIO(), io.BytesIO()
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries.write(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset))
        images.write(png)
        offset += len(png)
    return header + entries.getvalue() + images.getvalue()


def wanted_files() -> dict[Path, bytes]:
    pngs = {size: rendered_png(size) for size in SIZES}
    files = {ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": SOURCE.read_bytes()}
    for size, png in pngs.items():
        files[ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = png
    files[ICONS / "troubleshooting-wizard.ico"] = ico_from_pngs({s: pngs[s] for s in ICO_SIZES})
    return files


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="only check that the committed icons are current"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage needs it)
    stale = []
    for path, data in wanted_files().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.relative_to(REPO))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if stale:
        print("out of date (run python scripts/render_icons.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
