"""`troubleshooting-wizard stats`: the statistics report for people who never open the app.

    troubleshooting-wizard stats [--from FOLDER …] [--no-store] [--since DATE] [--until DATE]
        [--flow ID] [--by-agent] [--lang sv|en] --format html|json|csv -o OUT

Reads the saved cases (unless --no-store) and every case file under each FOLDER. A file that is not a
usable case is one `path: why` line on stderr and the rest is counted; a progress line on stderr
keeps a long read in sight. User errors are one line with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from wizard.cli.common import Exit, configured_library, write_file

if TYPE_CHECKING:
    from wizard.core.library import FlowLibrary

# The parser is built at every start of the app: the figures, readers and charts load in run_stats.
FORMATS = ("html", "json", "csv")
_ParserT = TypeVar("_ParserT", bound=argparse.ArgumentParser)  # the main parser's own subclass

EXIT_OK = Exit.OK  # the command line's one set of exit codes
EXIT_PROBLEMS = Exit.PROBLEMS
EXIT_USAGE = Exit.USAGE
PROG = "troubleshooting-wizard stats"
LANGUAGES = ("en", "sv")


def register(commands: argparse._SubParsersAction[_ParserT]) -> None:
    """The `stats` command, for wizard.cli's COMMAND_MODULES."""
    add_parser(commands)
    commands.choices["stats"].set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_stats(args, configured_library())


def add_parser(commands: argparse._SubParsersAction[_ParserT]) -> None:
    stats = commands.add_parser("stats", help="usage statistics over saved cases and folders of case files")
    stats.add_argument(
        "--from",
        dest="folders",
        action="append",
        type=Path,
        default=[],
        metavar="FOLDER",
        help="a folder of case files (JSON exports); may be given more than once",
    )
    stats.add_argument("--no-store", action="store_true", help="leave out the cases saved on this computer")
    stats.add_argument("--since", metavar="DATE", help="cases started on or after DATE (YYYY-MM-DD, UTC)")
    stats.add_argument("--until", metavar="DATE", help="cases started on or before DATE (YYYY-MM-DD, UTC)")
    stats.add_argument("--flow", dest="stats_flow", metavar="ID", help="only cases that pass this flow")
    stats.add_argument("--by-agent", action="store_true", help="count cases per agent (shows agents' names)")
    stats.add_argument(
        "--lang", dest="stats_lang", choices=LANGUAGES, help="language of the report (default en)"
    )
    stats.add_argument(
        "--format", dest="stats_format", choices=FORMATS, help="html, json or csv (default: from OUT)"
    )
    stats.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="file to write ('-': standard output)"
    )


def _date(raw: str | None, option: str) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{option} '{raw}' is not a date such as 2026-11-30") from None


class _ProgressLine:
    """'Reading cases: 12,000 of 100,000' on stderr, rewritten in place on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False
        self.terminal = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        line = (
            f"{PROG}: reading cases: {done:,} of {total:,}" if total else f"{PROG}: reading cases: {done:,}"
        )
        if self.terminal:
            self.stream.write("\r" + line)
        elif done == total or done % 10_000 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown and self.terminal:
            self.stream.write("\n")


def run_stats(args: argparse.Namespace, library: FlowLibrary) -> int:
    from wizard.stats.core import Query, collect, report
    from wizard.stats.report import render

    output: Path = args.output
    fmt = args.stats_format or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"{PROG}: say --format ({', '.join(FORMATS)}); '{output}' does not tell", file=sys.stderr)
        return EXIT_USAGE
    try:
        query = Query(
            since=_date(args.since, "--since"),
            until=_date(args.until, "--until"),
            flow=args.stats_flow,
            by_agent=args.by_agent,
        )
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if query.since and query.until and query.since > query.until:
        print(f"{PROG}: --since {query.since} is after --until {query.until}", file=sys.stderr)
        return EXIT_USAGE
    flowset = library.flowset
    if query.flow is not None and query.flow not in flowset:
        known = ", ".join(flow.id for flow in flowset) or "none loaded"
        print(f"{PROG}: no flow '{query.flow}' (flows: {known})", file=sys.stderr)
        return EXIT_PROBLEMS
    for folder in args.folders:
        if not folder.is_dir():
            print(
                f"{PROG}: {folder}: {'not a folder' if folder.exists() else 'no such folder'}",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    store = None
    if not args.no_store:
        from wizard.store import paths
        from wizard.store.cases import CaseStore

        database = paths.cases_database()
        if database.exists():  # statistics never create a database
            store = CaseStore(database, read_only=True)
    progress = _ProgressLine(sys.stderr)
    try:
        tally = collect(flowset, query, store=store, folders=args.folders, progress=progress)
    finally:
        progress.end()
        if store is not None:
            store.close()
    for item in tally.skipped:
        print(str(item), file=sys.stderr)
    lang = args.stats_lang or "en"
    data = report(tally, flowset, lang)
    flow_map = None
    if fmt == "html" and query.flow is not None:  # for the flow's authors: the map with the counts
        from wizard.stats.flowmap import counted_map_svg

        flow_map = counted_map_svg(flowset, query.flow, lang, data)
    text = render(data, fmt, lang, flow_map)
    if str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    return write_file(PROG, output, text)
