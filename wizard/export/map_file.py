"""A flow map as a file: SVG as drawn, or PNG rendered from the same SVG through QtSvg (map_png.py).

The `map` command and the map window both save through `write_map`, so a map saved from either is
the same file, written the same way (wizard.core.files.write_output: atomic, an existing file's mode
kept, a pipe or device written through).
"""

from __future__ import annotations

from pathlib import Path

from wizard.core.files import write_output
from wizard.core.flowmap import Highlight, layout_flow
from wizard.core.model import FlowSet
from wizard.export.map_svg import to_svg

MAP_SUFFIXES = (".svg", ".png")


class MapExportError(ValueError):
    """A map that cannot be written; the message says why, in one line."""


def map_svg(flowset: FlowSet, flow_id: str, lang: str, highlight: Highlight | None = None) -> str:
    flow = flowset.flow(flow_id)
    return to_svg(layout_flow(flow, lang, flowset=flowset), highlight)


def write_map(path: Path, svg: str) -> None:
    """Write a drawn map as SVG or PNG (by the suffix of `path`). PNG needs a QGuiApplication.

    Raises MapExportError for a suffix it does not know, OutputRefused for a folder or a missing
    folder, OSError when the file cannot be written and ValueError when the PNG cannot be drawn.
    """
    suffix = path.suffix.lower()
    if suffix not in MAP_SUFFIXES:
        raise MapExportError(f"'{path.name}' should end in .svg or .png")
    if suffix == ".svg":
        write_output(path, svg)
        return
    from wizard.export.map_png import svg_to_png

    write_output(path, svg_to_png(svg))
