"""The command line: validate, search and list flows, export and import cases, draw maps, write
handouts; with no command, open the app.

Each command is a module of this package with `register(commands)`, which adds its parser and sets
`run` (a function of the parsed arguments returning the exit code). A new command is one more entry
in COMMAND_MODULES. Only the command on the line is registered (all of them for `--help` or a word
that is no command), and modules import what a command needs when it runs: opening the window waits
neither for eight parsers nor for the exporters, nor `--version` for YAML.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wizard import __version__
from wizard.cli import app
from wizard.cli.common import Exit

# Command name → the module that registers it, in the order `--help` lists them.
COMMAND_MODULES: dict[str, str] = {
    "validate": "wizard.cli.validate",
    "search": "wizard.cli.search",
    "flows": "wizard.cli.flows",
    "export": "wizard.cli.export",
    "import": "wizard.cli.import_",
    "map": "wizard.cli.map",
    "handout": "wizard.cli.handout",
    "stats": "wizard.stats.cli",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{self.prog}: {message}\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: every command without it, else only what `argv` can use."""
    parser = _Parser(
        prog="troubleshooting-wizard",
        description="Troubleshooting Wizard: Intune enrollment troubleshooting flows for first-line support.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    app.add_arguments(parser)
    parser.set_defaults(run=app.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = COMMAND_MODULES.keys() if argv is None else _commands_used(argv, _options_with_values(parser))
    for name in wanted:
        importlib.import_module(COMMAND_MODULES[name]).register(commands)
    return parser


def _options_with_values(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions if action.nargs != 0 for option in action.option_strings}


def _commands_used(argv: Sequence[str], options_with_values: set[str]) -> list[str]:
    """The commands `argv` needs registered: none to open the window, the one named, or all of
    them for help and for a word that is no command (so argparse words the error as always)."""
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help", "--"):
            break
        if token.startswith("-") and token != "-":
            if "=" not in token and token in options_with_values:
                next(tokens, None)  # its value, which may look like a command
            continue
        return [token] if token in COMMAND_MODULES else list(COMMAND_MODULES)
    else:
        return []
    return list(COMMAND_MODULES)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head
        return Exit.OK


if __name__ == "__main__":
    sys.exit(main())
