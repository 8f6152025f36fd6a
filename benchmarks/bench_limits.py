"""A case at the limits (wizard/core/limits.py): reading it, every export, and opening it in the window.

Run: python benchmarks/bench_limits.py [--repeat N]
The case walks MAX_VISITS steps of a generated flow; its notes fill MAX_NOTES_TOTAL_CHARS, the note of
the current step is one run of MAX_NOTE_CHARS characters without a space (a pasted token or log line,
the worst case for line wrapping), the general note and every typed field are at their limits and
name the end user (work for --redact); the history holds MAX_HISTORY entries and the audit trail
MAX_AUDIT_VISITS visits with as many notes again.
Each figure is a median of wall and of CPU time, next to a baseline measured in the same run: the same
action on a real walk of the built-in flows (docs/examples/case-windows-0x8007064c.json). On a shared
machine the wall time counts other processes too; the CPU time is the cost of the action itself.
Targets: every export <= 5 s, reading the file (import) <= 5 s, Continue and Replay in the window <= 1 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WIZARD_HOME"] = tempfile.mkdtemp(prefix="bench-limits-")  # the agent's cases stay untouched

from bench_cases import long_case

from wizard.core.case import Case
from wizard.core.engine import Discarded, Event
from wizard.core.library import FlowLibrary, load_library
from wizard.core.limits import (
    MAX_AUDIT_VISITS,
    MAX_CASE_FILE_BYTES,
    MAX_FIELD_CHARS,
    MAX_HISTORY,
    MAX_NOTE_CHARS,
    MAX_NOTES_TOTAL_CHARS,
    MAX_VISITS,
)
from wizard.export.json_case import read_case_file, to_json_text
from wizard.store.paths import builtin_flows_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "case-windows-0x8007064c.json"
FORMATS = ("md", "html", "pdf", "txt", "json")
PROSE = (
    "Anna Svensson called back from LT-0421; the Company Portal shows the device as not compliant. "
    "Användaren har startat om datorn och loggat in igen, felet 0x80180014 kvarstår. "
)


def prose(length: int) -> str:
    return (PROSE * (length // len(PROSE) + 1))[:length]


def unbroken(length: int, rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"  # no "/": Qt wraps after it
    return "".join(rng.choice(alphabet) for _ in range(length))


def case_at_limits(directory: Path) -> Case:
    rng = random.Random(7)
    case = long_case(directory, MAX_VISITS)
    visits = case.visits
    case.user.name = "Anna Svensson"
    case.user.upn = "anna.svensson@" + "contoso-" * 30 + "se"
    case.device.name = "LT-0421"
    case.ticket = ("INC0012401 " * 30)[:MAX_FIELD_CHARS]
    case.agent = prose(MAX_FIELD_CHARS)
    case.device.platform = prose(MAX_FIELD_CHARS)
    case.device.os_version = prose(MAX_FIELD_CHARS)
    case.device.serial = unbroken(MAX_FIELD_CHARS, rng)
    case.device.imei = unbroken(MAX_FIELD_CHARS, rng)
    # The current step shows a whole note without a space; the first step (where a replay begins)
    # and the general note a fifth of one each; the rest of the budget spread over the other steps.
    case.general_note = prose(MAX_NOTE_CHARS // 5)
    visits[-1].note = unbroken(MAX_NOTE_CHARS, rng)
    visits[0].note = unbroken(MAX_NOTE_CHARS // 5, rng)
    rest = MAX_NOTES_TOTAL_CHARS - MAX_NOTE_CHARS - 2 * (MAX_NOTE_CHARS // 5)
    others = visits[1:-1]
    for index, visit in enumerate(others):
        visit.note = prose(rest // len(others) + (1 if index < rest % len(others) else 0))
    session = case.session
    session.position = len(visits) - 1
    at = visits[-1].entered_at
    while len(session.history) < MAX_HISTORY:
        visit = visits[len(session.history) % len(visits)]
        session.history.append(Event(at, "jump", visit.ref, f"step {len(session.history) % len(visits) + 1}"))
    kept = tuple(dataclasses.replace(visit, ticked=set(visit.ticked)) for visit in visits[:MAX_AUDIT_VISITS])
    session.audit = [Discarded(at, "answer changed", kept)]
    return case


Figure = dict[str, float]


def measure(action: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> Figure:
    """Medians of wall time and of the process's CPU time (all its threads) over `repeat` runs, in ms.

    On a shared machine the wall time also counts the time other processes hold the CPU; the CPU
    time is what the action costs, and close to the wall time on a machine of one's own.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        if setup is not None:
            setup()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return {"wall_ms": round(statistics.median(walls), 1), "cpu_ms": round(statistics.median(cpus), 1)}


