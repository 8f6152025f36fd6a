"""How fast the statistics are: over the saved cases and over a folder of case files.

Run: python benchmarks/bench_stats.py [--cases 10000] [--files 20000] [--data /tmp/wizard-bench-stats]
     python benchmarks/bench_stats.py --skip-window --files 100000 [--folder FOLDER]   (the issue's figure)

Cases are real walks of the built-in flows (random answers, ticks, a note, a search, sometimes a step
back and another answer, some left unfinished), made once into --data and reused by later runs
(--folder takes a folder of case files made before instead). Each figure is the median of --repeat
runs, with a baseline measured in the same run: the same rows or files only read and parsed as JSON,
which any statistics must do. Each reading of the folder runs in a process of its own, so that its
peak memory (ru_maxrss) is its own: the first reading (an empty cache folder each time), the same
in one process (no worker processes), and the reading again (the files' summaries kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from wizard.core.case import Case, SearchRecord
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.export.json_case import to_json_text
from wizard.store.paths import builtin_flows_dir


class Clock:
    def __init__(self, start: dt.datetime, rng: random.Random) -> None:
        self.now = start
        self.rng = rng

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=self.rng.randint(3, 90))
        return self.now


def walk(flowset: FlowSet, rng: random.Random, index: int) -> Case:
    start = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=47 * index)
    clock = Clock(start, rng)
    case = Case.new(flowset, NodeRef("start", "platform"), agent=f"Agent {index % 12}", clock=clock, rng=rng)
    case.lang = rng.choice(("sv", "en"))
    case.user.name, case.user.upn = f"User {index}", f"user{index}@contoso.se"
    case.device.name, case.device.serial = f"PC-{index:05d}", f"SN{index:08d}"
    case.record_search(
        SearchRecord(
            rng.choice(("0x80180014", "synka", "company portal", "0x87D1FDEX")),
            case.lang,
            None,
            None,
            clock(),
        )
    )
    session = case.session
    stop_after = rng.choice((3, 5, 40, 40, 40, 40))
    for _ in range(stop_after):
        node = session.current_node
        if node.kind is NodeKind.END:
            break
        for number in range(len(node.steps)):
            if rng.random() < 0.7:
                session.set_tick(number, True)
        if rng.random() < 0.3:
            session.set_note("Checked with the user; see the ticket.")
        if node.choices:
            session.choose(rng.randrange(len(node.choices)))
            if rng.random() < 0.05 and session.can_back():
                session.back()
                session.choose(rng.randrange(len(session.current_node.choices)))
        elif node.next is not None:
            session.advance()
        else:
            break
    if case.end_node is not None:
        case.finish()
    return case


def make_data(flowset: FlowSet, data: Path, cases: int, files: int) -> tuple[Path, Path]:
    from wizard.store.cases import CaseStore

    database = data / f"cases-{cases}.sqlite3"
    folder = data / f"files-{files}"
    rng = random.Random(13)
    if not database.exists():
        print(f"making {cases:,} saved cases in {database} …", file=sys.stderr)
        data.mkdir(parents=True, exist_ok=True)
        with CaseStore(database) as store:
            for index in range(cases):
                store.save(walk(flowset, rng, index))
    marker = folder / ".complete"
    if files and not marker.exists():
        print(f"making {files:,} case files in {folder} …", file=sys.stderr)
        for index in range(files):
            sub = folder / f"{index // 1000:03d}"
            sub.mkdir(parents=True, exist_ok=True)
            case = walk(flowset, rng, index)
            (sub / f"{case.id}-{index}.json").write_text(
                to_json_text(case, redact=index % 2 == 0), encoding="utf-8"
            )
        marker.write_text("done\n", encoding="utf-8")
    return database, folder


def timed(action: object, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds: on a shared machine the CPU time says what the code costs."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()  # type: ignore[operator]
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return statistics.median(walls), statistics.median(cpus)


def peak_mib(pid: str = "self") -> float:
    """A process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over from the
    process that started it); 0 where /proc is not."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_pids() -> list[str]:
    pids = []
    for task in Path("/proc/self/task").glob("*"):
        try:
            pids += (task / "children").read_text(encoding="ascii").split()
        except OSError:
            continue
    return pids


def folder_child(folder: str, only_parse: bool, workers: int | None) -> None:
    """In a process of its own: read the folder, print seconds, CPU (with the worker processes')
    and peak memory (this process's, and that of the worker processes together)."""
    from wizard.stats.core import Query, Tally, add_folder, case_files, report

    flowset = load_library([builtin_flows_dir()]).flowset
    worker_peaks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        for pid in child_pids():  # while they still run
            worker_peaks[pid] = max(worker_peaks.get(pid, 0.0), peak_mib(pid))

    started, started_cpu = time.perf_counter(), time.process_time()
    if only_parse:
        for path in case_files(Path(folder)):
            json.loads(path.read_bytes())
        cases = -1
    else:
        tally = Tally(Query())
        add_folder(tally, Path(folder), flowset, progress, workers=workers)
        report(tally, flowset)
        cases = tally.cases
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    workers_used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu + workers_used.ru_utime + workers_used.ru_stime,
                "peak_mib": peak_mib(),
                "workers_peak_mib": sum(worker_peaks.values()),
                "cases": cases,
            }
        )
    )


