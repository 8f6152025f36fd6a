"""`troubleshooting-wizard import CASE.json`: a case handed off from another machine, checked and saved."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.cli.common import PROG, Exit, configured_library, fail

if TYPE_CHECKING:
    from wizard.cli.common import Commands


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "import", help="check a case file (hand-off from another machine) and add it to the saved cases"
    )
    parser.add_argument("case_file", type=Path, metavar="CASE.json", help="a case exported as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from wizard.export.json_case import CaseFileError, read_case_file
    from wizard.store.cases import CaseStore, CaseStoreError

    library = configured_library()
    path: Path = args.case_file
    try:
        case, warnings = read_case_file(path, library.flowset)
    except CaseFileError as exc:
        for problem in exc.problems:
            print(f"{path}: {problem}", file=sys.stderr)
        return Exit.PROBLEMS
    for warning in warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    try:
        with CaseStore() as store:
            for notice in store.open():
                print(f"{PROG}: {notice.message}", file=sys.stderr)
            replaced = store.exists(case.id)
            store.save(case)
    except CaseStoreError as exc:
        return fail(f"{PROG} import", exc.message)
    if replaced:
        print(f"{path}: replaced the saved case with the same id", file=sys.stderr)
    print(case.id)
    return Exit.OK
