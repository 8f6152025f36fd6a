"""Window figures: the first painted window and --smoke-test against minimal Qt programs, page
changes, peak memory.

Run: python benchmarks/bench_ui.py [--repeat N] [--first-window-only]
The first window, as the agent feels it: under an Xvfb display of its own (xcb, as on a desktop),
the time from starting the installed program (its console script, byte code compiled, the flow
cache and the start page's cards warm from an earlier start, a home of its own) until its window
is mapped and painted, against a bare PySide6 QWizard program that stays open, started
alternately. Both write a line to a pipe (WIZARD_REPORT_FIRST_PAINT=<fd>) once their first paint
has been flushed; the clock runs from just before the process is spawned until that line arrives.
Skipped with a message where Xvfb is missing.
The start-up baseline is measured in the same run: a PySide6 program that shows one QWizard page
and exits. Beside it, the "floor": a PySide6 program with no logic at all that builds the widgets
the smoke test must show (a menu bar, a search box, nine flow cards with SVG icons, a step with rich
text, a checklist, a drawn SVG screenshot and choice buttons) and paints both pages once. It says
how much of the start-up any implementation of the window would pay.
A second start beside a running window (it hands its --flow/--node over and exits) is timed too,
and, in process, what one window per user adds to a first start before and after its window shows.
Page changes are timed in process, from the agent's choice to a painted page with its screenshots.
Peak memory is the resident peak of a process that opens every page of every flow.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

# A home of its own: the runs fill a flow cache, and nothing of the agent's is read or written.
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WIZARD_HOME": tempfile.mkdtemp(prefix="bench-ui-")}

BASELINE = """
import sys
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage, QLabel, QVBoxLayout
app = QApplication(sys.argv[:1])
wizard = QWizard()
page = QWizardPage()
page.setTitle("Step 1")
QVBoxLayout(page).addWidget(QLabel("Hello"))
wizard.addPage(page)
wizard.show()
app.processEvents()
wizard.grab()
"""

FLOOR = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (QApplication, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel,
    QLineEdit, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget)
resources = sys.argv[1]
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1180, 780)
for name in ("File", "Walk", "View", "Language", "Help"):
    menu = window.menuBar().addMenu(name)
    for i in range(6):
        menu.addAction(f"{name} {i}")
stack = QStackedWidget()
window.setCentralWidget(stack)
start = QWidget()
column = QVBoxLayout(start)
column.addWidget(QLabel("<h1>Troubleshooting Wizard</h1>"))
column.addWidget(QLineEdit(placeholderText="Error code, message or words"))
grid = QGridLayout()
column.addLayout(grid)
for i, name in enumerate(("android", "ios", "macos", "windows", "general", "configmgr", "start", "ios", "macos")):
    card = QFrame(frameShape=QFrame.Shape.StyledPanel)
    row = QHBoxLayout(card)
    icon = QLabel()
    icon.setPixmap(QIcon(f"{resources}/icons/{name}.svg").pixmap(40, 40))
    row.addWidget(icon)
    row.addWidget(QLabel(f"<b>Flow {i}</b><br>What this flow solves, in one line"), 1)
    grid.addWidget(card, i // 3, i % 3)
stack.addWidget(start)
window.show()
app.processEvents()
app.primaryScreen().grabWindow(window.winId())
step = QWidget()
column = QVBoxLayout(step)
column.addWidget(QLabel("<h2>The step's title</h2>"))
column.addWidget(QLabel("Text with <b>bold</b>, <code>code</code> and a <a href='https://example.com'>link</a>.", wordWrap=True))
for i in range(3):
    column.addWidget(QCheckBox(f"Action {i + 1}"))
image = QImage(320, 200, QImage.Format.Format_ARGB32_Premultiplied)
image.fill(Qt.GlobalColor.white)
painter = QPainter(image)
QSvgRenderer(f"{resources}/screenshots/configmgr-status-message-viewer.en.svg").render(painter)
painter.end()
shot = QLabel()
shot.setPixmap(QPixmap.fromImage(image))
column.addWidget(shot)
for i in range(2):
    column.addWidget(QPushButton(f"{i + 1}  An answer"))
stack.addWidget(step)
stack.setCurrentWidget(step)
app.processEvents()
app.primaryScreen().grabWindow(window.winId())
"""

