"""The statistics' own reader of case files (wizard/stats/fastread.py) and the worker processes that
read a large folder: the same summaries as restoring each case, the same figures as one process,
progress that moves, and bad files refused with one line."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from wizard.core.case import Case, FeedbackRecord, SearchRecord
from wizard.core.engine import FilledBy
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.export.json_case import read_case_file, to_json_text
from wizard.stats import core, fastread
from wizard.stats.core import Query, Tally, add_folder, case_summary, report

from .test_stats import case_a, case_b, case_c, case_d, export_folder

NOW = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)


class Ticking:
    def __init__(self, start: dt.datetime, rng: random.Random) -> None:
        self.now, self.rng = start, rng

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=self.rng.randint(1, 200), microseconds=self.rng.randint(0, 999_999))
        return self.now


def random_case(flowset: FlowSet, rng: random.Random, index: int) -> Case:
    """A walk with random answers, ticks, back steps, searches and feedback; some start from a deep
    link, some stop early; the agent's name is sometimes typed into a search or a comment."""
    clock = Ticking(dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC) + dt.timedelta(hours=5 * index), rng)
    agent = rng.choice(("Maria Ek", "Lena Ström", "", "  Per Holm "))
    linked = rng.random() < 0.2
    start = NodeRef("ios", "symptom") if linked else NodeRef("start", "platform")
    case = Case.new(
        flowset,
        start,
        agent=agent,
        clock=clock,
        rng=rng,
        infer_path_from=NodeRef("start", "platform") if linked else None,
        filled_by=FilledBy.SEARCH,
    )
    case.lang = rng.choice(("sv", "en", ""))
    case.user.name, case.user.upn = f"Jonas Berg{index}", f"jonas{index}@contoso.se"
    case.device.name, case.device.serial, case.device.imei = f"PC-{index:04d}", f"SN{index:06d}", ""
    words = [f"Jonas Berg{index}", agent.strip() or "sync", "0x80180014", "Company Portal", f"PC-{index:04d}"]
    for _ in range(rng.randint(0, 3)):
        hit = NodeRef("ios", "symptom") if rng.random() < 0.5 else None
        case.record_search(
            SearchRecord(
                " ".join(rng.sample(words, 2)),
                rng.choice(("sv", "en", "")),
                hit,
                hit if rng.random() < 0.5 else None,
                clock(),
                tuple(rng.sample(("0x87D1FDE8", "0xabc", "E123"), rng.randint(0, 2))),
            )
        )
    session = case.session
    for _ in range(rng.choice((1, 3, 40, 40))):
        node = session.current_node
        if node.kind is NodeKind.END:
            break
        for number in range(len(node.steps)):
            if rng.random() < 0.5:
                session.set_tick(number, True)
        if rng.random() < 0.3:
            case.feedback.append(
                FeedbackRecord(
                    session.current_ref,
                    rng.choice(("unclear", "wrong")),
                    " ".join(rng.sample(words, 2)),
                    clock(),
                    1,
                )
            )
        if node.choices:
            session.choose(rng.randrange(len(node.choices)))
            if rng.random() < 0.15 and session.can_back():
                session.back()
                session.choose(rng.randrange(len(session.current_node.choices)))
        elif node.next is not None:
            session.advance()
    if case.end_node is not None and rng.random() < 0.8:
        case.finish(clock())
    return case


@pytest.fixture(scope="module")
def many(builtin_flowset: FlowSet) -> list[Case]:
    rng = random.Random(2026)
    hand_made = [make(builtin_flowset) for make in (case_a, case_b, case_c, case_d)]
    return hand_made + [random_case(builtin_flowset, rng, index) for index in range(120)]


def test_a_file_read_for_the_statistics_gives_the_summary_of_the_restored_case(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path
) -> None:
    table = fastread.node_table(builtin_flowset)
    for index, case in enumerate(many):
        for redact in (False, True):
            path = tmp_path / f"{index}-{redact}.json"
            path.write_text(to_json_text(case, redact=redact), encoding="utf-8")
            restored, _warnings = read_case_file(path, builtin_flowset)
            size, mtime, summary, why = fastread.read_file(str(path), table)
            assert (why, summary) == ("", case_summary(restored)), path.name
            assert (size, mtime) == (path.stat().st_size, path.stat().st_mtime_ns)


