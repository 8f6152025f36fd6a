"""Before Qt starts: is there a display the window can open on? If not, say so in one line.

Qt aborts (a core dump, exit 134) when its platform plugin cannot start, with a message that
suggests reinstalling the application. On Linux the usual causes are cheap to see beforehand: no
DISPLAY or WAYLAND_DISPLAY (over SSH, on a server, in a container), an X display that does not
answer, or a library the xcb plugin needs that is not installed. This module runs before
QApplication exists, so it cannot use Qt's translator: its few sentences carry their own Swedish.
It imports no Qt, and on a working desktop it costs a few library loads Qt would make anyway.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple

# The libraries Qt's xcb plugin (libqxcb.so, libQt6XcbQpa.so) links against that a server or a
# container often lacks, with the Debian/Ubuntu package that brings each.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
}

MESSAGES = {
    "en": {
        "no-display": (
            "the window cannot open: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            "Start it in a desktop session (or over ssh -X); to check it without a screen, run it with "
            "--smoke-test or set QT_QPA_PLATFORM=offscreen."
        ),
        "unreachable": (
            "the window cannot open: the display {display} does not answer. Check that DISPLAY is right "
            "and the X server is running; to check the app without a screen, run it with --smoke-test "
            "or set QT_QPA_PLATFORM=offscreen."
        ),
        "missing-libraries": (
            "the window cannot open: Qt's X11 (xcb) platform needs {libraries}, not installed here. "
            "Install with: sudo apt install {packages} (or your system's package of the same library); "
            "to check the app without a screen, set QT_QPA_PLATFORM=offscreen."
        ),
    },
    "sv": {
        "no-display": (
            "fönstret kan inte öppnas: det finns ingen skärm (varken DISPLAY eller WAYLAND_DISPLAY är "
            "angiven). Starta appen i en skrivbordssession (eller över ssh -X); om du vill kontrollera "
            "den utan skärm kör du den med --smoke-test eller anger QT_QPA_PLATFORM=offscreen."
        ),
        "unreachable": (
            "fönstret kan inte öppnas: skärmen {display} svarar inte. Kontrollera att DISPLAY är rätt "
            "och att X-servern körs; om du vill kontrollera appen utan skärm kör du den med "
            "--smoke-test eller anger QT_QPA_PLATFORM=offscreen."
        ),
        "missing-libraries": (
            "fönstret kan inte öppnas: Qt:s X11-plattform (xcb) behöver {libraries}, som inte är "
            "installerat här. Installera med: sudo apt install {packages} (eller systemets paket med "
            "samma bibliotek); om du vill kontrollera appen utan skärm anger du QT_QPA_PLATFORM=offscreen."
        ),
    },
}


class DisplayProblem(NamedTuple):  # not a dataclass: importing dataclasses costs a start 8 ms
    """Why the window cannot open: a kind, and the display or libraries it is about."""

    kind: str  # "no-display", "unreachable" or "missing-libraries"
    display: str = ""
    libraries: tuple[str, ...] = ()

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(XCB_LIBRARIES[library] for library in self.libraries)


def _loadable(library: str) -> bool:
    """Whether the dynamic loader finds `library`, as it will when Qt loads the plugin."""
    import ctypes  # only on the X11 path: offscreen and Wayland starts skip loading it

    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def _answers(display: str) -> bool:
    """Whether the X server of `display` accepts a connection (libxcb is known to load)."""
    import ctypes

    xcb = ctypes.CDLL("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return not xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)  # also safe on the error connection xcb_connect hands back


def find_display_problem(
    environ: Mapping[str, str],
    platform: str = sys.platform,
    loadable: Callable[[str], bool] = _loadable,
    answers: Callable[[str], bool] = _answers,
) -> DisplayProblem | None:
    """The reason Qt's platform plugin would fail to start, or None when it should start (or when
    this cannot tell: then Qt decides, as before)."""
    if not platform.startswith("linux"):
        return None
    requested = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    display = environ.get("DISPLAY", "")
    if requested and requested != "xcb":
        return None  # offscreen, wayland, vnc…: chosen on purpose
    if not requested and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt tries Wayland first, then X11
    if not display:
        return DisplayProblem("no-display")
    missing = tuple(library for library in XCB_LIBRARIES if not loadable(library))
    if missing:
        return DisplayProblem("missing-libraries", display, missing)
    if not answers(display):
        return DisplayProblem("unreachable", display)
    return None


def system_language(environ: Mapping[str, str]) -> str:
    """The language of the user's locale for messages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(":")[0]
        if value:
            return value.split("_")[0].split(".")[0].lower()
    return "en"


def describe(problem: DisplayProblem, lang: str) -> str:
    """One line for the terminal, in Swedish or English."""
    text = MESSAGES.get(lang, MESSAGES["en"])[problem.kind]
    return "troubleshooting-wizard: " + text.format(
        display=problem.display,
        libraries=", ".join(problem.libraries),
        packages=" ".join(problem.packages),
    )


def display_problem_line(lang: str | None = None, offscreen: bool = False) -> str | None:
    """The line to print when the window cannot open here, in the agent's language; else None.

    `lang` is --lang; otherwise the language of the settings, then of the system locale.
    `offscreen` is the smoke test, which needs no display unless QT_QPA_PLATFORM says otherwise.
    """
    environ = dict(os.environ)
    if offscreen:
        environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = find_display_problem(environ)
    if problem is None:
        return None
    if not lang:  # the settings are read only on this path, so a normal start pays nothing
        from wizard.store.settings import load_settings

        lang = load_settings().settings.language or system_language(environ)
    return describe(problem, lang)
