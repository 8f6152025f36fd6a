"""`troubleshooting-wizard validate [PATH…] [--strict]`: every problem of the flow files, one line each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.cli.common import Exit, configured_library

if TYPE_CHECKING:
    from wizard.cli.common import Commands


def register(commands: Commands) -> None:
    parser = commands.add_parser("validate", help="check flow files and report every problem")
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="flow files or directories (default: all configured)",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wizard.core.flow_files import FLOW_SUFFIXES, flow_files_in

    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            found = flow_files_in(path)
            if not found:
                print(f"{path}: no flow files (*.yaml) in this directory", file=sys.stderr)
                return Exit.PROBLEMS
            files.extend(found)
        elif path.exists():
            if path.suffix not in FLOW_SUFFIXES:
                print(f"{path}: not a flow file (expected .yaml or .yml)", file=sys.stderr)
                return Exit.PROBLEMS
            files.append(path)
        else:
            print(f"{path}: no such file or directory", file=sys.stderr)
            return Exit.PROBLEMS
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
    return Exit.PROBLEMS if errors or (args.strict and warnings) else Exit.OK
