"""A start without a usable display says why in one line, in the agent's language, and exits 2.

The app is started in a subprocess with a scrubbed environment (no DISPLAY, WAYLAND_DISPLAY or
QT_QPA_PLATFORM), as over SSH, on a server or in a container; Qt itself would abort with a core dump.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.ui.display_check import (
    XCB_LIBRARIES,
    DisplayProblem,
    _loadable,
    describe,
    find_display_problem,
    system_language,
)

ON_LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")


def start(home: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """The app as a user starts it, with only the environment given here."""
    scrubbed = {"PATH": os.defpath, "HOME": str(home), "WIZARD_HOME": str(home), **environ}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        env=scrubbed,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr  # 134 is Qt's abort with a core dump
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Reinstalling the application" not in result.stderr
    return lines[0]


@ON_LINUX
def test_no_display_says_what_to_do_in_english(tmp_path: Path) -> None:
    line = one_line(start(tmp_path, LANG="C.UTF-8"))
    assert line.startswith("troubleshooting-wizard: the window cannot open: there is no display")
    assert "DISPLAY" in line and "QT_QPA_PLATFORM=offscreen" in line and "--smoke-test" in line


@ON_LINUX
def test_no_display_in_the_system_locale_language(tmp_path: Path) -> None:
    line = one_line(start(tmp_path, LANG="sv_SE.UTF-8"))
    assert "fönstret kan inte öppnas: det finns ingen skärm" in line
    assert "QT_QPA_PLATFORM=offscreen" in line


@ON_LINUX
def test_the_settings_language_comes_before_the_locale_and_lang_before_both(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text(json.dumps({"language": "sv"}), encoding="utf-8")
    assert "det finns ingen skärm" in one_line(start(tmp_path, LANG="C.UTF-8"))
    assert "there is no display" in one_line(start(tmp_path, "--lang", "en", LANG="sv_SE.UTF-8"))


@ON_LINUX
def test_a_display_that_does_not_answer(tmp_path: Path) -> None:
    line = one_line(start(tmp_path, DISPLAY=":4711", LANG="C.UTF-8"))
    if all(map(_loadable, XCB_LIBRARIES)):
        assert "the display :4711 does not answer" in line
    else:  # a machine without the xcb libraries hears about those first
        assert "sudo apt install" in line


@ON_LINUX
def test_the_smoke_test_needs_no_display(tmp_path: Path) -> None:
    result = start(tmp_path, "--smoke-test", LANG="C.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout


def test_a_missing_xcb_library_is_named_with_its_package() -> None:
    environ = {"DISPLAY": ":0"}
    problem = find_display_problem(
        environ, "linux", loadable=lambda library: library != "libxcb-cursor.so.0", answers=lambda _d: True
    )
    assert problem == DisplayProblem("missing-libraries", ":0", ("libxcb-cursor.so.0",))
    line = describe(problem, "en")
    assert "needs libxcb-cursor.so.0" in line and "sudo apt install libxcb-cursor0 " in line
    assert "sudo apt install libxcb-cursor0 " in describe(problem, "sv")
    assert "Installera med" in describe(problem, "sv")
    two = find_display_problem(
        environ,
        "linux",
        loadable=lambda library: library not in ("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"),
        answers=lambda _d: True,
    )
    assert two is not None and two.packages == ("libxcb-cursor0", "libxkbcommon-x11-0")


@pytest.mark.parametrize(
    ("environ", "platform", "kind"),
    [
        ({}, "linux", "no-display"),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "no-display"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", None),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"DISPLAY": ":0"}, "linux", None),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", None),
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_only_a_start_that_would_fail_is_stopped(
    environ: dict[str, str], platform: str, kind: str | None
) -> None:
    problem = find_display_problem(environ, platform, loadable=lambda _l: True, answers=lambda _d: True)
    assert (problem.kind if problem else None) == kind


def test_the_system_language() -> None:
    assert system_language({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert system_language({"LANGUAGE": "sv:en", "LANG": "en_GB.UTF-8"}) == "sv"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LANG": "sv_SE.UTF-8"}) == "en"
    assert system_language({}) == "en"
    assert describe(DisplayProblem("no-display"), "de").startswith("troubleshooting-wizard: the window")


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A real X display: Xvfb picks a free number and writes it when it is ready."""
    if not sys.platform.startswith("linux") or shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL
    )
    os.close(write)
    with os.fdopen(read) as ready:
        number = ready.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_working_x_display_is_let_through(xvfb_display: str) -> None:
    if not all(map(_loadable, XCB_LIBRARIES)):
        pytest.skip("the xcb libraries are not installed here")
    assert find_display_problem({"DISPLAY": xvfb_display}) is None
