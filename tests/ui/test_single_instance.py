"""One window per user and data home: a later start hands its request over, the window opens it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.ui import single_instance
from wizard.ui.main_window import MainWindow
from wizard.ui.single_instance import (
    MAX_MESSAGE_BYTES,
    HandOver,
    OpenRequest,
    Outcome,
    ProtocolError,
    RequestProblem,
    SingleInstance,
    decode_answer,
    decode_request,
    encode_answer,
    encode_request,
    server_name,
)

REPO = Path(__file__).resolve().parents[2]
unix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="a socket file is how Unix leaves a crash behind"
)


@pytest.fixture
def name() -> str:
    return server_name(paths.data_dir())  # the test's own WIZARD_HOME


@pytest.fixture
def serving(qtbot: QtBot, name: str) -> Iterator[SingleInstance]:
    """The running window's side, listening on this test's name."""
    instance = SingleInstance(name)
    assert instance.claim(0)
    assert instance.hand_over(OpenRequest()).outcome is Outcome.NO_WINDOW
    assert instance.listen(), instance.listen_error
    yield instance
    instance.close()


def later_start(name: str, request: OpenRequest) -> HandOver:
    """What a later start does, in two halves so the window's half can run between them."""
    other = SingleInstance(name)
    sent = other.send(request)
    assert sent is not None
    return other.read_answer(sent, 5000)


# -- the protocol -----------------------------------------------------------------------------------


def test_a_request_goes_over_in_one_line_and_comes_back_the_same() -> None:
    request = OpenRequest("ios", "unable-to-sync", "sv", presentation=True)
    line = encode_request(request)
    assert line.endswith(b"\n") and line.count(b"\n") == 1 and len(line) < MAX_MESSAGE_BYTES
    assert json.loads(line)["v"] == 1
    assert decode_request(line.rstrip(b"\n")) == request
    assert decode_request(encode_request(OpenRequest()).rstrip(b"\n")) == OpenRequest()


def test_answers_come_back_the_same() -> None:
    taken = decode_answer(encode_answer(None, 4242).rstrip(b"\n"))
    assert taken == HandOver(Outcome.TAKEN, 4242)
    problem = RequestProblem("node", ("ios", "nowhere"))
    assert decode_answer(encode_answer(problem, 7).rstrip(b"\n")) == HandOver(Outcome.REFUSED, 7, problem)
    assert decode_answer(b"\xff garbage").outcome is Outcome.NO_ANSWER


def _message(**fields: object) -> bytes:
    return json.dumps({"app": "troubleshooting-wizard", "v": 1, **fields}).encode()


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"\xff\xfe not UTF-8",
        b"[" * 4000,  # deep enough to exhaust the JSON parser's recursion
        b'"just a string"',
        b'{"app": "another-app", "v": 1}',
        b'{"app": "troubleshooting-wizard"}',
        b'{"app": "troubleshooting-wizard", "v": "1"}',
        _message(flow=["ios"]),
        _message(flow="x" * 201),
        _message(flow=""),
        _message(flow="ios\x1b[2J"),
        _message(node="unable-to-sync"),  # a node without a flow
        _message(presentation="yes"),
        b"{" + b" " * (MAX_MESSAGE_BYTES + 1) + b"}",
    ],
)
def test_anything_but_a_well_formed_request_is_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_request(line)
    assert refused.value.version is None


def test_a_newer_version_is_told_apart_from_garbage() -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_request(json.dumps({"app": "troubleshooting-wizard", "v": 2, "flow": "ios"}).encode())
    assert refused.value.version == 2


# -- the name ---------------------------------------------------------------------------------------


def test_the_name_is_per_data_home_and_per_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    (tmp_path / "link").symlink_to(first)
    assert server_name(first) != server_name(second)
    assert server_name(first) == server_name(tmp_path / "link") == server_name(second / ".." / "first")
    monkeypatch.setattr(single_instance, "_user", lambda: "someone-else")
    assert server_name(first) != server_name(second)
    assert len(Path(server_name(first)).name) < 48  # room in a socket path of 104 bytes (macOS)