# The same report as the window's (MainWindow.first_painted): a line on the pipe once the first
# paint of the top-level window is done and flushed (the next turn of the event loop).
BARE_WINDOW = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage, QLabel, QVBoxLayout
class Wizard(QWizard):
    reported = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.reported:
            self.reported = True
            QTimer.singleShot(0, self.report)
    def report(self):
        fd = int(os.environ["WIZARD_REPORT_FIRST_PAINT"])
        os.write(fd, b"painted\\n")
        os.close(fd)
app = QApplication(sys.argv[:1])
wizard = Wizard()
page = QWizardPage()
page.setTitle("Step 1")
QVBoxLayout(page).addWidget(QLabel("Hello"))
wizard.addPage(page)
wizard.show()
sys.exit(app.exec())
"""

EVERY_PAGE = """
import resource, sys, time
from PySide6.QtWidgets import QApplication
from wizard.core.library import load_library
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
library = load_library([paths.builtin_flows_dir()])
languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
times, with_grab = [], []
for lang in ("sv", "en"):
    languages.apply(lang)
    window = MainWindow(library, Settings(language=lang), languages, paths.builtin_resources_dir())
    window.resize(1180, 780)
    window.show()
    app.processEvents()
    window.open_at(NodeRef("start", "platform"), infer=False)
    for flow in library.flowset:
        for node in flow.nodes.values():
            # One page change as the agent sees it: new walk state, the page rebuilt, laid out and
            # painted (processEvents paints the window into its backing store).
            started = time.perf_counter()
            window.open_at(NodeRef(flow.id, node.id), infer=False)
            app.processEvents()
            times.append((time.perf_counter() - started) * 1000)
            window.grab()  # a second, complete paint into a picture: an upper bound, not a frame
            with_grab.append((time.perf_counter() - started) * 1000)
    window.close()
