"""What the display check costs a start on an X11 desktop: Qt's start with and without it.

Run: python benchmarks/bench_display_check.py [--repeat N]   (needs Xvfb and the xcb libraries)
An Xvfb display stands in for the desktop. Each run is a fresh process that creates QApplication
on the xcb platform after importing the command line, as `troubleshooting-wizard` does; the
checked run does the display check in between (the library loads, one X connection). Runs are interleaved; medians and their ratio are printed,
with the check's own time measured inside the checked processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

QT_ONLY = """
import wizard.cli
from PySide6.QtWidgets import QApplication
app = QApplication(["bench"])
"""

CHECKED = """
import time
import wizard.cli
started = time.perf_counter()
from wizard.ui.display_check import display_problem_line
assert display_problem_line("en") is None
print((time.perf_counter() - started) * 1000)
from PySide6.QtWidgets import QApplication
app = QApplication(["bench"])
"""


def wall_ms(code: str, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return (time.perf_counter() - started) * 1000, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed", file=sys.stderr)
        return 1
    import compileall  # an installed app starts from byte code; this machine may not write it

    import wizard

    compileall.compile_dir(os.path.dirname(wizard.__file__), quiet=1)
    read, write = os.pipe()
    server = subprocess.Popen(
        # -noreset: a desktop's X server has other clients (the window manager, the panel) and never
        # resets when one leaves; a bare Xvfb would reset after the check's connection closes and
        # burn the CPU the app's start needs, which no desktop start pays.
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as ready:
        display = ":" + ready.readline().strip()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    try:
        wall_ms(QT_ONLY, env)  # warm the file cache alike for both
        plain, checked, inside = [], [], []
        for _ in range(args.repeat):
            plain.append(wall_ms(QT_ONLY, env)[0])
            took, out = wall_ms(CHECKED, env)
            checked.append(took)
            inside.append(float(out.split()[0]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "qt_start_xcb_ms": statistics.median(plain),
                "check_then_qt_start_xcb_ms": statistics.median(checked),
                "ratio": statistics.median(checked) / statistics.median(plain),
                "check_itself_ms": statistics.median(inside),
                "repeat": args.repeat,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