def test_a_private_runtime_folder_holds_the_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform == "win32":
        pytest.skip("named pipes have no folder")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert Path(server_name(tmp_path)).parent == runtime
    runtime.chmod(0o755)  # readable by others: not private, so not used
    assert not os.path.isabs(server_name(tmp_path))


def test_plain_names_go_where_qt_puts_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from PySide6.QtCore import QDir

    assert single_instance._temp_dir().resolve() == Path(QDir.tempPath()).resolve()
    if sys.platform != "win32":
        monkeypatch.setenv("TMPDIR", f"{tmp_path}/")
        assert single_instance._temp_dir().resolve() == Path(QDir.tempPath()).resolve() == tmp_path.resolve()


# -- two starts in one process ----------------------------------------------------------------------


def test_a_later_start_hands_its_request_to_the_first(
    qtbot: QtBot, serving: SingleInstance, name: str
) -> None:
    request = OpenRequest("ios", "unable-to-sync", "sv", presentation=False)
    other = SingleInstance(name)
    assert other.claim(0)  # the first gave up its claim once it listened
    with qtbot.waitSignal(serving.request_received, timeout=5000) as arrived:
        sent = other.send(request)
        assert sent is not None
    assert arrived.args == [request]
    assert other.read_answer(sent, 5000) == HandOver(Outcome.TAKEN, os.getpid())
    other.release()