times.sort()
with_grab.sort()
print(times[len(times) // 2], max(times), len(times), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, with_grab[len(with_grab) // 2])
"""

# What one window per user adds to a first start, in process: the claim and the look for a running
# window (before the window is built), and loading Qt networking and listening (once it is shown).
SINGLE_INSTANCE = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import wizard.cli, wizard.core.model  # what a start that builds its window loads anyway
from wizard.store import paths
started = time.perf_counter()
from wizard.ui.single_instance import OpenRequest, SingleInstance, server_name
imported = time.perf_counter()
instance = SingleInstance(server_name(paths.data_dir()))
instance.claim(0)
instance.hand_over(OpenRequest("ios"))
checked = time.perf_counter()
instance.listen()
listening = time.perf_counter()
instance.close()
print((imported - started) * 1000, (checked - imported) * 1000, (listening - checked) * 1000)
"""


def wall_ms(command: list[str], env: dict[str, str] = ENV) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return (time.perf_counter() - started) * 1000


@contextlib.contextmanager
def running_window() -> Iterator[dict[str, str]]:
    """A window running in a home of its own, listening for later starts; yields that home's env."""
    from pathlib import Path

    from wizard.ui.single_instance import _socket_path, server_name

    home = tempfile.mkdtemp(prefix="bench-ui-window-")
    env = {**ENV, "WIZARD_HOME": home}
    socket = _socket_path(server_name(Path(home) / "data"))
    window = subprocess.Popen(
        [sys.executable, "-m", "wizard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not socket.exists():  # listening once the window is on screen
            if window.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the window did not start listening")
            time.sleep(0.05)
        yield env
    finally:
        window.terminate()
        window.wait()
        socket.unlink(missing_ok=True)  # what a terminated window leaves


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An X server of our own on a free display number (Xvfb picks it and tells us).

    -noreset: a desktop's X server has other clients and never resets when one leaves; a lone Xvfb
    would reset after each run and burn CPU the next start needs.
    """
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    number = b""
    while not number.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], 10)
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            server.kill()
            raise RuntimeError("Xvfb did not start")
        number += chunk
    os.close(read_end)
    return server, ":" + number.decode().strip()


def painted_ms(command: list[str], env: dict[str, str]) -> float:
    """Wall time from spawning `command` until it reports its first painted window; then it is ended."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**env, "WIZARD_REPORT_FIRST_PAINT": str(write_end)},
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 60)
        line = os.read(read_end, 64) if ready else b""
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        os.close(read_end)
        process.send_signal(signal.SIGTERM)  # no close event: nothing is saved between runs
        _, errors = process.communicate(timeout=30)
    if not line.startswith(b"painted"):
        raise RuntimeError(f"{command[-1]} reported no painted window: {errors.decode(errors='replace')}")
    return elapsed


def installed_command() -> list[str]:
    """The console script pip installed beside this interpreter, else `python -m wizard`."""
    script = os.path.join(os.path.dirname(sys.executable), "troubleshooting-wizard")
    return [script] if os.access(script, os.X_OK) else [sys.executable, "-m", "wizard"]


def first_window(repeat: int) -> dict[str, object]:
    if shutil.which("Xvfb") is None:
        return {"skipped": "Xvfb is not installed; the first-window figure needs an X display of its own"}
    server, display = start_xvfb()
    try:
        env = {key: value for key, value in ENV.items() if key != "WAYLAND_DISPLAY"}
        env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display, WIZARD_HOME=tempfile.mkdtemp(prefix="bench-ui-x-"))
        app = installed_command()
        bare = [sys.executable, "-c", BARE_WINDOW]
        # An earlier start: the flow cache, the start page's cards and the font caches are warm.
        painted_ms(app, env)
        painted_ms(bare, env)
        app_times, bare_times = [], []
        for _ in range(repeat):  # alternating, so load on the machine hits both alike
            bare_times.append(painted_ms(bare, env))
            app_times.append(painted_ms(app, env))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "bare_qwizard_ms": statistics.median(bare_times),
        "app_ms": statistics.median(app_times),
        "ratio": statistics.median(app_times) / statistics.median(bare_times),
        "command": " ".join([os.path.basename(app[0]), *app[1:]]),
        "runs": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--first-window-only", action="store_true", help="only the first painted window")
    args = parser.parse_args()
    # An installed app starts from byte code (pip compiles it at install). This machine sets
    # PYTHONDONTWRITEBYTECODE, so a source tree would be compiled again at every start: compile once.
    import compileall

    import wizard

    compileall.compile_dir(os.path.dirname(wizard.__file__), quiet=1)
    window = first_window(args.repeat)
    if args.first_window_only:
        print(json.dumps({"first_window": window}, indent=2))
        return 0
    from wizard.store import paths

    resources = str(paths.builtin_resources_dir())
    subprocess.run(
        [sys.executable, "-m", "wizard", "--smoke-test"], env=ENV, capture_output=True
    )  # fills the flow cache, as any earlier start would
    baseline, floor, smoke, handed = [], [], [], []
    module: list[float] = []
    before_window: list[float] = []
    after_window: list[float] = []
    second_start = [sys.executable, "-m", "wizard", "--flow", "ios", "--node", "unable-to-sync"]
    with running_window() as window_env:
        for _ in range(args.repeat):  # interleaved, so load on the machine hits all alike
            baseline.append(wall_ms([sys.executable, "-c", BASELINE]))
            floor.append(wall_ms([sys.executable, "-c", FLOOR, resources]))
            smoke.append(wall_ms([sys.executable, "-m", "wizard", "--smoke-test"]))
            handed.append(wall_ms(second_start, window_env))
            result = subprocess.run(
                [sys.executable, "-c", SINGLE_INSTANCE], check=True, env=ENV, capture_output=True, text=True
            )
            import_ms, check_ms, listen_ms = (float(x) for x in result.stdout.split())
            module.append(import_ms)
            before_window.append(check_ms)
            after_window.append(listen_ms)
    startup = {
        "baseline_qwizard_ms": statistics.median(baseline),
        "floor_same_widgets_no_logic_ms": statistics.median(floor),
        "smoke_test_ms": statistics.median(smoke),
        "ratio": statistics.median(smoke) / statistics.median(baseline),
        "floor_ratio": statistics.median(floor) / statistics.median(baseline),
        "second_start_hands_over_ms": statistics.median(handed),
        "second_start_ratio": statistics.median(handed) / statistics.median(baseline),
        "first_start_single_instance_import_ms": statistics.median(module),
        "first_start_claim_and_check_ms": statistics.median(before_window),
        "first_start_listen_after_shown_ms": statistics.median(after_window),
    }

    result = subprocess.run(
        [sys.executable, "-c", EVERY_PAGE], check=True, env=ENV, capture_output=True, text=True
    )
    median_ms, slowest_ms, pages, peak_mib, grab_ms = (float(x) for x in result.stdout.split())
    print(
        json.dumps(
            {
                "first_window": window,
                "startup": startup,
                "page_change": {
                    "median_ms": median_ms,
                    "slowest_ms": slowest_ms,
                    "pages": int(pages),
                    "median_with_extra_grab_ms": grab_ms,
                },
                "peak_memory_mib": peak_mib,
                "note": "peak is ru_maxrss of the process that opened every page in both languages",
                "interpreter_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
