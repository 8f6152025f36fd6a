"""One window per user and data home: a later start hands its request to the running window.

The running window listens on a local socket (a Unix domain socket, a named pipe on Windows) named
after the user and the data folder, so two homes (tests, portable installs) never meet. A later
start connects, sends one JSON line and reads one back:

    {"app": "troubleshooting-wizard", "v": 1, "flow": "ios", "node": "unable-to-sync", "lang": null,
     "presentation": false}
    {"app": "troubleshooting-wizard", "v": 1, "pid": 4242, "ok": true}

A refused request says why (`"ok": false, "problem": "flow", "details": ["nowhere"]`), and a start
of a newer version is told the version (`"problem": "version"`). A line is at most
`MAX_MESSAGE_BYTES`; anything else longer, slower or malformed is dropped without an answer.

Deciding who serves happens under a lock file (the claim): connect, and when nobody answers,
remove what a crashed window left behind and listen. On Unix, Qt networking is loaded only when a
socket file is there or once the window is on screen, so a first start pays nothing for it before
its window appears.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

APP_ID = "troubleshooting-wizard"
PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 4096  # a request is a few ids; anything near this is not ours
MAX_FIELD_CHARS = 200
MAX_CONNECTIONS = 8  # at once; more are closed unread
CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 10_000  # the window answers from its event loop: a long export may hold it
READ_TIMEOUT_MS = 3000  # a connection that has not sent its line by then is closed
CLAIM_TIMEOUT_MS = 15_000  # a start waits this long for another start to begin listening


# Named tuples rather than frozen dataclasses: every start defines them before its window shows,
# and a named tuple takes a fifth of the time to define.


class OpenRequest(NamedTuple):
    """What a start of the app asks for: the command line's --flow, --node, --lang, --presentation."""

    flow: str | None = None
    node: str | None = None
    lang: str | None = None
    presentation: bool = False


class RequestProblem(NamedTuple):
    """Why the running window refused a request: a kind ("flow", "node", "language") and its details."""

    kind: str
    details: tuple[str, ...] = ()


class Outcome(enum.Enum):
    NO_WINDOW = "no window"  # nobody listens: this start becomes the window
    TAKEN = "taken"
    REFUSED = "refused"
    NO_ANSWER = "no answer"  # somebody listens but did not answer in time (or not in our protocol)


class HandOver(NamedTuple):
    outcome: Outcome
    pid: int | None = None
    problem: RequestProblem | None = None


class ProtocolError(ValueError):
    """A message that is not a well-formed line of this protocol; `version` when it is a newer one."""

    def __init__(self, reason: str, version: int | None = None) -> None:
        super().__init__(reason)
        self.version = version


# -- the name ---------------------------------------------------------------------------------------


def server_name(data_dir: Path) -> str:
    """The socket's name: a hash of the user and the resolved data folder.

    On Linux the socket goes into the user's private runtime folder when there is one; otherwise Qt
    puts it in the temporary folder (the user is part of the hash there, and the socket is
    restricted to its user). The hash only keeps names apart; what guards the socket is its
    access rights. Two checksums zlib has loaded anyway give 64 bits without loading OpenSSL.
    """
    try:
        folder = data_dir.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: the folder is unusable anyway, the name need not be
        folder = data_dir.absolute()
    key = _user().encode("utf-8", "replace") + b"\0" + os.fsencode(folder)
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key[::-1]):08x}"
    name = f"{APP_ID}-{digest}"
    runtime = _private_runtime_dir()
    return str(runtime / name) if runtime is not None else name


