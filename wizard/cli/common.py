"""What every command shares: exit codes, the flows as configured, the Qt guard and writing `-o`.

User errors go to stderr in a line or two with a non-zero exit, never as a traceback. Nothing here
imports the core, the exporters or Qt at module level: `--version` and the window start stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from wizard.core.library import FlowLibrary

    # What a command module's `register` adds its parser to.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

PROG = "troubleshooting-wizard"


class Exit(IntEnum):
    """The exit codes of every command."""

    OK = 0
    PROBLEMS = 1  # the input has problems, or the output could not be written
    USAGE = 2  # a wrong command line
    INTERRUPTED = 130  # Ctrl+C, as a shell reports it


def fail(prog: str, message: str, code: Exit = Exit.PROBLEMS) -> Exit:
    """Say what went wrong in one line on stderr and give the exit code for it."""
    print(f"{prog}: {message}", file=sys.stderr)
    return code


def needs_qt(prog: str, what: str) -> Exit | None:
    """Start the offscreen Qt a PDF or PNG is drawn with; when Qt cannot load, say so and give the exit."""
    try:
        from wizard.export.pdf import ensure_gui_application
    except ImportError as exc:  # a broken Qt install is a user-facing problem, not a traceback
        return fail(prog, f"{what} needs Qt, which cannot load: {exc}")
    ensure_gui_application()
    return None


def write_file(prog: str, path: Path, data: str | bytes) -> Exit:
    """Write `-o` as every command does (wizard.core.files.write_output: atomic, mode kept)."""
    from wizard.core.files import OutputRefused, write_output

    try:
        write_output(path, data)
    except OutputRefused as exc:
        return fail(prog, f"cannot write {exc}")
    except OSError as exc:
        return fail(prog, f"cannot write {path}: {exc.strerror or exc}")
    return Exit.OK


def configured_library(extra_files: Sequence[Path] = ()) -> FlowLibrary:
    """The flows as the app would load them: built-in, the user's, the settings' and the environment's."""
    from wizard.core.library import load_library
    from wizard.store import paths
    from wizard.store.settings import load_settings

    loaded = load_settings()
    for notice in loaded.notices:  # e.g. where a damaged settings file was kept
        print(f"{PROG}: {notice.english()}", file=sys.stderr)
    return load_library(paths.flow_dirs(loaded.settings.flow_dirs), extra_files)


def default_lang(library: FlowLibrary) -> str:
    languages = library.flowset.languages
    return "en" if "en" in languages or not languages else languages[0]


def refuse_unknown_lang(lang: str, library: FlowLibrary, command: str) -> bool:
    """Say on one line, and answer True, when `lang` is none of the languages the flows have."""
    languages = library.flowset.languages
    if not languages or lang in languages:
        return False
    print(f"{PROG} {command}: --lang {lang}: the flows have {', '.join(languages)}", file=sys.stderr)
    return True
