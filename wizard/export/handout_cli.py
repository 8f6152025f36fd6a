"""`troubleshooting-wizard handout FLOW_ID --format pdf|html [--lang sv|en] -o FILE`.

FLOW_ID may name several flows, separated by commas (`ios,general`): one handout holds them all, the
first gives its title, and a choice into another of them links to (or gives the page of) its node.

User errors (an unknown flow or language, a file that cannot be written, Qt that cannot load) are one
line on stderr and exit 1, never a traceback. The file is written as wizard.core.files.write_output
writes: atomically, or through into a pipe or device.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wizard.core.files import OutputRefused, write_output
from wizard.export.handout import HANDOUT_LANGUAGES, build_handout

if TYPE_CHECKING:
    from wizard.core.library import FlowLibrary

PROG = "troubleshooting-wizard handout"
EXIT_OK = 0
EXIT_PROBLEMS = 1


def _fail(message: str) -> int:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_PROBLEMS


def run_handout(args: argparse.Namespace, library: FlowLibrary) -> int:
    """Write the handout of `args.flow_id` (one flow id, or several separated by commas) in
    `args.handout_format` and `args.handout_lang` (default en) to `args.output`."""
    flow_ids = [part.strip() for part in str(args.flow_id).split(",") if part.strip()]
    fmt: str = args.handout_format
    lang: str = args.handout_lang or "en"
    for flow_id in flow_ids or [""]:
        if flow_id not in library.flowset:
            known = ", ".join(flow.id for flow in library.flowset) or "none"
            return _fail(f"no flow '{flow_id}' (flows: {known})")
    for flow_id in flow_ids:
        languages = library.flowset.flow(flow_id).languages
        if lang not in HANDOUT_LANGUAGES or lang not in languages:
            offered = ", ".join(code for code in HANDOUT_LANGUAGES if code in languages)
            return _fail(f"no language '{lang}' for the flow '{flow_id}' (languages: {offered})")
    if fmt not in ("pdf", "html"):
        return _fail(f"unknown format '{fmt}'; use pdf or html")
    if str(args.output) == "-":
        return _fail("a handout goes to a file, not to standard output")
    handout = build_handout(library.flowset, flow_ids, lang)
    if fmt == "pdf":
        try:
            from wizard.export.handout_pdf import to_handout_pdf
            from wizard.export.pdf import ensure_gui_application
        except ImportError as exc:
            return _fail(f"PDF needs Qt, which cannot load: {exc}")
        ensure_gui_application()
        data = to_handout_pdf(handout)
    else:
        from wizard.export.handout_html import to_handout_html

        data = to_handout_html(handout).encode("utf-8")
    try:
        write_output(args.output, data)
    except OutputRefused as exc:
        return _fail(f"cannot write {exc}")
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    return EXIT_OK