def _user() -> str:
    """Who runs the app: the uid on Unix, the login name on Windows."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    return os.environ.get("USERNAME", "")


def _private_runtime_dir() -> Path | None:
    if sys.platform == "win32" or not hasattr(os, "getuid"):
        return None
    value = os.environ.get("XDG_RUNTIME_DIR", "")
    if not value or not os.path.isabs(value):
        return None
    try:
        info = os.stat(value)
    except OSError:
        return None
    private = info.st_uid == os.getuid() and info.st_mode & 0o077 == 0 and os.access(value, os.W_OK)
    return Path(value) if private and os.path.isdir(value) else None


def _socket_path(name: str) -> Path:
    return Path(name) if os.path.isabs(name) else _temp_dir() / name


def _temp_dir() -> Path:
    """Where Qt puts a socket given by a plain name: QDir.tempPath(), read without loading QDir
    (making its Python type takes 4 ms of a start)."""
    if sys.platform == "win32":
        return Path(os.environ.get("TEMP") or os.environ.get("TMP") or ".")
    return Path(os.path.normpath(os.environ.get("TMPDIR") or "/tmp"))


class _Claim:
    """A lock on a file that the system releases when its process ends, however it ends: a start
    that crashed never holds up the next one. The file goes when the claim is released; a start
    that locked a file removed meanwhile tries again on the new one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout_ms: int) -> bool:
        deadline = time.monotonic() + timeout_ms / 1000
        while self._fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except OSError:  # no folder, or a file of another user's: go on without the claim
                return False
            while not _lock_file(fd):
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.02)  # another start is building its window; it listens once that is up
            if self._is_current(fd):
                self._fd = fd
            else:
                os.close(fd)
        return True

    def _is_current(self, fd: int) -> bool:
        try:
            here, there = os.fstat(fd), os.stat(self.path)
        except OSError:
            return False
        return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):  # Windows keeps an open file; it stays, empty
            os.unlink(self.path)
        _unlock_file(self._fd)
        os.close(self._fd)
        self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock_file(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# -- the messages -----------------------------------------------------------------------------------


def _line(fields: dict[str, Any]) -> bytes:
    line = json.dumps({"app": APP_ID, "v": PROTOCOL_VERSION, **fields}, ensure_ascii=True) + "\n"
    return line.encode("ascii")


def _decode(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError("longer than the limit")
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(f"not JSON: {type(exc).__name__}") from None
    if not isinstance(value, dict) or value.get("app") != APP_ID:
        raise ProtocolError("not a message of this app")
    version = value.get("v")
    if type(version) is not int:
        raise ProtocolError("no version")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"version {version}", version=version)
    return value


def _text_field(value: dict[str, Any], key: str) -> str | None:
    field = value.get(key)
    if field is None:
        return None
    if not isinstance(field, str) or not field or len(field) > MAX_FIELD_CHARS:
        raise ProtocolError(f"bad {key}")
    if any(ch < " " or ch == "\x7f" for ch in field):
        raise ProtocolError(f"control characters in {key}")
    return field


def encode_request(request: OpenRequest) -> bytes:
    return _line(
        {
            "flow": request.flow,
            "node": request.node,
            "lang": request.lang,
            "presentation": request.presentation,
        }
    )


def decode_request(line: bytes) -> OpenRequest:
    """The request in one line, or ProtocolError: whatever arrives is checked field by field."""
    value = _decode(line)
    presentation = value.get("presentation", False)
    if not isinstance(presentation, bool):
        raise ProtocolError("bad presentation")
    request = OpenRequest(
        flow=_text_field(value, "flow"),
        node=_text_field(value, "node"),
        lang=_text_field(value, "lang"),
        presentation=presentation,
    )
    if request.node is not None and request.flow is None:
        raise ProtocolError("node without flow")
    return request


def encode_answer(problem: RequestProblem | None, pid: int) -> bytes:
    if problem is None:
        return _line({"pid": pid, "ok": True})
    return _line({"pid": pid, "ok": False, "problem": problem.kind, "details": list(problem.details)})


def decode_answer(line: bytes) -> HandOver:
    try:
        value = _decode(line)
    except ProtocolError:
        return HandOver(Outcome.NO_ANSWER)
    pid = value.get("pid")
    pid = pid if type(pid) is int else None
    if value.get("ok") is True:
        return HandOver(Outcome.TAKEN, pid)
    kind = value.get("problem")
    details = value.get("details")
    if not isinstance(kind, str) or not isinstance(details, list):
        return HandOver(Outcome.NO_ANSWER, pid)
    words = tuple(str(item)[:MAX_FIELD_CHARS] for item in details[:8])
    return HandOver(Outcome.REFUSED, pid, RequestProblem(kind[:40], words))


def _version_answer(pid: int) -> bytes:
    """To a start of another version: it says so, rather than waiting for an answer that never comes."""
    return encode_answer(RequestProblem("version", (str(PROTOCOL_VERSION),)), pid)


# -- the socket -------------------------------------------------------------------------------------


class SingleInstance(QObject):
    """Either hands a request to the window already running, or becomes the one that listens.

    A start calls `claim()`, then `hand_over()`; when that finds no window, it builds its own and
    calls `listen()` (which releases the claim). `check` decides whether a request can be opened;
    an accepted one is answered and then emitted as `request_received`.
    """

    request_received = Signal(object)  # OpenRequest
    message_ignored = Signal(str)  # why a connection was dropped unanswered

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.check: Callable[[OpenRequest], RequestProblem | None] = lambda _request: None
        self.listen_error = ""
        self._claim = _Claim(Path(str(_socket_path(name)) + ".lock"))
        self._stale = False
        self._server: QLocalServer | None = None
        self._reading: dict[QLocalSocket, bytearray] = {}

    # -- a later start ------------------------------------------------------------------------------

    def claim(self, timeout_ms: int = CLAIM_TIMEOUT_MS) -> bool:
        """Hold the start-up lock, so no other start decides at the same moment. False when it could
        not be had (another start hangs, or the lock file cannot be written)."""
        return self._claim.acquire(timeout_ms)

    def release(self) -> None:
        self._claim.release()

    def hand_over(self, request: OpenRequest, answer_timeout_ms: int = ANSWER_TIMEOUT_MS) -> HandOver:
        """Give the request to the running window and wait for its answer."""
        socket = self.send(request)
        if socket is None:
            return HandOver(Outcome.NO_WINDOW)
        return self.read_answer(socket, answer_timeout_ms)

    def send(self, request: OpenRequest) -> QLocalSocket | None:
        """Connect and write the request; None when no window listens (a crashed one's socket is
        noted, and removed by `listen`)."""
        if sys.platform != "win32":
            try:
                owner = os.lstat(_socket_path(self.name)).st_uid
            except OSError:
                return None  # nothing there: no need to load Qt networking before the window is up
            if owner != os.getuid():
                return None  # another user's (a shared /tmp): this start's request is not theirs to read
        try:
            from PySide6.QtNetwork import QLocalSocket
        except ImportError:  # a Qt without networking: every start is a window of its own
            return None

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            error = socket.error()
            if error == QLocalSocket.LocalSocketError.SocketTimeoutError:
                return socket  # a window that listens but hangs: not ours to remove; it will not answer
            # Nobody listens there: a crashed window's socket (removed by `listen`), or something
            # this user may not touch (then `listen` fails and this start runs on its own).
            self._stale = error in (
                QLocalSocket.LocalSocketError.ConnectionRefusedError,
                QLocalSocket.LocalSocketError.ServerNotFoundError,
            )
            return None
        socket.write(encode_request(request))
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        return socket

    @staticmethod
    def read_answer(socket: QLocalSocket, timeout_ms: int = ANSWER_TIMEOUT_MS) -> HandOver:
        """The window's one-line answer; NO_ANSWER when none comes in time or it is not ours."""
        from PySide6.QtNetwork import QLocalSocket

        received = bytearray()
        connected = QLocalSocket.LocalSocketState.ConnectedState
        deadline = time.monotonic() + timeout_ms / 1000
        while b"\n" not in received and len(received) <= MAX_MESSAGE_BYTES:
            left_ms = int((deadline - time.monotonic()) * 1000)
            waiting = not socket.bytesAvailable()
            if waiting and (
                socket.state() != connected or left_ms <= 0 or not socket.waitForReadyRead(left_ms)
            ):
                break
            received += bytes(socket.read(MAX_MESSAGE_BYTES + 1 - len(received)).data())
        socket.abort()
        if b"\n" not in received:
            return HandOver(Outcome.NO_ANSWER)
        return decode_answer(bytes(received.split(b"\n", 1)[0]))

    # -- the running window ------------------------------------------------------------------------

    def listen(self) -> bool:
        """Become the window that later starts hand over to, and release the claim.

        False (with `listen_error`) when the socket cannot be made; the app then runs on its own.
        """
        try:
            from PySide6.QtNetwork import QAbstractSocket, QLocalServer
        except ImportError as exc:
            self.release()
            self.listen_error = f"Qt networking cannot load: {exc}"
            return False
        try:
            server = QLocalServer(self)
            # Only this user may connect (Qt makes the socket in a private folder, then moves it).
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            server.setMaxPendingConnections(MAX_CONNECTIONS)
            # Under the claim, a socket nobody answered on is a crashed window's: it would refuse
            # every later start. Without the claim, another start may be listening there by now.
            claimed = self._claim.held
            if self._stale and claimed:
                QLocalServer.removeServer(self.name)
            listening = server.listen(self.name)
            in_use = server.serverError() == QAbstractSocket.SocketError.AddressInUseError
            if not listening and in_use and claimed:
                QLocalServer.removeServer(self.name)
                listening = server.listen(self.name)
        finally:
            self.release()
        if not listening:
            self.listen_error = server.errorString()
            server.deleteLater()
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        """Stop listening (the socket file goes) and release the claim."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for socket in list(self._reading):
            self._forget(socket)
            socket.abort()
            socket.deleteLater()
        self.release()

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if len(self._reading) >= MAX_CONNECTIONS:
                self._ignore(socket, "too many connections at once")
                continue
            self._reading[socket] = bytearray()
            # Slots of this object, not lambdas: Qt drops the connections when either side goes.
            socket.readyRead.connect(self._ready_read)
            socket.disconnected.connect(self._disconnected)
            timer = QTimer(socket, singleShot=True, interval=READ_TIMEOUT_MS)
            timer.timeout.connect(self._read_timeout)
            timer.start()
            if socket.bytesAvailable():
                self._read(socket)

    def _ready_read(self) -> None:
        self._read(self.sender())  # type: ignore[arg-type]

    def _disconnected(self) -> None:
        self._hung_up(self.sender())  # type: ignore[arg-type]

    def _read_timeout(self) -> None:
        self._timed_out(self.sender().parent())  # type: ignore[arg-type]

    def _read(self, socket: QLocalSocket) -> None:
        received = self._reading.get(socket)
        if received is None:
            return
        received += bytes(socket.read(MAX_MESSAGE_BYTES + 1 - len(received)).data())
        if b"\n" in received:
            self._forget(socket)
            self._answer(socket, bytes(received.split(b"\n", 1)[0]))
        elif len(received) > MAX_MESSAGE_BYTES:
            self._forget(socket)
            self._ignore(socket, "longer than the limit")

    def _timed_out(self, socket: QLocalSocket) -> None:
        if socket in self._reading:
            self._forget(socket)
            self._ignore(socket, "no complete line in time")

    def _forget(self, socket: QLocalSocket) -> bool:
        """Stop reading from the socket; True when it was being read."""
        return self._reading.pop(socket, None) is not None

    def _hung_up(self, socket: QLocalSocket) -> None:
        if socket in self._reading and socket.bytesAvailable():
            self._read(socket)  # the line and the hang-up came together
        if self._forget(socket):  # gone before its line was complete
            socket.deleteLater()

    def _ignore(self, socket: QLocalSocket, reason: str) -> None:
        socket.abort()
        socket.deleteLater()
        self.message_ignored.emit(reason)

    def _answer(self, socket: QLocalSocket, line: bytes) -> None:
        try:
            request = decode_request(line)
        except ProtocolError as exc:
            if exc.version is not None:
                self._reply(socket, _version_answer(os.getpid()))
            else:
                socket.abort()
                socket.deleteLater()
            self.message_ignored.emit(str(exc))
            return
        problem = self.check(request)
        self._reply(socket, encode_answer(problem, os.getpid()))
        if problem is None:
            self.request_received.emit(request)

    @staticmethod
    def _reply(socket: QLocalSocket, answer: bytes) -> None:
        """Write the answer and hang up; the socket goes once the answer is out."""
        from PySide6.QtNetwork import QLocalSocket

        socket.write(answer)
        socket.flush()
        socket.disconnectFromServer()
        if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
            socket.deleteLater()
        else:
            socket.disconnected.connect(socket.deleteLater)
