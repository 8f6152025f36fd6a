"""The command line: validate, search and list flows, export and import cases, draw maps, write
handouts; with no command, open the app.

Each command is a module of this package with `register(commands)`, which adds its parser and sets
`run` (a function of the parsed arguments returning the exit code). A new command is one more entry
in COMMAND_MODULES. Modules import what a command needs when it runs: opening the window should not
wait for the exporters, nor `--version` for YAML.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wizard import __version__
from wizard.cli import app
from wizard.cli.common import Exit

# In the order `--help` lists them.
COMMAND_MODULES = (
    "wizard.cli.validate",
    "wizard.cli.search",
    "wizard.cli.flows",
    "wizard.cli.export",
    "wizard.cli.import_",
    "wizard.cli.map",
    "wizard.cli.handout",
    "wizard.stats.cli",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="troubleshooting-wizard",
        description="Troubleshooting Wizard: Intune enrollment troubleshooting flows for first-line support.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    app.add_arguments(parser)
    parser.set_defaults(run=app.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head
        return Exit.OK


if __name__ == "__main__":
    sys.exit(main())