def test_a_request_the_window_cannot_open_is_refused_with_the_reason(
    qtbot: QtBot, serving: SingleInstance, name: str
) -> None:
    serving.check = lambda request: RequestProblem("flow", (request.flow or "",))
    other = SingleInstance(name)
    with qtbot.assertNotEmitted(serving.request_received):
        sent = other.send(OpenRequest("nowhere"))
        assert sent is not None
        with qtbot.waitSignal(sent.disconnected, timeout=5000):
            pass
    assert other.read_answer(sent, 5000) == HandOver(
        Outcome.REFUSED, os.getpid(), RequestProblem("flow", ("nowhere",))
    )


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        (b"\xff\xfe\xfd\n", "not JSON"),
        (b"[" * 3000 + b"\n", "not JSON"),
        (b'{"app": "troubleshooting-wizard", "v": 1, "flow": 42}\n', "bad flow"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "not JSON"),
        (b"x" * (MAX_MESSAGE_BYTES + 10), "longer than the limit"),  # and no newline at all
    ],
)
def test_garbage_is_dropped_and_the_window_keeps_serving(
    qtbot: QtBot, serving: SingleInstance, name: str, garbage: bytes, reason: str
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    hostile = QLocalSocket()
    hostile.connectToServer(name)
    assert hostile.waitForConnected(2000)
    with (
        qtbot.assertNotEmitted(serving.request_received),
        qtbot.waitSignal(serving.message_ignored, timeout=5000) as ignored,
    ):
        hostile.write(garbage)
        hostile.flush()
    assert reason in ignored.args[0]
    with qtbot.waitSignal(serving.request_received, timeout=5000):
        sent = SingleInstance(name).send(OpenRequest("ios"))
    assert sent is not None and SingleInstance.read_answer(sent, 5000).outcome is Outcome.TAKEN
    hostile.abort()


def test_a_newer_start_is_told_the_window_is_another_version(
    qtbot: QtBot, serving: SingleInstance, name: str
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    newer = QLocalSocket()
    newer.connectToServer(name)
    assert newer.waitForConnected(2000)
    with qtbot.waitSignal(newer.disconnected, timeout=5000):
        newer.write(b'{"app": "troubleshooting-wizard", "v": 2, "anything": "new"}\n')
        newer.flush()
    assert SingleInstance.read_answer(newer, 100).problem == RequestProblem("version", ("1",))


def test_silent_and_surplus_connections_are_closed(
    qtbot: QtBot, serving: SingleInstance, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    monkeypatch.setattr(single_instance, "READ_TIMEOUT_MS", 1000)  # all nine arrive well within it
    silent = []
    for _ in range(single_instance.MAX_CONNECTIONS + 1):
        client = QLocalSocket()
        client.connectToServer(name)
        assert client.waitForConnected(2000)
        silent.append(client)
    reasons: list[str] = []
    serving.message_ignored.connect(reasons.append)
    qtbot.waitUntil(lambda: len(reasons) == len(silent), timeout=5000)
    assert reasons.count("too many connections at once") == 1
    assert reasons.count("no complete line in time") == single_instance.MAX_CONNECTIONS
    with qtbot.waitSignal(serving.request_received, timeout=5000):
        sent = SingleInstance(name).send(OpenRequest())
    assert sent is not None and SingleInstance.read_answer(sent, 5000).outcome is Outcome.TAKEN


@unix_only
@pytest.mark.parametrize("left", ["socket", "plain file"])
def test_a_crashed_windows_socket_does_not_block_a_new_start(qtbot: QtBot, name: str, left: str) -> None:
    """A process killed while listening leaves its socket file; nobody answers on it."""
    left_behind = single_instance._socket_path(name)
    if left == "socket":
        crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        crashed.bind(str(left_behind))
        crashed.close()  # bound, never listening, the file stays: what kill -9 leaves
    else:
        left_behind.write_bytes(b"")
    assert left_behind.exists()

    instance = SingleInstance(name)
    assert instance.claim(0)
    assert instance.hand_over(OpenRequest("ios"), 1000).outcome is Outcome.NO_WINDOW
    assert instance.listen(), instance.listen_error
    try:
        with qtbot.waitSignal(instance.request_received, timeout=5000):
            sent = SingleInstance(name).send(OpenRequest("ios"))
        assert sent is not None and SingleInstance.read_answer(sent, 5000).outcome is Outcome.TAKEN
    finally:
        instance.close()
    assert not left_behind.exists()  # a window that quits takes its socket along


@unix_only
def test_a_socket_of_another_user_is_never_handed_a_request(
    qtbot: QtBot, serving: SingleInstance, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = SingleInstance(name)
    monkeypatch.setattr(os, "getuid", lambda: 4242)  # the socket file is now someone else's
    with qtbot.assertNotEmitted(serving.request_received):
        assert later.hand_over(OpenRequest("ios"), 1000).outcome is Outcome.NO_WINDOW


def test_one_claim_at_a_time(name: str) -> None:
    first, second = SingleInstance(name), SingleInstance(name)
    assert first.claim(0)
    assert not second.claim(100)  # waits its time, then gives up
    first.release()
    assert second.claim(0)
    second.release()
    assert not Path(str(single_instance._socket_path(name)) + ".lock").exists()  # no litter


def test_a_start_that_died_holding_the_claim_does_not_block_the_next(name: str) -> None:
    code = (
        "import os, sys\n"
        "from wizard.ui.single_instance import SingleInstance\n"
        "instance = SingleInstance(sys.argv[1])\n"
        "assert instance.claim(0)\n"
        "os._exit(0)  # no clean-up: the lock file stays behind\n"
    )
    subprocess.run([sys.executable, "-c", code, name], check=True, timeout=60)
    assert Path(str(single_instance._socket_path(name)) + ".lock").exists()
    instance = SingleInstance(name)
    assert instance.claim(0)
    instance.release()
    assert not Path(str(single_instance._socket_path(name)) + ".lock").exists()


# -- the window ---------------------------------------------------------------------------------------


def test_the_window_comes_forward_and_opens_the_request(window: MainWindow, qtbot: QtBot) -> None:
    window.showMinimized()
    window.open_request(NodeRef("ios", "unable-to-sync"), "sv", presentation=True)
    assert not window.isMinimized() and window.isVisible()
    assert window.session is not None and window.session.current_ref == NodeRef("ios", "unable-to-sync")
    assert window.on_walk_page() and window.presenting and window.lang == "sv"
    assert window.settings.language == "en"  # as --lang at start: not remembered
    window.set_presentation(False)
    window.open_request(None)  # a plain second start: only comes forward, the walk stays
    assert window.session.current_ref == NodeRef("ios", "unable-to-sync")


def test_a_request_waits_while_a_dialog_is_open(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialog

    window.open_at(NodeRef("android", "licence-required"), infer=False)
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    window.open_request(NodeRef("ios", "unable-to-sync"))
    assert window.session is not None and window.session.current_ref.flow == "android"
    assert window.statusBar().currentMessage() == "The step you asked for opens when you close this dialog"
    dialog.reject()
    qtbot.waitUntil(lambda: window.session.current_ref == NodeRef("ios", "unable-to-sync"), timeout=5000)
    assert window.statusBar().currentMessage() == ""


def test_a_waiting_request_for_a_node_gone_meanwhile_is_dropped(window: MainWindow, qtbot: QtBot) -> None:
    """Checked when it arrived; by the time the dialog closes, a flow reload may have removed it."""
    from PySide6.QtWidgets import QDialog

    window.open_at(NodeRef("android", "licence-required"), infer=False)
    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    window.open_request(NodeRef("ios", "removed-by-a-reload"))
    dialog.reject()
    qtbot.waitUntil(lambda: window.open_requests.waiting is None, timeout=5000)
    assert window.session is not None and window.session.current_ref == NodeRef("android", "licence-required")


# -- real processes ---------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # WIZARD_HOME: the test's own


@pytest.fixture
def served_window(window: MainWindow, name: str) -> Iterator[tuple[MainWindow, SingleInstance]]:
    from wizard.ui.app import serve_window

    instance = SingleInstance(name)
    assert instance.claim(0)
    serve_window(instance, window)
    assert instance.listening
    yield window, instance
    instance.close()


def test_a_second_process_hands_over_and_the_window_goes_there(
    qtbot: QtBot, served_window: tuple[MainWindow, SingleInstance]
) -> None:
    window, instance = served_window
    command = [sys.executable, "-m", "wizard", "--flow", "ios", "--node", "unable-to-sync"]
    with qtbot.waitSignal(instance.request_received, timeout=60_000):
        second = subprocess.Popen(
            command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    try:
        out, err = second.communicate(timeout=60)
    finally:
        second.kill()
    assert second.returncode == 0, err
    assert out.startswith("troubleshooting-wizard: handed over to the window already running")
    assert out.count("\n") == 1 and not err
    assert window.session is not None and window.session.current_ref == NodeRef("ios", "unable-to-sync")


def test_a_second_process_asking_for_a_missing_node_is_told_so(
    qtbot: QtBot, served_window: tuple[MainWindow, SingleInstance]
) -> None:
    window, instance = served_window
    command = [sys.executable, "-m", "wizard", "--flow", "ios", "--node", "nowhere"]
    with qtbot.assertNotEmitted(instance.request_received):
        second = subprocess.Popen(
            command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    out, err = second.communicate()
    assert second.returncode == 2
    assert "flow 'ios' has no node 'nowhere'" in err and "Traceback" not in err and not out
    assert not window.on_walk_page()


LEAVES_SOCKETS_ALONE = (
    "import sys\n"
    "from wizard.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "touched = [m for m in ('wizard.ui.single_instance', 'PySide6.QtNetwork') if m in sys.modules]\n"
    "sys.exit(f'touched {touched}' if touched else code)\n"
)


@pytest.mark.parametrize("command", [["flows"], ["validate"], ["search", "0x80CF0437"]])
def test_subcommands_work_beside_a_running_window_without_touching_it(
    qtbot: QtBot, serving: SingleInstance, command: list[str]
) -> None:
    with qtbot.assertNotEmitted(serving.request_received):
        result = subprocess.run(
            [sys.executable, "-c", LEAVES_SOCKETS_ALONE, *command],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert serving.listening


def test_the_smoke_test_neither_hands_over_nor_keeps_the_name(
    qtbot: QtBot, serving: SingleInstance, name: str
) -> None:
    # The window's event loop does not run meanwhile: a smoke test that handed over would wait for
    # an answer and fail.
    with qtbot.assertNotEmitted(serving.request_received):
        result = subprocess.run(
            [sys.executable, "-m", "wizard", "--smoke-test"],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke test passed")
    serving.close()
    socket_folder = single_instance._socket_path(name).parent
    assert not [p for p in socket_folder.iterdir() if p.name.startswith(Path(name).name)]
    later = SingleInstance(name)
    assert later.claim(0)
    assert later.hand_over(OpenRequest()).outcome is Outcome.NO_WINDOW
    later.release()


def make_request_checker() -> Callable[[OpenRequest], RequestProblem | None]:
    from wizard.core.library import load_library
    from wizard.ui.app import request_problem

    flowset = load_library([paths.builtin_flows_dir()]).flowset
    return lambda request: request_problem(request, flowset, ["sv", "en"])


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (OpenRequest(), None),
        (OpenRequest("ios"), None),
        (OpenRequest("ios", "unable-to-sync", "sv"), None),
        (OpenRequest("ios", lang="fi"), RequestProblem("language", ("fi", "sv", "en"))),
        (OpenRequest("nowhere"), RequestProblem("flow", ("nowhere",))),
        (OpenRequest("ios", "nowhere"), RequestProblem("node", ("ios", "nowhere"))),
    ],
)
def test_a_handed_over_request_is_checked_as_at_start(
    request_: OpenRequest, problem: RequestProblem | None
) -> None:
    assert make_request_checker()(request_) == problem


@unix_only
def test_a_window_that_cannot_listen_runs_on_its_own_and_says_so(
    window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.ui.app import serve_window

    nowhere = SingleInstance(str(tmp_path / "missing" / "socket"))
    assert not nowhere.claim(0)  # no folder for the lock either
    serve_window(nowhere, window)
    assert not nowhere.listening and nowhere.listen_error
    assert "later starts will open windows of their own" in capsys.readouterr().err
    nowhere.close()


def test_a_smoke_test_without_qt_networking_fails(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Packagers learn that later starts could not find the window, before an agent does."""
    import importlib.util

    from PySide6.QtWidgets import QApplication

    from wizard.cli import build_parser
    from wizard.ui import app as app_module

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "PySide6.QtNetwork" else find_spec(name, *rest),
    )
    monkeypatch.setattr(app_module, "smoke_test", lambda window: qtbot.addWidget(window) or 0)
    assert app_module.run_app(build_parser().parse_args(["--smoke-test"])) == 1
    assert "smoke test failed: PySide6.QtNetwork is missing" in capsys.readouterr().err
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_two_starts_at_the_same_moment_make_one_window(name: str) -> None:
    """The claim: both find nobody listening, yet only one may become the window."""
    command = [sys.executable, "-m", "wizard", "--flow", "ios", "--node", "unable-to-sync"]
    starts = [
        subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        finished = None
        deadline = time.monotonic() + 60
        while finished is None:  # the one that hands over exits; the window runs on
            assert time.monotonic() < deadline, "two windows: neither start handed over"
            for start in starts:
                try:
                    start.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    continue
                finished = start
                break
        out, err = finished.communicate()
        assert finished.returncode == 0, err
        assert out.startswith("troubleshooting-wizard: handed over to the window already running")
        (window,) = (start for start in starts if start is not finished)
        assert window.poll() is None
    finally:
        for start in starts:
            start.kill()
            start.communicate()
        single_instance._socket_path(name).unlink(missing_ok=True)  # what a killed window leaves
