"""`troubleshooting-wizard export CASE --format md|html|pdf|txt|json [--lang] [--redact] -o OUT`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.cli.common import Exit, configured_library, fail, needs_qt, write_file

if TYPE_CHECKING:
    from wizard.cli.common import Commands

PROG = "troubleshooting-wizard export"
# The exporters load only when a case is exported; tests/test_cli.py checks these match wizard.export's.
FORMATS = ("md", "html", "pdf", "txt", "json")
EXPORT_LANGUAGES = ("en", "sv")


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "export", help="write a case as Markdown, HTML, PDF, plain text or JSON for a ticket"
    )
    parser.add_argument("case", metavar="CASE", help="a case file (.json) or the id of a saved case")
    parser.add_argument(
        "--format",
        dest="export_format",
        choices=FORMATS,
        help="md, html, pdf, txt or json (default: from the name of OUT)",
    )
    parser.add_argument(
        "--lang",
        dest="export_lang",
        choices=EXPORT_LANGUAGES,
        help="language of the export, apart from the app's (default: the app's language, else en)",
    )
    parser.add_argument(
        "--redact", action="store_true", help="replace names, UPN, device name, serial and IMEI"
    )
    parser.add_argument("--screenshots", action="store_true", help="embed the steps' screenshots (html, pdf)")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="file to write ('-': standard output)"
    )
    parser.set_defaults(run=run)


def _case_language(args_lang: str | None) -> str:
    from wizard.store.settings import load_settings

    if args_lang:
        return str(args_lang)
    configured = load_settings().settings.language or ""
    return configured if configured in EXPORT_LANGUAGES else "en"


def run(args: argparse.Namespace) -> int:
    from wizard.core.case import ID_PATTERN, CaseError
    from wizard.export import SUFFIXES, export_case
    from wizard.export.json_case import CaseFileError, read_case_file
    from wizard.store.cases import CaseStore, CaseStoreError

    output: Path = args.output
    fmt = args.export_format or next((f for f, suffix in SUFFIXES.items() if output.suffix == suffix), None)
    if fmt is None:
        return fail(PROG, f"say --format ({', '.join(FORMATS)}); '{output}' does not tell", Exit.USAGE)
    if fmt == "pdf" and str(output) == "-":
        return fail(PROG, "a PDF goes to a file, not to standard output", Exit.USAGE)
    library = configured_library()
    source = Path(args.case)
    try:
        if not source.exists() and ID_PATTERN.match(args.case):
            with CaseStore() as store:
                case = store.load(args.case, library.flowset)
        else:
            case, warnings = read_case_file(source, library.flowset)
            for warning in warnings:
                print(f"{source}: warning: {warning}", file=sys.stderr)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(f"{source}: {problem}", file=sys.stderr)
        return Exit.PROBLEMS
    except KeyError:
        return fail(PROG, f"no saved case {args.case}")
    except (CaseError, CaseStoreError) as exc:
        return fail(PROG, f"{args.case}: {exc}")
    lang = _case_language(args.export_lang)
    if fmt == "pdf" and (refused := needs_qt(PROG, "PDF")) is not None:
        return refused
    data = export_case(case, fmt, lang, redact=args.redact, screenshots=args.screenshots)
    if str(output) == "-":
        sys.stdout.write(data.decode("utf-8"))
        return Exit.OK
    return write_file(PROG, output, data)
