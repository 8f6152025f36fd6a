"""Writing files: atomically for the app's own files, and the way command-line tools do for outputs.

`write_atomically` is for files the app owns (settings, caches): a temporary file beside the target,
flushed, then renamed over it, so a reader never sees half a file.

`write_output` is for a file the user names (an export, a handout, a map). Like `cp` or `sort -o` it
writes *into* what the name points at: a regular file is replaced atomically and keeps its
permissions; a FIFO or a device such as /dev/null is written through; a symbolic link is followed to
its target; a folder, a socket or a link to nothing is refused with one clear line
(OutputRefused), and so is a name in a folder that does not exist: a typo in the path should not
create folders.
"""

from __future__ import annotations

import errno
import os
import stat
from enum import StrEnum
from pathlib import Path

SHARED_MODE = 0o644  # a new export is for sharing: readable like any document the user saves


class Refusal(StrEnum):
    """Why an output is not written, for a window to word in its language."""

    DIRECTORY = "directory"
    MISSING_FOLDER = "missing_folder"
    FOLDER_IS_A_FILE = "folder_is_a_file"
    DANGLING_LINK = "dangling_link"
    SPECIAL = "special"  # a socket, a block device: nothing a document goes into
    CHANGED = "changed"


class OutputRefused(OSError):
    """The output cannot be written as asked; `strerror` says why in a few English words, `kind` as data."""

    def __init__(self, code: int, reason: str, path: Path, kind: Refusal) -> None:
        super().__init__(code, reason, str(path))
        self.reason = reason
        self.path = path
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def write_atomically(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.

    Missing folders are made. The file is private to the user (0600) unless `mode` says otherwise.
    """
    import tempfile  # only when writing: it costs a few milliseconds at start-up

    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_output(path: Path, data: str | bytes, mode: int = SHARED_MODE) -> None:
    """Write a file the user asked for, into whatever `path` names (see the module's notes).

    A new file gets `mode`; a file replaced keeps its own. Raises OutputRefused for a target that is
    not written (a folder, a missing folder, a dangling link, a socket) and OSError when writing fails.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = path
    try:
        found: os.stat_result | None = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):  # the folder is looked at below
        found = None
    if found is not None and stat.S_ISLNK(found.st_mode):
        try:
            found = os.stat(path)  # where the link leads, as open() follows it (also /dev/stdout)
        except (FileNotFoundError, NotADirectoryError):
            raise OutputRefused(
                errno.ENOENT,
                f"it is a link to {os.readlink(path)}, which does not exist",
                path,
                Refusal.DANGLING_LINK,
            ) from None
        if stat.S_ISREG(found.st_mode):
            target = Path(os.path.realpath(path))  # the file `cp` would write, replaced beside itself
    if found is None:
        folder = target.parent
        if not folder.exists():
            raise OutputRefused(errno.ENOENT, "folder does not exist", path, Refusal.MISSING_FOLDER)
        if not folder.is_dir():
            raise OutputRefused(errno.ENOTDIR, f"{folder} is not a folder", path, Refusal.FOLDER_IS_A_FILE)
        write_atomically(target, payload, mode)
    elif stat.S_ISREG(found.st_mode):
        write_atomically(target, payload, stat.S_IMODE(found.st_mode))
    elif stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
        _write_through(target, payload)
    elif stat.S_ISDIR(found.st_mode):
        raise OutputRefused(errno.EISDIR, "it is a directory", path, Refusal.DIRECTORY)
    else:
        raise OutputRefused(
            errno.EINVAL, "it is not a regular file, a pipe or a device", path, Refusal.SPECIAL
        )


def _write_through(target: Path, payload: bytes) -> None:
    """Into a pipe or a device as `cat > target` would: no rename, no truncation of anything else."""
    handle = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(handle, "wb") as stream:
        if not (stat.S_ISFIFO(os.fstat(handle).st_mode) or stat.S_ISCHR(os.fstat(handle).st_mode)):
            raise OutputRefused(
                errno.EINVAL, "it changed while it was being written", target, Refusal.CHANGED
            )
        stream.write(payload)
