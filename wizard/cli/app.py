"""With no command: open the window (at a node with `--flow`/`--node`, or `--smoke-test` offscreen)."""

from __future__ import annotations

import argparse
import sys

from wizard.cli.common import PROG, Exit, fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", help="language of the app (sv, en, …); default: the system's")
    parser.add_argument("--flow", metavar="ID", help="open the app at this flow")
    parser.add_argument("--node", metavar="ID", help="with --flow: open at this node")
    parser.add_argument(
        "--smoke-test", action="store_true", help="build the window offscreen, render pages, exit"
    )
    parser.add_argument(
        "--presentation", action="store_true", help="start in presentation mode (full screen, large type)"
    )


def run(args: argparse.Namespace) -> int:
    if args.node and not args.flow:
        return fail(PROG, "--node needs --flow", Exit.USAGE)
    from wizard.ui.display_check import display_problem_line

    no_display = display_problem_line(args.lang, offscreen=args.smoke_test)
    if no_display:  # said in one line before Qt would abort with a core dump
        print(no_display, file=sys.stderr)
        return Exit.USAGE
    try:
        from wizard.ui.app import run_app
    except ImportError as exc:  # a broken Qt install is a user-facing problem, not a traceback
        return fail(PROG, f"cannot start the window: {exc}")
    return run_app(args)
