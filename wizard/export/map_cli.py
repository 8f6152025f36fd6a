"""`troubleshooting-wizard map FLOW_ID -o FILE.svg|FILE.png [--lang sv|en]`: a flow map on disk.

User errors are one line on stderr (exit 2 for a wrong command line, 1 for anything else), never a
traceback. SVG needs no Qt; PNG renders the same SVG through QtSvg (map_png.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.core.files import OutputRefused, write_output
from wizard.core.flowmap import Highlight, layout_flow
from wizard.core.library import FlowLibrary
from wizard.core.model import FlowSet
from wizard.export.map_svg import to_svg

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
SUFFIXES = (".svg", ".png")
PROG = "troubleshooting-wizard map"


class MapExportError(Exception):
    """A map that cannot be written; the message says why, in one line."""


def map_svg(flowset: FlowSet, flow_id: str, lang: str, highlight: Highlight | None = None) -> str:
    flow = flowset.flow(flow_id)
    return to_svg(layout_flow(flow, lang, flowset=flowset), highlight)


def write_map(
    path: Path, flowset: FlowSet, flow_id: str, lang: str, highlight: Highlight | None = None
) -> None:
    """Write the map as SVG or PNG (by the suffix of `path`) with write_output. PNG needs a QGuiApplication.

    Raises MapExportError for a suffix it does not know, OutputRefused for a folder or a missing
    folder, and OSError when the file cannot be written.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise MapExportError(f"'{path.name}' should end in .svg or .png")
    svg = map_svg(flowset, flow_id, lang, highlight)
    if suffix == ".svg":
        write_output(path, svg)
        return
    from wizard.export.map_png import svg_to_png

    write_output(path, svg_to_png(svg))


def run_map(args: argparse.Namespace, library: FlowLibrary) -> int:
    output: Path = args.output
    flowset = library.flowset
    if output.suffix.lower() not in SUFFIXES:
        print(f"{PROG}: '{output}' should end in .svg or .png", file=sys.stderr)
        return EXIT_USAGE
    if args.flow_id not in flowset:
        known = ", ".join(flow.id for flow in flowset) or "none loaded"
        print(f"{PROG}: no flow '{args.flow_id}' (flows: {known})", file=sys.stderr)
        return EXIT_PROBLEMS
    flow = flowset.flow(args.flow_id)
    lang = args.map_lang or ("en" if "en" in flow.languages else sorted(flow.languages)[0])
    if lang not in flow.languages:
        print(
            f"{PROG}: the flow '{flow.id}' has no language '{lang}' (it has {', '.join(sorted(flow.languages))})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if output.suffix.lower() == ".png":
        try:
            from wizard.export.pdf import ensure_gui_application
        except ImportError as exc:
            print(f"{PROG}: PNG needs Qt, which cannot load: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        ensure_gui_application()
    try:
        write_map(output, flowset, flow.id, lang)
    except MapExportError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputRefused as exc:
        print(f"{PROG}: cannot write {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"{PROG}: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except ValueError as exc:  # map_png.RenderError
        print(f"{PROG}: cannot draw {output}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
