"""Standalone build figures: build time, size on disk, and first-window time against the installed wheel.

Run: python benchmarks/bench_standalone.py [--repeat N] [--dist FOLDER]
(needs the build extra: python -m pip install -e ".[build]"; and Xvfb for the real-window figures)

Builds the standalone folder with scripts/build_standalone.py (timed), unless --dist names a folder
holding one already; builds the wheel and installs it in a fresh virtual environment, compiled, as
`pip install` leaves it. Then, interleaved so load on the machine hits both alike, it starts each
program with `--smoke-test` (a window shown, the start page and a step page painted and read back
from the screen) on a real X server (Xvfb, started here unless DISPLAY is set) and offscreen, and
`--version` (the cost of starting the program at all). Each program has a home of its own whose
flow cache an earlier start filled, as on an agent's machine. Figures are medians in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAME = "troubleshooting-wizard"


def run_ms(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
    return (time.perf_counter() - started) * 1000


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes of the files, bytes of disk blocks they take), links counted once."""
    seen: set[tuple[int, int]] = set()
    apparent = blocks = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.is_symlink() or not path.is_file() or (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        apparent += info.st_size
        blocks += getattr(info, "st_blocks", (info.st_size + 511) // 512) * 512
    return apparent, blocks


def start_xvfb() -> tuple[subprocess.Popen[bytes] | None, str | None]:
    if os.environ.get("DISPLAY"):
        return None, os.environ["DISPLAY"]
    if shutil.which("Xvfb") is None:
        return None, None
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    return server, f":{number}"


def installed_wheel(workdir: Path) -> Path:
    """The app as `pip install` of the wheel leaves it, in a fresh virtual environment."""
    wheels = workdir / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
    )
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    return venv / ("Scripts" if sys.platform == "win32" else "bin") / NAME


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--dist", type=Path, help="a folder that holds troubleshooting-wizard/ already")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-standalone-"))
    figures: dict[str, object] = {}

    if args.dist is None:
        dist = workdir / "dist"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(REPO / "scripts" / "build_standalone.py"),
                "--dist",
                str(dist),
                "--work",
                str(workdir / "work"),
            ],
            check=True,
            capture_output=True,
        )
        figures["build_s"] = round(time.perf_counter() - started, 1)
    else:
        dist = args.dist
    folder = dist / NAME
    apparent, blocks = folder_size(folder)
    figures["size_mib"] = round(apparent / 2**20, 1)
    figures["size_on_disk_mib"] = round(blocks / 2**20, 1)
    archive = Path(shutil.make_archive(str(workdir / NAME), "gztar", dist, NAME))
    figures["archive_mib"] = round(archive.stat().st_size / 2**20, 1)

    programs = {"wheel": installed_wheel(workdir), "standalone": folder / NAME}
    base_env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    homes = {kind: workdir / f"home-{kind}" for kind in programs}
    server, display = start_xvfb()
    try:
        platforms = {"offscreen": {"QT_QPA_PLATFORM": "offscreen"}}
        if display:
            platforms["xvfb"] = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
        else:
            figures["note"] = "no Xvfb and no DISPLAY: real-window figures left out"
        times: dict[str, list[float]] = {}
        for kind, program in programs.items():  # the first start fills each home's flow cache
            env = base_env | {
                "HOME": str(homes[kind]),
                "WIZARD_HOME": str(homes[kind]),
                "QT_QPA_PLATFORM": "offscreen",
            }
            subprocess.run([str(program), "--smoke-test"], check=True, env=env, capture_output=True)
        for _ in range(args.repeat):
            for kind, program in programs.items():
                env = base_env | {"HOME": str(homes[kind]), "WIZARD_HOME": str(homes[kind])}
                for platform, extra in platforms.items():
                    key = f"{kind}_smoke_{platform}_ms"
                    times.setdefault(key, []).append(run_ms([str(program), "--smoke-test"], env | extra))
                key = f"{kind}_version_ms"
                times.setdefault(key, []).append(run_ms([str(program), "--version"], env))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    medians = {key: round(statistics.median(values), 1) for key, values in times.items()}
    figures["medians"] = medians
    for platform in platforms:
        ratio = medians[f"standalone_smoke_{platform}_ms"] / medians[f"wheel_smoke_{platform}_ms"]
        figures[f"standalone_over_wheel_smoke_{platform}"] = round(ratio, 3)
        # Each round ran both back to back: the median of the rounds' ratios cancels load that drifts.
        pairs = zip(
            times[f"standalone_smoke_{platform}_ms"], times[f"wheel_smoke_{platform}_ms"], strict=True
        )
        figures[f"paired_ratio_smoke_{platform}"] = round(statistics.median(s / w for s, w in pairs), 3)
    figures["repeat"] = args.repeat
    print(json.dumps(figures, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
