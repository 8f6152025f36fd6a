"""The command line: validate, search and list flows, export and import cases; with no command, open the app.

User errors go to stderr in a line or two with a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import __version__

if TYPE_CHECKING:
    from wizard.core.library import FlowLibrary

# Each command imports what it needs when it runs: opening the window should not wait for the
# exporters, nor `--version` for YAML. tests/test_cli.py checks these match wizard.export's.
FORMATS = ("md", "html", "pdf", "txt", "json")
EXPORT_LANGUAGES = ("en", "sv")

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="troubleshooting-wizard",
        description="Troubleshooting Wizard: Intune enrollment troubleshooting flows for first-line support.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", help="language of the app (sv, en, …); default: the system's")
    parser.add_argument("--flow", metavar="ID", help="open the app at this flow")
    parser.add_argument("--node", metavar="ID", help="with --flow: open at this node")
    parser.add_argument(
        "--smoke-test", action="store_true", help="build the window offscreen, render pages, exit"
    )
    parser.add_argument(
        "--presentation", action="store_true", help="start in presentation mode (full screen, large type)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser("validate", help="check flow files and report every problem")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="flow files or directories (default: all configured)",
    )
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")

    search = commands.add_parser("search", help="find nodes by error code, identifier, message or words")
    search.add_argument("query", nargs="+", help="what to look for")
    search.add_argument(
        "--lang", dest="search_lang", default=None, help="language of the titles shown (sv, en)"
    )
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=10, help="at most this many hits (default 10)")

    flows = commands.add_parser("flows", help="list the flows found")
    flows.add_argument("--json", action="store_true", help="print JSON")
    flows.add_argument("--lang", dest="flows_lang", default=None, help="language of the titles (sv, en)")

    export = commands.add_parser(
        "export", help="write a case as Markdown, HTML, PDF, plain text or JSON for a ticket"
    )
    export.add_argument("case", metavar="CASE", help="a case file (.json) or the id of a saved case")
    export.add_argument(
        "--format",
        dest="export_format",
        choices=FORMATS,
        help="md, html, pdf, txt or json (default: from the name of OUT)",
    )
    export.add_argument(
        "--lang",
        dest="export_lang",
        choices=EXPORT_LANGUAGES,
        help="language of the export, apart from the app's (default: the app's language, else en)",
    )
    export.add_argument(
        "--redact", action="store_true", help="replace names, UPN, device name, serial and IMEI"
    )
    export.add_argument("--screenshots", action="store_true", help="embed the steps' screenshots (html, pdf)")
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="file to write ('-': standard output)"
    )

    import_ = commands.add_parser(
        "import", help="check a case file (hand-off from another machine) and add it to the saved cases"
    )
    import_.add_argument("case_file", type=Path, metavar="CASE.json", help="a case exported as JSON")

    flow_map = commands.add_parser("map", help="draw a flow as a graph (SVG or PNG)")
    flow_map.add_argument("flow_id", metavar="FLOW_ID", help="the flow to draw (see 'flows')")
    flow_map.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="FILE.svg or FILE.png"
    )
    flow_map.add_argument("--lang", dest="map_lang", default=None, help="language of the labels (sv, en)")

    handout = commands.add_parser("handout", help="write a whole flow as a document for training")
    handout.add_argument("flow_id", metavar="FLOW_ID", help="the flow to write (see 'flows')")
    handout.add_argument("--format", dest="handout_format", choices=("pdf", "html"), required=True)
    handout.add_argument("--lang", dest="handout_lang", default=None, help="language of the handout (sv, en)")
    handout.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="file to write")

    from wizard.stats.cli import add_parser as add_stats_parser  # argparse only; the figures load on use

    add_stats_parser(commands)
    return parser


def configured_library(extra_files: Sequence[Path] = ()) -> FlowLibrary:
    from wizard.core.library import load_library
    from wizard.store import paths
    from wizard.store.settings import load_settings

    loaded = load_settings()
    for notice in loaded.notices:  # e.g. where a damaged settings file was kept
        print(f"troubleshooting-wizard: {notice.english()}", file=sys.stderr)
    return load_library(paths.flow_dirs(loaded.settings.flow_dirs), extra_files)


def _default_lang(library: FlowLibrary) -> str:
    languages = library.flowset.languages
    return "en" if "en" in languages or not languages else languages[0]


def _refuse_unknown_lang(lang: str, library: FlowLibrary, command: str) -> bool:
    """Say on one line, and answer True, when `lang` is none of the languages the flows have."""
    languages = library.flowset.languages
    if not languages or lang in languages:
        return False
    print(
        f"troubleshooting-wizard {command}: --lang {lang}: the flows have {', '.join(languages)}",
        file=sys.stderr,
    )
    return True


def cmd_validate(args: argparse.Namespace) -> int:
    from wizard.core.library import FLOW_SUFFIXES, flow_files_in

    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            found = flow_files_in(path)
            if not found:
                print(f"{path}: no flow files (*.yaml) in this directory", file=sys.stderr)
                return EXIT_PROBLEMS
            files.extend(found)
        elif path.exists():
            if path.suffix not in FLOW_SUFFIXES:
                print(f"{path}: not a flow file (expected .yaml or .yml)", file=sys.stderr)
                return EXIT_PROBLEMS
            files.append(path)
        else:
            print(f"{path}: no such file or directory", file=sys.stderr)
            return EXIT_PROBLEMS
    library = configured_library(files)
    wanted = {path.resolve() for path in files}
    shown = [p for p in library.problems if not wanted or p.path.resolve() in wanted]
    for problem in shown:
        print(problem)
    errors = sum(1 for p in shown if p.is_error)
    warnings = len(shown) - errors
    checked = len(wanted) if wanted else len(library.files)
    summary = f"{checked} file(s) checked: {errors} error(s), {warnings} warning(s)"
    print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from wizard.core.search import SearchIndex

    library = configured_library()
    lang = args.search_lang or _default_lang(library)
    if _refuse_unknown_lang(lang, library, "search"):
        return EXIT_USAGE
    index = SearchIndex(library.flowset)
    answer = index.answer(" ".join(args.query), limit=max(1, args.limit), lang=lang)
    flowset = library.flowset
    ways_on = [ref for ref in answer.ways_on if flowset.has_node(ref)]
    if args.json:
        entries: list[dict[str, object]] = [unknown.as_dict() for unknown in answer.unknown_codes]
        entries += [hit.as_dict(lang) for hit in answer.hits]
        entries += [{"kind": "did-you-mean", "query": suggestion} for suggestion in answer.suggestions]
        entries += [
            {"kind": "way-on", "flow": ref.flow, "node": ref.node, "title": flowset.node(ref).title.get(lang)}
            for ref in ways_on
        ]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return EXIT_OK if answer.confident else EXIT_PROBLEMS
    for unknown in answer.unknown_codes:
        near = ", ".join(f"{known.code} ({known.ref})" for known in unknown.nearest)
        print(f"{unknown.code}: not in the flows; known codes of family {unknown.family}: {near or 'none'}")
    if not answer.hits:
        print("no hits", file=sys.stderr)
    for hit in answer.hits:
        node = flowset.node(hit.ref)
        print(f"{hit.score:6.1f}  {hit.ref}  {node.title.get(lang)}  [{', '.join(hit.why) or hit.reason}]")
    for suggestion in answer.suggestions:
        print(f"did you mean: {suggestion}")
    for ref in ways_on:
        print(f"way on: {ref}  {flowset.node(ref).title.get(lang)}")
    return EXIT_OK if answer.hits and answer.confident else EXIT_PROBLEMS


def cmd_flows(args: argparse.Namespace) -> int:
    library = configured_library()
    lang = args.flows_lang or _default_lang(library)
    if _refuse_unknown_lang(lang, library, "flows"):
        return EXIT_USAGE
    rows: list[dict[str, Any]] = [
        {
            "id": flow.id,
            "title": flow.title.get(lang),
            "platforms": list(flow.platforms),
            "nodes": len(flow.nodes),
            "languages": sorted(flow.languages),
            "version": flow.version,
            "reviewed": flow.reviewed.isoformat() if flow.reviewed else None,
            "directory": str(library.origin[flow.id]),
        }
        for flow in library.flowset
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['id']:<16} {row['nodes']:>4} nodes  {','.join(row['platforms']):<20} {row['title']}  ({row['directory']})"
            )
    if library.errors:
        print(
            f"{len(library.errors)} problem(s) kept some flows out; run 'troubleshooting-wizard validate'",
            file=sys.stderr,
        )
    return EXIT_OK


def _case_language(args_lang: str | None) -> str:
    from wizard.store.settings import load_settings

    if args_lang:
        return str(args_lang)
    configured = load_settings().settings.language or ""
    return configured if configured in EXPORT_LANGUAGES else "en"


def cmd_export(args: argparse.Namespace) -> int:
    from wizard.core.case import ID_PATTERN, CaseError
    from wizard.core.files import OutputRefused
    from wizard.export import SUFFIXES, write_export
    from wizard.export.json_case import CaseFileError, read_case_file
    from wizard.store.cases import CaseStore, CaseStoreError

    output: Path = args.output
    fmt = args.export_format or next((f for f, suffix in SUFFIXES.items() if output.suffix == suffix), None)
    if fmt is None:
        print(
            f"troubleshooting-wizard export: say --format ({', '.join(FORMATS)}); '{output}' does not tell",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if fmt == "pdf" and str(output) == "-":
        print("troubleshooting-wizard export: a PDF goes to a file, not to standard output", file=sys.stderr)
        return EXIT_USAGE
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
        return EXIT_PROBLEMS
    except KeyError:
        print(f"troubleshooting-wizard export: no saved case {args.case}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (CaseError, CaseStoreError) as exc:
        print(f"troubleshooting-wizard export: {args.case}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    lang = _case_language(args.export_lang)
    if fmt == "pdf":
        try:
            from wizard.export.pdf import ensure_gui_application
        except ImportError as exc:
            print(f"troubleshooting-wizard export: PDF needs Qt, which cannot load: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        ensure_gui_application()
    try:
        if str(output) == "-":
            from wizard.export import export_case

            sys.stdout.write(
                export_case(case, fmt, lang, redact=args.redact, screenshots=args.screenshots).decode("utf-8")
            )
        else:
            write_export(output, case, fmt, lang, redact=args.redact, screenshots=args.screenshots)
    except OutputRefused as exc:
        print(f"troubleshooting-wizard export: cannot write {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"troubleshooting-wizard export: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from wizard.export.json_case import CaseFileError, read_case_file
    from wizard.store.cases import CaseStore, CaseStoreError

    library = configured_library()
    path: Path = args.case_file
    try:
        case, warnings = read_case_file(path, library.flowset)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(f"{path}: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    try:
        with CaseStore() as store:
            for notice in store.open():
                print(f"troubleshooting-wizard: {notice.message}", file=sys.stderr)
            replaced = store.exists(case.id)
            store.save(case)
    except CaseStoreError as exc:
        print(f"troubleshooting-wizard import: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    if replaced:
        print(f"{path}: replaced the saved case with the same id", file=sys.stderr)
    print(case.id)
    return EXIT_OK


def cmd_map(args: argparse.Namespace) -> int:
    from wizard.export.map_cli import run_map  # layout and drawing load only for this command

    return run_map(args, configured_library())


def cmd_handout(args: argparse.Namespace) -> int:
    from wizard.export.handout_cli import run_handout

    return run_handout(args, configured_library())


def cmd_stats(args: argparse.Namespace) -> int:
    from wizard.stats.cli import run_stats

    return run_stats(args, configured_library())


def cmd_app(args: argparse.Namespace) -> int:
    if args.node and not args.flow:
        print("troubleshooting-wizard: --node needs --flow", file=sys.stderr)
        return EXIT_USAGE
    from wizard.ui.display_check import display_problem_line

    no_display = display_problem_line(args.lang, offscreen=args.smoke_test)
    if no_display:  # said in one line before Qt would abort with a core dump
        print(no_display, file=sys.stderr)
        return EXIT_USAGE
    try:
        from wizard.ui.app import run_app
    except ImportError as exc:  # a broken Qt install is a user-facing problem, not a traceback
        print(f"troubleshooting-wizard: cannot start the window: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {
        "map": cmd_map,
        "handout": cmd_handout,
        "validate": cmd_validate,
        "search": cmd_search,
        "flows": cmd_flows,
        "export": cmd_export,
        "import": cmd_import,
        "stats": cmd_stats,
    }
    try:
        return handlers.get(args.command, cmd_app)(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
