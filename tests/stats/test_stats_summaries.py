"""Statistics from the summaries the case store keeps beside each case, and of two versions of a case.

The figures must not depend on where a case is read from: its summary in the store, the case itself
(a store saved before summaries were kept) or an exported file. Cases are the hand-made four of
test_stats.py, whose figures are worked out there.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wizard.core.case import Case
from wizard.core.model import FlowSet
from wizard.export.json_case import to_json_text
from wizard.stats.core import Query, case_facts, case_summary, facts_from_summary
from wizard.store.cases import CaseStore

from . import test_stats as hand_made
from .test_stats import AGENTS, PERSONAL, T0, comparable, export_folder, figures, go, new


@pytest.fixture(scope="module")
def cases(builtin_flowset: FlowSet) -> list[Case]:
    makers = [hand_made.case_a, hand_made.case_b, hand_made.case_c, hand_made.case_d]
    return [make(builtin_flowset) for make in makers]


@pytest.fixture
def store(tmp_path: Path, cases: list[Case]) -> CaseStore:
    store = CaseStore(tmp_path / "cases.sqlite3")
    for case in cases:
        store.save(case)
    return store


def summaries(database: Path) -> dict[str, tuple[int, str]]:
    with sqlite3.connect(database) as db:
        return {
            row[0]: (row[1], row[2]) for row in db.execute("SELECT id, revision, summary FROM case_stats")
        }


QUERIES = [
    Query(),
    Query(by_agent=True),
    Query(since=dt.date(2026, 11, 25), until=dt.date(2026, 11, 30)),
    Query(flow="ios", by_agent=True),
]


@pytest.mark.parametrize("query", QUERIES, ids=["all", "by-agent", "period", "flow"])
def test_summaries_in_the_store_give_the_figures_of_the_same_cases_in_a_folder(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case], tmp_path: Path, query: Query
) -> None:
    assert set(summaries(store.path)) == {case.id for case in cases}  # written by the saves
    folder = tmp_path / "team"
    export_folder(folder, cases)
    from_store = figures(builtin_flowset, query, store=store)
    assert from_store["sources"]["cases"] > 0
    assert comparable(from_store) == comparable(figures(builtin_flowset, query, folders=[folder]))


def test_a_summary_gives_back_the_facts_of_its_case(cases: list[Case]) -> None:
    for case in cases:
        for by_agent in (False, True):
            assert facts_from_summary(case_summary(case), by_agent=by_agent) == case_facts(
                case, by_agent=by_agent
            )


def test_a_summary_holds_nothing_personal_but_the_agent(cases: list[Case]) -> None:
    text = " ".join(case_summary(case) for case in cases).casefold()
    for value in PERSONAL:
        assert value.casefold() not in text, value
    assert all(agent.casefold() in text for agent in AGENTS)  # for --by-agent


def test_cases_saved_before_summaries_are_read_whole_once_and_then_summarised(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case]
) -> None:
    expected = figures(builtin_flowset, Query(by_agent=True), store=store)
    kept = summaries(store.path)
    with sqlite3.connect(store.path) as db:  # as a store of the last version left it
        db.execute("DELETE FROM case_stats")
    reader = CaseStore(store.path, read_only=True)
    assert figures(builtin_flowset, Query(by_agent=True), store=reader) == expected
    assert summaries(store.path) == kept  # computed once, kept for the next reading
    with sqlite3.connect(store.path) as db:  # a damaged or stale summary: the case is read instead
        db.execute("UPDATE case_stats SET summary = '{\"v\": 1}' WHERE id = ?", (cases[0].id,))
        db.execute("UPDATE case_stats SET revision = revision - 1 WHERE id = ?", (cases[1].id,))
    assert figures(builtin_flowset, Query(by_agent=True), store=reader) == expected


def test_a_store_of_schema_2_is_read_whole_and_left_as_it_is(
    builtin_flowset: FlowSet, store: CaseStore, tmp_path: Path
) -> None:
    expected = figures(builtin_flowset, store=store)
    with sqlite3.connect(store.path) as db:
        db.execute("DROP TABLE case_stats")
        db.execute("PRAGMA user_version=2")
    stamp = store.path.stat().st_mtime_ns
    assert figures(builtin_flowset, store=CaseStore(store.path, read_only=True)) == expected
    assert store.path.stat().st_mtime_ns == stamp
    CaseStore(store.path).open()  # the app's own opening migrates it
    assert len(summaries(store.path)) == 0


def versions(flowset: FlowSet) -> tuple[str, str, Case]:
    """An early export of a case (stopped on its second step), and the same case finished later."""
    case, clock = new(flowset, T0, 7, "Maria Ek")
    go(case, clock, 30, "android#symptom")
    early = to_json_text(case)
    go(case, clock, 20, "samsung-check-in")
    go(case, clock, 60, "samsung-solution-1")
    go(case, clock, 90, "general#resolved")
    case.finish()
    return early, to_json_text(case), case


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("order", ["early-first", "later-first"])
def test_of_two_versions_of_a_case_the_newest_counts(
    builtin_flowset: FlowSet, tmp_path: Path, order: str
) -> None:
    early, later, _case = versions(builtin_flowset)
    only_later = figures(builtin_flowset, folders=[write(tmp_path / "one", {"a.json": later})])
    assert only_later["outcomes"]["resolved"]["count"] == 1
    names = ("1.json", "2.json") if order == "early-first" else ("2.json", "1.json")
    both = figures(builtin_flowset, folders=[write(tmp_path / "two", {names[0]: early, names[1]: later})])
    assert both["sources"]["cases"] == 1 and both["sources"]["duplicates"] == 1
    assert both["outcomes"]["abandoned"]["count"] == 0
    assert comparable(both) == comparable(only_later)


def test_a_later_export_counts_over_the_saved_early_version(builtin_flowset: FlowSet, tmp_path: Path) -> None:
    early, later, case = versions(builtin_flowset)
    saved = CaseStore(tmp_path / "cases.sqlite3")
    saved.save(Case.from_json(builtin_flowset, json.loads(early)))
    folder = write(tmp_path / "drop", {"later.json": later})
    data = figures(builtin_flowset, store=saved, folders=[folder])
    assert data["sources"]["cases"] == 1 and data["outcomes"]["resolved"]["count"] == 1
    assert comparable(data) == comparable(figures(builtin_flowset, folders=[folder]))
    # And the other way round: the store's later version, an early export left on the folder.
    saved.save(case)
    stale = write(tmp_path / "stale", {"early.json": early})
    assert comparable(figures(builtin_flowset, store=saved, folders=[stale])) == comparable(data)


def test_saved_cases_whose_flow_is_gone_count_under_unknown_nodes(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case]
) -> None:
    """Case A walked the Android flow; a library without it still counts A, its steps unknown."""
    without_android = FlowSet({key: flow for key, flow in builtin_flowset.flows.items() if key != "android"})
    data = figures(without_android, store=CaseStore(store.path, read_only=True))
    assert data["sources"]["cases"] == 4 and data["sources"]["skipped"] == []
    assert data["outcomes"]["resolved"]["count"] == 1
    assert "android#samsung-check-in" in data["unknown_nodes"]
    row: dict[str, Any] = next(r for r in data["nodes"] if r["node"] == "samsung-check-in")
    assert row["known"] is False and row["title"] == "" and row["passed"] == 1
    known = figures(builtin_flowset, store=store)
    assert data["per_flow"] == [r | {"title": ""} if r["flow"] == "android" else r for r in known["per_flow"]]


def test_a_folder_read_again_reads_only_new_or_changed_files(
    builtin_flowset: FlowSet, cases: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.stats import fastread

    folder = tmp_path / "team"
    export_folder(folder, cases[:3])
    first = figures(builtin_flowset, Query(by_agent=True), folders=[folder])
    read: list[str] = []
    reader = fastread.read_file

    def counting(path: str, table: fastread.NodeTable) -> Any:
        read.append(Path(path).name)
        return reader(path, table)

    monkeypatch.setattr(fastread, "read_file", counting)
    assert figures(builtin_flowset, Query(by_agent=True), folders=[folder]) == first
    assert read == []  # every file known by path, size and time of change
    export_folder(folder, cases[3:])
    changed = folder / f"{cases[0].id}.json"
    changed.write_text(to_json_text(cases[0], redact=True), encoding="utf-8")
    again = figures(builtin_flowset, Query(by_agent=True), folders=[folder])
    assert sorted(read) == sorted([f"{cases[3].id}.json", changed.name])
    assert again["sources"]["cases"] == 4
    read.clear()
    without_android = FlowSet({key: flow for key, flow in builtin_flowset.flows.items() if key != "android"})
    figures(without_android, folders=[folder])  # other flows: every file read again (and checked)
    assert len(read) == 4