def window_child(database: str, repeat: int) -> None:
    """In a process of its own: time from making the statistics window to its first paint, against
    a plain dialog of the same size (the baseline); the cases are read after, in a thread."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication([])
    flowset = load_library([builtin_flows_dir()]).flowset

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    def first_paint(make: object) -> float:
        started = time.perf_counter()
        widget = make()  # type: ignore[operator]
        spy = FirstPaint()
        widget.installEventFilter(spy)
        widget.show()
        while not spy.seen:
            app.processEvents()
        seconds = time.perf_counter() - started
        reader = getattr(widget, "reader", None)
        if reader is not None:
            reader.wait()
        widget.close()
        widget.deleteLater()
        app.processEvents()
        return seconds

    def plain() -> QDialog:
        dialog = QDialog()
        dialog.resize(1150, 760)
        return dialog

    from wizard.ui.stats_window import StatsWindow

    first_paint(lambda: StatsWindow(flowset, "en", Path(database)))  # imports and caches warmed
    window = statistics.median(
        first_paint(lambda: StatsWindow(flowset, "en", Path(database))) for _ in range(repeat)
    )
    baseline = statistics.median(first_paint(plain) for _ in range(repeat))
    print(json.dumps({"window": window, "baseline": baseline}))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20_000, help="case files in the folder (made once)")
    parser.add_argument("--folder", type=Path, help="a folder of case files made before, instead of --files")
    parser.add_argument("--data", type=Path, default=Path("/tmp/wizard-bench-stats"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-window", action="store_true", help="do not measure the window")
    parser.add_argument("--skip-folder", action="store_true", help="do not measure the folder")
    parser.add_argument("--folder-child", help=argparse.SUPPRESS)
    parser.add_argument("--only-parse", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--window-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.window_child:
        window_child(args.window_child, args.repeat)
        return 0
    if args.folder_child:
        folder_child(args.folder_child, args.only_parse, args.workers)
        return 0

    from wizard.stats.core import Query, collect, report
    from wizard.store.cases import CaseStore

    flowset = load_library([builtin_flows_dir()]).flowset
    database, folder = make_data(flowset, args.data, args.cases, 0 if args.folder else args.files)
    folder = args.folder or folder

    with CaseStore(database) as store:
        # A store saved before summaries were kept is read whole once (and its summaries kept).
        first, first_cpu = timed(lambda: report(collect(flowset, Query(), store=store), flowset), 1)
        print(f"saved cases, first reading: {first * 1000:.0f} ms wall, {first_cpu * 1000:.0f} ms CPU")
        baseline, baseline_cpu = timed(
            lambda: [json.loads(text) for _, text in store.stream_data()], args.repeat
        )
        full, full_cpu = timed(lambda: report(collect(flowset, Query(), store=store), flowset), args.repeat)
    print(
        f"saved cases ({args.cases:,}): statistics {full * 1000:.0f} ms wall, {full_cpu * 1000:.0f} ms CPU "
        f"(median of {args.repeat}); baseline (rows read and parsed) {baseline * 1000:.0f} ms wall, "
        f"{baseline_cpu * 1000:.0f} ms CPU; ratio {full_cpu / baseline_cpu:.1f} (CPU)"
    )

    if args.skip_window:
        return 0 if args.skip_folder else folder_figures(args, folder)
    result = subprocess.run(
        [sys.executable, __file__, "--window-child", str(database), "--repeat", str(args.repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    paint = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"statistics window, first paint over {args.cases:,} saved cases: {paint['window'] * 1000:.0f} ms; "
        f"baseline (an empty dialog) {paint['baseline'] * 1000:.0f} ms"
    )
    return 0 if args.skip_folder else folder_figures(args, folder)


def folder_run(folder: Path, home: Path, *extra: str) -> dict[str, float]:
    """One reading of the folder in a process of its own, with `home` as the app's folders."""
    import os

    result = subprocess.run(
        [sys.executable, __file__, "--folder-child", str(folder), *extra],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"WIZARD_HOME": str(home)},
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def folder_figures(args: argparse.Namespace, folder: Path) -> int:
    import shutil
    import tempfile

    count = sum(1 for _ in folder.rglob("*.json"))
    runs: dict[str, list[dict[str, float]]] = {"parse": [], "first": [], "alone": [], "again": []}
    with tempfile.TemporaryDirectory(prefix="bench-stats-") as scratch:
        for number in range(args.repeat):
            runs["parse"].append(folder_run(folder, Path(scratch) / "parse", "--only-parse"))
            home = Path(scratch) / f"home-{number}"  # an empty cache: every file read
            runs["first"].append(folder_run(folder, home))
            runs["again"].append(folder_run(folder, home))  # every file known from the cache
            shutil.rmtree(home)
            runs["alone"].append(folder_run(folder, home, "--workers", "0"))
            shutil.rmtree(home)

    def median(label: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[label])

    names = {
        "parse": "baseline (files read and parsed, one process)",
        "first": "first reading",
        "alone": "first reading in one process",
        "again": "read again",
    }
    for label, name in names.items():
        print(
            f"folder ({count:,} files) {name}: {median(label, 'seconds'):.1f} s wall, "
            f"{median(label, 'cpu'):.1f} s CPU, peak {median(label, 'peak_mib'):.0f} MiB"
            + (
                f", its workers {median(label, 'workers_peak_mib'):.0f} MiB together"
                if label == "first"
                else ""
            )
            + f" (median of {args.repeat})"
        )
    base = median("parse", "seconds")
    print(
        f"folder ratios to the baseline (wall): first reading {median('first', 'seconds') / base:.1f}, "
        f"in one process {median('alone', 'seconds') / base:.1f}, read again {median('again', 'seconds') / base:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
