"""`troubleshooting-wizard handout FLOW_ID --format pdf|html [--lang sv|en] -o FILE`.

FLOW_ID may name several flows, separated by commas (`ios,general`): one handout holds them all, the
first gives its title, and a choice into another of them links to (or gives the page of) its node.
User errors (an unknown flow or language, a file that cannot be written, Qt that cannot load) are one
line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.cli.common import configured_library, fail, needs_qt, write_file

if TYPE_CHECKING:
    from wizard.cli.common import Commands

PROG = "troubleshooting-wizard handout"


def register(commands: Commands) -> None:
    parser = commands.add_parser("handout", help="write a whole flow as a document for training")
    parser.add_argument("flow_id", metavar="FLOW_ID", help="the flow to write (see 'flows')")
    parser.add_argument("--format", dest="handout_format", choices=("pdf", "html"), required=True)
    parser.add_argument("--lang", dest="handout_lang", default=None, help="language of the handout (sv, en)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the handout of `args.flow_id` (one flow id, or several separated by commas) in
    `args.handout_format` and `args.handout_lang` (default en) to `args.output`."""
    from wizard.export.handout import HANDOUT_LANGUAGES, build_handout

    library = configured_library()
    flow_ids = [part.strip() for part in str(args.flow_id).split(",") if part.strip()]
    fmt: str = args.handout_format
    lang: str = args.handout_lang or "en"
    for flow_id in flow_ids or [""]:
        if flow_id not in library.flowset:
            known = ", ".join(flow.id for flow in library.flowset) or "none"
            return fail(PROG, f"no flow '{flow_id}' (flows: {known})")
    for flow_id in flow_ids:
        languages = library.flowset.flow(flow_id).languages
        if lang not in HANDOUT_LANGUAGES or lang not in languages:
            offered = ", ".join(code for code in HANDOUT_LANGUAGES if code in languages)
            return fail(PROG, f"no language '{lang}' for the flow '{flow_id}' (languages: {offered})")
    if str(args.output) == "-":
        return fail(PROG, "a handout goes to a file, not to standard output")
    handout = build_handout(library.flowset, flow_ids, lang)
    if fmt == "pdf":
        if (refused := needs_qt(PROG, "PDF")) is not None:
            return refused
        from wizard.export.handout_pdf import to_handout_pdf

        data = to_handout_pdf(handout)
    else:
        from wizard.export.handout_html import to_handout_html

        data = to_handout_html(handout).encode("utf-8")
    return write_file(PROG, args.output, data)
