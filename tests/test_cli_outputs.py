"""`export`, `handout` and `map -o` write into what OUT names, as `cp` and `sort -o` do: through a FIFO
or a device, along a link; they refuse a folder or a missing folder in one line, exit 1."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wizard import cli

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "docs" / "examples" / "case-windows-0x8007064c.json"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/null and links are POSIX")

# One command line per command; OUT is filled in. All three produce text, so a FIFO can carry them.
COMMANDS = {
    "export": ["export", str(CASE), "--format", "txt", "-o"],
    "handout": ["handout", "ios", "--format", "html", "-o"],
    "map": ["map", "ios", "-o"],
}
PROGS = {name: f"troubleshooting-wizard {name}" for name in COMMANDS}


def run(capsys: pytest.CaptureFixture[str], command: str, out: Path) -> tuple[int, str]:
    code = cli.main([*COMMANDS[command], str(out)])
    return code, capsys.readouterr().err


def name_for(command: str) -> str:
    return {"export": "case.txt", "handout": "ios.html", "map": "ios.svg"}[command]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_gets_the_output_and_stays_a_fifo(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / name_for(command)
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, err = run(capsys, command, fifo)
    reader.join(timeout=30)
    assert (code, err) == (0, "")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    text = received[0].decode("utf-8")
    assert {"export": "Case TW-20261126-0930-M3Y", "handout": "<html", "map": "<svg"}[command] in text
    assert [p.name for p in tmp_path.iterdir()] == [fifo.name]


@pytest.mark.parametrize("command", ["export", "handout"])  # map needs a name ending in .svg: below
def test_dev_null_is_written_to_not_replaced(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = os.stat("/dev/null")
    code, err = run(capsys, command, Path("/dev/null"))
    assert (code, err) == (0, "")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_map_into_dev_null_through_a_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "discard.svg"
    link.symlink_to("/dev/null")
    code, err = run(capsys, "map", link)
    assert (code, err) == (0, "")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_is_followed_and_the_file_keeps_its_mode(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / name_for(command)
    real.write_text("old", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / name_for(command)
    link.symlink_to(real)
    code, err = run(capsys, command, link)
    assert (code, err) == (0, "")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") != "old"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert [p.name for p in shared.iterdir()] == [real.name]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_dangling_link_is_refused(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / name_for(command)
    link.symlink_to(tmp_path / "gone" / name_for(command))
    code, err = run(capsys, command, link)
    assert code == 1 and err.count("\n") == 1
    assert (
        err.startswith(f"{PROGS[command]}: cannot write {link}: it is a link to ") and "does not exist" in err
    )
    assert link.is_symlink() and not (tmp_path / "gone").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_directory_is_refused(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / name_for(command)
    folder.mkdir()
    code, err = run(capsys, command, folder)
    assert (code, err) == (1, f"{PROGS[command]}: cannot write {folder}: it is a directory\n")
    assert folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_folder_is_said_not_made(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "typo" / name_for(command)
    code, err = run(capsys, command, out)
    assert (code, err) == (1, f"{PROGS[command]}: cannot write {out}: folder does not exist\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_new_file_is_readable_by_others_a_replaced_one_keeps_its_mode(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name_for(command)
    assert run(capsys, command, out) == (0, "")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    out.chmod(0o640)
    assert run(capsys, command, out) == (0, "")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_dev_stdout_into_a_pipe_prints_the_output(tmp_path: Path) -> None:
    """`-o /dev/stdout` is a link to a link to a pipe here: it is written into, like `cp x /dev/stdout`."""
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "export", str(CASE), "--format", "txt", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        env={**os.environ, "WIZARD_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Case TW-20261126-0930-M3Y")


@pytest.mark.parametrize(
    ("command", "argv", "what"),
    [
        ("export", ["export", str(CASE), "--format", "pdf", "-o"], "PDF"),
        ("handout", ["handout", "ios", "--format", "pdf", "-o"], "PDF"),
        ("map", ["map", "ios", "-o"], "PNG"),
    ],
)
def test_every_command_says_the_same_when_qt_cannot_load(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
    argv: list[str],
    what: str,
) -> None:
    """One guard for all: a broken Qt is one line naming the command, exit 1, and no file."""
    monkeypatch.setitem(sys.modules, "wizard.export.pdf", None)  # importing it raises ImportError
    out = tmp_path / ("ios.png" if command == "map" else "out.pdf")
    code = cli.main([*argv, str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert err.startswith(f"troubleshooting-wizard {command}: {what} needs Qt, which cannot load") and (
        err.count("\n") == 1
    ), err
