"""Writing outputs the way command-line tools do: into pipes, devices and links, never over folders."""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import threading
from pathlib import Path

import pytest

from wizard.core.files import OutputRefused, write_atomically, write_output

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/null and links are POSIX")


def test_a_new_file_is_for_sharing_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "case.txt"
    write_output(target, "one")
    assert target.read_text(encoding="utf-8") == "one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["case.txt"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "case.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["case.txt"]


@posix_only
def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    payload = b"x" * 200_000  # more than a pipe's buffer: the reader must really be reading
    write_output(fifo, payload)
    reader.join(timeout=30)
    assert not reader.is_alive()
    assert received == [payload]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


@posix_only
def test_dev_null_is_written_through_and_not_replaced() -> None:
    before = os.stat("/dev/null")
    write_output(Path("/dev/null"), "discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@posix_only
def test_a_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "case.md"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.md"
    link.symlink_to(Path("real") / "case.md")  # a relative link, as `ln -s` makes them
    write_output(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "case.md")
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["case.md"]


@posix_only
def test_a_link_to_a_new_file_in_an_existing_folder_is_refused_when_it_dangles(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "gone" / "case.md")
    with pytest.raises(OutputRefused) as refused:
        write_output(link, "text")
    assert "does not exist" in str(refused.value) and str(link) in str(refused.value)
    assert link.is_symlink() and not (tmp_path / "gone").exists()


@posix_only
def test_a_link_to_a_fifo_writes_into_the_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.txt"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_output(link, "through the link")
    reader.join(timeout=30)
    assert received == [b"through the link"] and link.is_symlink()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    with pytest.raises(OutputRefused) as refused:
        write_output(folder, "text")
    assert refused.value.errno == errno.EISDIR and "it is a directory" in str(refused.value)
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_missing_folder_is_not_made(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "case.txt"
    with pytest.raises(OutputRefused) as refused:
        write_output(target, "text")
    assert str(refused.value) == f"{target}: folder does not exist"
    assert list(tmp_path.iterdir()) == []


def test_a_file_as_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused, match="is not a folder"):
        write_output(tmp_path / "file" / "case.txt", "text")


@posix_only
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputRefused, match="not a regular file"):
            write_output(path, "text")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_refusals_are_oserrors_so_every_caller_reports_them(tmp_path: Path) -> None:
    with pytest.raises(OSError) as refused:
        write_output(tmp_path / "no" / "x", "text")
    assert refused.value.strerror == "folder does not exist"


def test_atomic_write_for_own_files_makes_folders_and_is_private(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "settings.json"
    write_atomically(target, "one")
    write_atomically(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["settings.json"]
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