def pair(limits: Figure, baseline: Figure) -> dict[str, object]:
    return {
        "limits": limits,
        "baseline": baseline,
        "cpu_ratio": round(limits["cpu_ms"] / max(baseline["cpu_ms"], 0.1), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from wizard.export import export_case

    app = QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        big = case_at_limits(root / "flows")
        library = load_library([builtin_flows_dir(), root / "flows"])
        assert not library.errors, library.errors[:3]
        big_file = root / "case-at-limits.json"
        big_file.write_text(to_json_text(big), encoding="utf-8")
        size = big_file.stat().st_size
        assert size <= MAX_CASE_FILE_BYTES, size
        cases = {"limits": read_case_file(big_file, library.flowset)[0]}
        cases["baseline"] = read_case_file(EXAMPLE, library.flowset)[0]
        files = {"limits": big_file, "baseline": EXAMPLE}
        results: dict[str, object] = {
            "case": {
                "file_mib": round(size / 2**20, 2),
                "visits": len(cases["limits"].visits),
                "note_characters": sum(len(v.note) for v in cases["limits"].visits)
                + len(cases["limits"].general_note),
                "history": len(cases["limits"].session.history),
            }
        }
        results["read (import, Replay)"] = pair(
            *(
                measure(lambda p=files[name]: read_case_file(p, library.flowset), args.repeat)
                for name in files
            )
        )
        for fmt in FORMATS:
            for redact in (False, True):
                results[f"export {fmt}{' --redact' if redact else ''}"] = pair(
                    *(
                        measure(
                            lambda c=cases[name], f=fmt, r=redact: export_case(c, f, "en", redact=r),
                            args.repeat,
                        )
                        for name in cases
                    )
                )
        results |= bench_window(app, library, cases, files, args.repeat)
    results["targets_ms"] = {"export": 5000, "read": 5000, "window": 1000}
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


def bench_window(
    app: object, library: FlowLibrary, cases: dict[str, Case], files: dict[str, Path], repeat: int
) -> dict[str, object]:
    """Continue (a saved case opened for editing) and Replay a case file, to a painted window."""
    from PySide6.QtWidgets import QApplication

    from wizard.store import paths
    from wizard.store.cases import CaseStore
    from wizard.store.settings import Settings
    from wizard.ui.i18n import LanguageManager
    from wizard.ui.main_window import MainWindow

    store = CaseStore()
    store.open()
    for case in cases.values():
        store.save(case)
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(
        library, Settings(language="en"), languages, paths.builtin_resources_dir(), store=store
    )
    window.resize(1180, 780)
    window.show()
    QApplication.processEvents()

    def painted(setup: Callable[[], object], action: Callable[[], object]) -> Figure:
        """From `action` to a painted window, `setup` (untimed) and pending events before each."""

        def prepare() -> None:
            setup()
            QApplication.processEvents()

        def act() -> None:
            action()
            QApplication.processEvents()
            window.grab()

        return measure(act, repeat, prepare)

    other = {"limits": "baseline", "baseline": "limits"}

    def first_continue(name: str) -> Figure:
        """Continue `name` with the other case open before: the window shows this one's notes anew."""

        def setup() -> None:
            window.resume_case(cases[other[name]].id)
            window.go_home()

        return painted(setup, lambda: window.resume_case(cases[name].id))

    def first_replay(name: str) -> Figure:
        def setup() -> None:
            window.replay_path(files[other[name]])
            window.exit_replay()

        return painted(setup, lambda: window.replay_path(files[name]))

    figures = {
        "window Continue": pair(*(first_continue(name) for name in cases)),
        "window Replay a case file": pair(*(first_replay(name) for name in cases)),
    }
    window.exit_replay()
    window.close()
    store.close()
    return figures


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    sys.exit(code)