def team_folder(folder: Path, cases: list[Case]) -> Path:
    """Every case, some twice (a redacted copy, an early version), with bad files among them."""
    export_folder(folder / "a", cases)
    export_folder(folder / "b", cases[::5], redact=True, suffix="-copy")
    early = json.loads(to_json_text(cases[7]))
    early["updated_at"] = "2026-10-01T00:00:00+00:00"
    (folder / "b" / "early.json").write_text(json.dumps(early), encoding="utf-8")
    later = json.loads(to_json_text(cases[3]))  # the case saved on later, with one search more
    later["updated_at"] = "2026-12-31T00:00:00+00:00"
    later["searches"] = [
        *later.get("searches", []),
        {"query": "later", "lang": "en", "at": later["started_at"]},
    ]
    (folder / "b" / "later.json").write_text(json.dumps(later), encoding="utf-8")
    (folder / "a" / "broken.json").write_text("{", encoding="utf-8")
    (folder / "b" / "foreign.json").write_text('{"kind": "x"}', encoding="utf-8")
    return folder


def test_worker_processes_give_the_figures_of_one_process(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = team_folder(tmp_path / "team", many)
    monkeypatch.setattr(core, "READ_BATCH", 9)  # many batches under way at once

    def figures(workers: int, query: Query) -> dict[str, Any]:
        tally = Tally(query)
        add_folder(tally, folder, builtin_flowset, remember=False, workers=workers, pool_from=0)
        return report(tally, builtin_flowset, now=NOW)

    alone = figures(0, Query())
    assert alone["sources"]["cases"] == len(many)
    assert alone["sources"]["duplicates"] == len(many[::5]) + 2
    assert len(alone["sources"]["skipped"]) == 2
    assert {"query": "later", "count": 1} in alone["searches"]["top"]
    assert figures(2, Query()) == alone
    for query in (Query(by_agent=True), Query(since=dt.date(2026, 11, 10), flow="ios")):
        assert figures(2, query) == figures(0, query)


def test_summaries_packed_a_block_at_a_time_come_back_whole() -> None:
    pack = core.SummaryPack()
    texts = [
        json.dumps({"n": number, "text": "é" * (number % 700)}, ensure_ascii=False) for number in range(3000)
    ]
    handles = [pack.add(text) for text in texts]
    assert len(pack.blocks) > 10
    assert [pack.get(handle) for handle in handles] == texts


def test_without_worker_processes_the_folder_is_read_here(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = team_folder(tmp_path / "team", many[:30])
    alone = Tally(Query())
    add_folder(alone, folder, builtin_flowset, remember=False, workers=0)

    def no_processes(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no semaphores here")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_processes)
    tally = Tally(Query())
    add_folder(tally, folder, builtin_flowset, remember=False, workers=2, pool_from=0)
    assert report(tally, builtin_flowset, now=NOW) == report(alone, builtin_flowset, now=NOW)


def test_a_build_without_multiprocessing_reads_the_folder_here(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standalone program leaves multiprocessing out: statistics load and read in one process."""
    import sys

    folder = team_folder(tmp_path / "team", many[:30])
    alone = Tally(Query())
    add_folder(alone, folder, builtin_flowset, remember=False, workers=0)
    monkeypatch.setitem(sys.modules, "multiprocessing", None)  # `import multiprocessing` fails
    monkeypatch.delitem(sys.modules, "concurrent.futures.process", raising=False)
    tally = Tally(Query())
    add_folder(tally, folder, builtin_flowset, remember=False, workers=2, pool_from=0)
    assert report(tally, builtin_flowset, now=NOW) == report(alone, builtin_flowset, now=NOW)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the worker processes in /proc")
def test_a_worker_process_killed_midway_leaves_the_rest_to_this_one(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    folder = team_folder(tmp_path / "team", many)
    monkeypatch.setattr(core, "READ_BATCH", 7)
    alone = Tally(Query())
    add_folder(alone, folder, builtin_flowset, remember=False, workers=0)
    killed: list[str] = []

    def kill_the_workers(done: int, total: int) -> None:
        if killed:
            return
        for task in Path("/proc/self/task").iterdir():
            for pid in (task / "children").read_text(encoding="ascii").split():
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(pid)

    tally = Tally(Query())
    add_folder(tally, folder, builtin_flowset, kill_the_workers, remember=False, workers=2, pool_from=0)
    assert killed
    assert report(tally, builtin_flowset, now=NOW) == report(alone, builtin_flowset, now=NOW)


@pytest.mark.parametrize("workers", [0, 2])
def test_progress_moves_while_a_folder_is_read(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    folder = tmp_path / "team"
    export_folder(folder, many[:40])
    monkeypatch.setattr(core, "READ_BATCH", 6)
    seen: list[tuple[int, int]] = []
    tally = Tally(Query())
    add_folder(
        tally,
        folder,
        builtin_flowset,
        lambda done, total: seen.append((done, total)),
        workers=workers,
        pool_from=0,
    )
    assert [done for done, _ in seen] == [6, 12, 18, 24, 30, 36, 40]
    assert {total for _, total in seen} == {40}
    assert tally.cases == 40


def test_stopping_in_the_progress_callback_stops_the_reading(
    builtin_flowset: FlowSet, many: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics window stops a reading it no longer needs by raising from the callback."""
    folder = tmp_path / "team"
    export_folder(folder, many[:40])
    monkeypatch.setattr(core, "READ_BATCH", 5)

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    tally = Tally(Query())
    with pytest.raises(Stop):
        add_folder(tally, folder, builtin_flowset, stop, workers=2, pool_from=0)
    assert tally.cases == 5


def broken(case: Case, change: Any) -> str:
    data = json.loads(to_json_text(case))
    change(data)
    return json.dumps(data)


def set_in(path: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
        for part in parents:
            data = data[part]
        data[last] = value

    return change


BAD = {
    "visits not a list": (set_in("session.visits", {"a": 1}), "session.visits: expected a list"),
    "no visits": (set_in("session.visits", []), "no current step"),
    "position past the end": (set_in("session.position", 99), "no current step"),
    "choice as text": (set_in("session.visits.0.choice", "1"), "session.visits[0].choice"),
    "choice out of range": (set_in("session.visits.0.choice", 99), "no longer exists"),
    "choice elsewhere": (set_in("session.visits.0.choice", 0), "do not form a path"),
    "tick out of range": (set_in("session.visits.2.ticked", [40]), "ticks"),
    "time not a time": (set_in("session.visits.1.entered_at", "yesterday"), "not an ISO 8601 time"),
    "ticks not a list": (set_in("session.visits.1.ticked", ""), "ticks"),
    "ticks null": (set_in("session.visits.1.ticked", None), "ticks"),
    "inferred as text": (set_in("session.visits.1.inferred", "no"), "session.visits[1].inferred"),
    "left time a number": (set_in("session.visits.1.left_at", 5), "session.visits[1].left_at"),
    "visit not an object": (set_in("session.visits.1", "x"), "session.visits[1]: expected an object"),
    "visit node unknown": (set_in("session.visits.1.node", "gone"), "session.visits[1]: there is no node"),
    "history entry not an object": (set_in("session.history.0", 3), "session.history[0]: expected an object"),
    "history time in the year 1": (set_in("session.history.2.at", "0001-01-01T00:00:00Z"), "out of range"),
    "time out of range": (set_in("started_at", "0001-01-01T00:00:00+00:00"), "out of range"),
    "day that is not": (set_in("session.history.0.at", "2026-02-30T10:00:00+00:00"), "history[0].at"),
    "history node gone": (set_in("session.history.1.node", "gone"), "#gone' in the loaded flows"),
    "history node a number": (set_in("session.history.1.flow", 7), "session.history[1]"),
    "start elsewhere": (set_in("session.start", "nowhere"), "session.start"),
    "id": (set_in("id", "TW-1"), "not a case id"),
    "agent a list": (set_in("agent", ["x"]), "agent: expected text"),
    "agent too long": (set_in("agent", "x" * 300), "agent: 300 characters"),
    "user a list": (set_in("user", []), "user: expected an object"),
    "searches too many": (set_in("searches", [{}] * 51), "searches: 51 entries"),
    "query too long": (set_in("searches.0.query", "q" * 501), "searches[0].query"),
    "lone surrogate": (set_in("searches.0.query", "\ud800"), "lone surrogate"),
    "codes not texts": (set_in("searches.0.unknown_codes", [1]), "unknown_codes"),
    "feedback kind": (set_in("feedback.0.kind", "great"), "feedback[0].kind"),
    "feedback version": (set_in("feedback.0.version", True), "feedback[0].version"),
    "session format": (set_in("session.format", 2), "session: not a saved walk"),
    "no session": (lambda data: data.pop("session"), "session: missing"),
    "audit node gone": (
        set_in(
            "session.audit", [{"at": "2026-11-24T08:00:00+00:00", "reason": "x", "visits": [{"flow": "x"}]}]
        ),
        "session.audit[0].visits[0]",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_broken_where_the_statistics_read_is_refused_in_one_line(
    builtin_flowset: FlowSet, tmp_path: Path, name: str
) -> None:
    change, expected = BAD[name]
    path = tmp_path / "bad.json"
    path.write_text(broken(case_a(builtin_flowset), change), encoding="utf-8")
    size, _mtime, summary, why = fastread.read_file(str(path), fastread.node_table(builtin_flowset))
    assert summary is None and expected in why and "\n" not in why, why
    assert size == path.stat().st_size


def test_a_file_broken_only_where_the_statistics_never_read_is_counted(
    builtin_flowset: FlowSet, tmp_path: Path
) -> None:
    """Notes, the ticket and history details are not figures: `import` refuses such a file, the
    statistics count its sound facts (the same as those of the intact file)."""
    case = case_a(builtin_flowset)
    intact = tmp_path / "intact.json"
    intact.write_text(to_json_text(case), encoding="utf-8")
    path = tmp_path / "long-note.json"
    path.write_text(broken(case, set_in("session.visits.0.note", "n" * 100_001)), encoding="utf-8")
    table = fastread.node_table(builtin_flowset)
    assert fastread.read_file(str(path), table)[2:] == fastread.read_file(str(intact), table)[2:]


def test_a_fifo_or_a_huge_file_is_refused_without_reading_it(
    builtin_flowset: FlowSet, tmp_path: Path
) -> None:
    import os

    table = fastread.node_table(builtin_flowset)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert fastread.read_file(str(fifo), table)[2:] == (None, "not a regular file")
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(9 * 2**20)
    assert "MiB" in fastread.read_file(str(huge), table)[3]
    assert "cannot read" in fastread.read_file(str(tmp_path / "missing.json"), table)[3]


# Where the case reader may find fault in a file the statistics count: fields they never read.
UNREAD = re.compile(
    r"(session\.history\[\d+\]\.detail|session\.visits\[\d+\]\.(note|ticked|filled_by)|flows|escalation"
    r"|general_note|ticket|device\.(platform|os_version)|session\.audit"
    r"|session: the saved walk is incomplete or malformed)"
)
ODD_VALUES = [
    None,
    -1,
    True,
    "",
    "ios#symptom",
    [],
    {},
    "2026-13-01T00:00:00Z",
    "1970-01-01T00:00:00+01:00",
    "x" * 3000,
    "\ud800",
]


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        found += json_paths(value, (*prefix, key))
    return found


def test_the_reader_is_never_stricter_than_the_case_reader_nor_looser_where_it_reads(
    builtin_flowset: FlowSet, tmp_path: Path
) -> None:
    """Every field of two cases (one with searches and feedback, one with an answer changed and so
    an audit trail) set to each odd value in turn, or taken out: whatever the case reader accepts,
    this reader accepts with the same summary; whatever it refuses that this reader counts is
    broken only in fields the statistics never read; nothing raises."""
    from wizard.export.json_case import CaseFileError

    table = fastread.node_table(builtin_flowset)
    path = tmp_path / "case.json"
    counted = refused = 0
    for case in (case_a(builtin_flowset), case_d(builtin_flowset)):
        text = to_json_text(case)
        # Every field, but of lists only the first two entries (the rest are of the same make).
        for where in [p for p in json_paths(json.loads(text)) if all(k < 2 for k in p if isinstance(k, int))]:
            for value in [*ODD_VALUES, _TAKEN_OUT]:
                data = json.loads(text)
                *parents, last = where
                target = data
                for key in parents:
                    target = target[key]
                if value is not _TAKEN_OUT:
                    target[last] = value
                elif isinstance(target, dict):
                    del target[last]
                else:
                    continue
                path.write_text(json.dumps(data), encoding="utf-8")
                _size, _mtime, summary, why = fastread.read_file(str(path), table)
                try:
                    expected: str | None = case_summary(read_case_file(path, builtin_flowset)[0])
                    problems: list[str] = []
                except CaseFileError as exc:
                    expected, problems = None, exc.problems
                if expected is not None:
                    assert (summary, why) == (expected, ""), where
                elif summary is not None:
                    assert all(UNREAD.match(problem) for problem in problems), (where, problems)
                counted += summary is not None
                refused += summary is None
    assert counted > 400 and refused > 1000  # both ways well tried


_TAKEN_OUT = object()


def test_the_statistics_load_without_multiprocessing() -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['multiprocessing'] = None; import wizard.stats.core, wizard.stats.cli; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr
