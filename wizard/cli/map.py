"""`troubleshooting-wizard map FLOW_ID -o FILE.svg|FILE.png [--lang sv|en]`: a flow map on disk.

SVG needs no Qt; PNG renders the same SVG through QtSvg. The file is written by
wizard.export.map_file.write_map, as the map window saves it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.cli.common import Exit, configured_library, fail, needs_qt

if TYPE_CHECKING:
    from wizard.cli.common import Commands

PROG = "troubleshooting-wizard map"


def register(commands: Commands) -> None:
    parser = commands.add_parser("map", help="draw a flow as a graph (SVG or PNG)")
    parser.add_argument("flow_id", metavar="FLOW_ID", help="the flow to draw (see 'flows')")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="FILE.svg or FILE.png"
    )
    parser.add_argument("--lang", dest="map_lang", default=None, help="language of the labels (sv, en)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wizard.core.files import OutputRefused
    from wizard.export.map_file import MAP_SUFFIXES, MapExportError, map_svg, write_map

    output: Path = args.output
    if output.suffix.lower() not in MAP_SUFFIXES:
        return fail(PROG, f"'{output}' should end in .svg or .png", Exit.USAGE)
    flowset = configured_library().flowset
    if args.flow_id not in flowset:
        known = ", ".join(flow.id for flow in flowset) or "none loaded"
        return fail(PROG, f"no flow '{args.flow_id}' (flows: {known})")
    flow = flowset.flow(args.flow_id)
    lang = args.map_lang or ("en" if "en" in flow.languages else sorted(flow.languages)[0])
    if lang not in flow.languages:
        offered = ", ".join(sorted(flow.languages))
        return fail(PROG, f"the flow '{flow.id}' has no language '{lang}' (it has {offered})", Exit.USAGE)
    if output.suffix.lower() == ".png" and (refused := needs_qt(PROG, "PNG")) is not None:
        return refused
    try:
        write_map(output, map_svg(flowset, flow.id, lang))
    except MapExportError as exc:
        return fail(PROG, str(exc), Exit.USAGE)
    except OutputRefused as exc:
        return fail(PROG, f"cannot write {exc}")
    except OSError as exc:
        return fail(PROG, f"cannot write {output}: {exc.strerror or exc}")
    except ValueError as exc:  # map_png.RenderError
        return fail(PROG, f"cannot draw {output}: {exc}")
    return Exit.OK
