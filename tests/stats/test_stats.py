"""Statistics on a hand-made set of four cases whose figures are worked out here by hand.

The cases walk the built-in flows on a clock the test sets before every action, so each step's time
is known exactly:

A  2026-11-24  android  resolved      platform 30 s, android#symptom 20, samsung-check-in 60,
                                      samsung-solution-1 90 → 200 s; lang sv; agent Maria Ek
B  2026-11-25  ios      escalated     platform 10, ios#symptom 40, inactive-devices 50, sync-result 300
                                      → 400 s; lang en; agent Lena Ström
C  2026-11-26  general  not resolved  platform 20, general#symptom 20, mdm-authority 120,
                                      mdm-authority-dirsync 240 → 400 s; no language but its searches' (en)
D  2026-12-01  ios      unfinished    platform 15, ios#symptom answered, back, answered otherwise
                                      (60 s on the step in all), stopped at ios#ws-trust; no language
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from wizard.core.case import Case, SearchRecord
from wizard.core.model import FlowSet, NodeRef
from wizard.export.json_case import to_json_text
from wizard.stats.core import Query, case_facts, collect, median, percentile, report
from wizard.stats.report import render
from wizard.store.cases import CaseStore

REPO = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)

PERSONAL = [
    "Jonas Berg",
    "Jonas",
    "jonas.berg@contoso.se",
    "JONAS-S6",
    "356938035643809",
    "Sara Nyström",
    "sara.nystrom@contoso.se",
    "iPad-Lager-07",
    "DMPXK2QHJF8J",
    "Anna Svensson",
    "Svensson",
    "anna.svensson@contoso.se",
    "LT-0421",
    "PF3K9X2A",
]
AGENTS = ["Maria Ek", "Lena Ström"]


class SetClock:
    """A clock that says what the test last set."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def go(case: Case, clock: SetClock, seconds: float, target: str) -> None:
    """Spend `seconds` on the current step, then take the way to `target`."""
    clock.wait(seconds)
    session = case.session
    here = session.current_ref.flow
    for index, raw in enumerate(session.current_node.targets()):
        if NodeRef.parse(raw, here) == NodeRef.parse(target, here):
            if session.current_node.choices:
                session.choose(index)
            else:
                session.advance()
            return
    raise AssertionError(f"{session.current_ref} has no way to {target}")


def new(flowset: FlowSet, start: dt.datetime, seed: int, agent: str) -> tuple[Case, SetClock]:
    clock = SetClock(start)
    case = Case.new(flowset, NodeRef("start", "platform"), agent=agent, clock=clock, rng=random.Random(seed))
    return case, clock


def search(
    case: Case, clock: SetClock, query: str, hit: str | None, opened: str | None, codes: tuple[str, ...] = ()
) -> None:
    ref = lambda raw: NodeRef(*raw.split("#")) if raw else None  # noqa: E731
    case.record_search(SearchRecord(query, "en", ref(hit), ref(opened), clock.now, codes))


def case_a(flowset: FlowSet) -> Case:
    case, clock = new(flowset, T0, 1, "Maria Ek")
    case.lang = "sv"
    case.user.name, case.user.upn = "Jonas Berg", "jonas.berg@contoso.se"
    case.device.name, case.device.imei = "JONAS-S6", "356938035643809"
    search(case, clock, "Smart  Manager", "android#samsung-check-in", "android#samsung-check-in")
    go(case, clock, 30, "android#symptom")
    go(case, clock, 20, "samsung-check-in")
    case.add_feedback(
        NodeRef("android", "samsung-check-in"), "unclear", "Jonas Berg saw another screen on JONAS-S6"
    )
    go(case, clock, 60, "samsung-solution-1")
    go(case, clock, 90, "general#resolved")
    case.finish()
    return case


def case_b(flowset: FlowSet) -> Case:
    case, clock = new(flowset, T0 + dt.timedelta(days=1, hours=5), 2, "Lena Ström")
    case.lang = "en"
    case.user.name, case.user.upn = "Sara Nyström", "sara.nystrom@contoso.se"
    case.device.name, case.device.serial = "iPad-Lager-07", "DMPXK2QHJF8J"
    search(case, clock, "0x87d1fde8", None, None, ("0x87d1fde8",))
    search(case, clock, "sync", "ios#sync-result", None)
    go(case, clock, 10, "ios#symptom")
    go(case, clock, 40, "inactive-devices")
    go(case, clock, 50, "sync-result")
    case.add_feedback(
        NodeRef("ios", "sync-result"), "wrong", "Lena Ström says DMPXK2QHJF8J shows no sync button"
    )
    go(case, clock, 300, "general#escalate")
    case.finish()
    return case


def case_c(flowset: FlowSet) -> Case:
    case, clock = new(flowset, T0 + dt.timedelta(days=2, hours=1), 3, "Maria Ek")
    case.user.name, case.user.upn = "Anna Svensson", "anna.svensson@contoso.se"
    case.device.name, case.device.serial = "LT-0421", "PF3K9X2A"
    search(case, clock, "smart manager", "android#samsung-check-in", None)
    search(case, clock, "Svensson cannot enroll LT-0421", None, None)
    go(case, clock, 20, "general#symptom")
    go(case, clock, 20, "mdm-authority")
    go(case, clock, 120, "mdm-authority-dirsync")
    go(case, clock, 240, "not-resolved")
    case.finish()
    return case


def case_d(flowset: FlowSet) -> Case:
    case, clock = new(flowset, T0 + dt.timedelta(days=7, hours=2), 4, "Lena Ström")
    go(case, clock, 15, "ios#symptom")
    go(case, clock, 30, "inactive-devices")
    clock.wait(15)
    case.session.back()
    go(case, clock, 15, "ws-trust")  # the answer at ios#symptom changed: 30 + 15 + 15 = 60 s there
    return case


@pytest.fixture(scope="module")
def cases(builtin_flowset: FlowSet) -> list[Case]:
    return [
        case_a(builtin_flowset),
        case_b(builtin_flowset),
        case_c(builtin_flowset),
        case_d(builtin_flowset),
    ]


@pytest.fixture
def store(tmp_path: Path, cases: list[Case]) -> CaseStore:
    store = CaseStore(tmp_path / "cases.sqlite3")
    for case in cases:
        store.save(case)
    return store


def figures(flowset: FlowSet, query: Query | None = None, **sources: Any) -> dict[str, Any]:
    return report(collect(flowset, query or Query(), **sources), flowset, "en", now=T0)


def nodes(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(f"{row['flow']}#{row['node']}", row["count"]) for row in rows]


def test_every_figure_on_the_hand_made_cases(builtin_flowset: FlowSet, store: CaseStore) -> None:
    data = figures(builtin_flowset, store=store)
    assert data["sources"] | {"skipped": []} == {
        "read": ["store"],
        "cases": 4,
        "duplicates": 0,
        "outside_query": 0,
        "skipped": [],
    }
    assert {key: value["count"] for key, value in data["outcomes"].items()} == {
        "resolved": 1,
        "escalated": 1,
        "not_resolved": 1,
        "abandoned": 1,
    }
    assert data["outcomes"]["resolved"]["rate"] == 0.25
    assert [(row["period"], row["cases"]) for row in data["per_day"]] == [
        ("2026-11-24", 1),
        ("2026-11-25", 1),
        ("2026-11-26", 1),
        ("2026-12-01", 1),
    ]
    assert [(row["period"], row["cases"], row["abandoned"]) for row in data["per_week"]] == [
        ("2026-W48", 3, 0),
        ("2026-W49", 1, 1),
    ]
    assert [
        (row["flow"], row["cases"], row["resolved"], row["escalated"], row["not_resolved"], row["abandoned"])
        for row in data["per_flow"]
    ] == [("ios", 2, 0, 1, 0, 1), ("android", 1, 1, 0, 0, 0), ("general", 1, 0, 0, 1, 0)]
    assert {row["flow"]: row["not_resolved_share"] for row in data["per_flow"]} == {
        "ios": 0.0,
        "android": 0.0,
        "general": 1.0,
    }
    assert data["per_language"] == [
        {"lang": "en", "count": 2},
        {"lang": "sv", "count": 1},
        {"lang": "unknown", "count": 1},
    ]
    assert "per_agent" not in data
    assert [(row["node"], row["outcome"], row["count"]) for row in data["end_nodes"]] == [
        ("escalate", "escalated", 1),
        ("not-resolved", "not_resolved", 1),
        ("resolved", "resolved", 1),
    ]
    assert nodes(data["drop_offs"]) == [("ios#ws-trust", 1)]
    assert nodes(data["answer_changes"]) == [("ios#symptom", 1)]
    durations = data["durations"]
    assert (durations["cases"], durations["median_s"], durations["p90_s"]) == (3, 400.0, 400.0)
    slowest = [
        (f"{r['flow']}#{r['node']}", r["count"], r["median_s"], r["p90_s"])
        for r in durations["slowest_steps"]
    ]
    assert slowest[:3] == [
        ("ios#sync-result", 1, 300.0, 300.0),
        ("general#mdm-authority-dirsync", 1, 240.0, 240.0),
        ("general#mdm-authority", 1, 120.0, 120.0),
    ]
    assert ("ios#symptom", 2, 50.0, 60.0) in slowest  # B 40 s, D 60 s
    assert ("start#platform", 4, 17.5, 30.0) in slowest  # 10, 15, 20, 30 s
    searches = data["searches"]
    assert searches["total"] == 5
    assert searches["top"] == [
        {"query": "smart manager", "count": 2},
        {"query": "0x87d1fde8", "count": 1},
        {"query": "[redacted] cannot enroll [redacted]", "count": 1},
        {"query": "sync", "count": 1},
    ]
    assert searches["no_hit"] == [
        {"query": "0x87d1fde8", "count": 1},
        {"query": "[redacted] cannot enroll [redacted]", "count": 1},
    ]
    assert searches["not_opened"] == [{"query": "smart manager", "count": 1}, {"query": "sync", "count": 1}]
    assert searches["unknown_codes"] == [{"code": "0x87D1FDE8", "count": 1}]
    assert [(r["node"], r["version"], r["unclear"], r["wrong"], r["comments"]) for r in data["feedback"]] == [
        ("samsung-check-in", 1, 1, 0, ["[redacted] saw another screen on [redacted]"]),
        ("sync-result", 1, 0, 1, ["[redacted] says [redacted] shows no sync button"]),
    ]
    by_node = {f"{row['flow']}#{row['node']}": row for row in data["nodes"]}
    assert by_node["start#platform"]["passed"] == 4
    assert by_node["ios#symptom"] | {"title": ""} == {
        "flow": "ios",
        "node": "symptom",
        "title": "",
        "known": True,
        "passed": 2,
        "ended": 0,
        "stopped": 0,
        "changed": 1,
        "median_s": 50.0,
        "p90_s": 60.0,
        "unclear": 0,
        "wrong": 0,
    }
    assert "ios#inactive-devices" in by_node  # B passed it; D's visit went to the audit trail
    assert by_node["ios#inactive-devices"]["passed"] == 1
    edges = {(edge["from"], edge["to"]): edge["count"] for edge in data["edges"]}
    assert edges[("start#platform", "ios#symptom")] == 2
    assert edges[("ios#symptom", "ws-trust".join(["ios#", ""]))] == 1
    assert data["unknown_nodes"] == []


def test_percentiles_by_nearest_rank() -> None:
    assert percentile([10, 15, 20, 30], 0.9) == 30
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert median([10, 15, 20, 30]) == 17.5
    assert median([3, 1, 2]) == 2


def test_period_flow_and_agents(builtin_flowset: FlowSet, store: CaseStore) -> None:
    week = figures(
        builtin_flowset, Query(since=dt.date(2026, 11, 25), until=dt.date(2026, 11, 26)), store=store
    )
    assert [row["period"] for row in week["per_day"]] == ["2026-11-25", "2026-11-26"]
    assert week["sources"]["outside_query"] == 2
    ios = figures(builtin_flowset, Query(flow="ios"), store=store)
    assert ios["sources"]["cases"] == 2
    by_agent = figures(builtin_flowset, Query(by_agent=True), store=store)
    assert [(row["agent"], row["cases"], row["resolved"]) for row in by_agent["per_agent"]] == [
        ("Lena Ström", 2, 0),
        ("Maria Ek", 2, 1),
    ]
    # With agents asked for, their names stay in the comments; the end user's do not.
    assert by_agent["feedback"][1]["comments"] == ["Lena Ström says [redacted] shows no sync button"]


def export_folder(folder: Path, cases: list[Case], *, redact: bool = False, suffix: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        (folder / f"{case.id}{suffix}.json").write_text(to_json_text(case, redact=redact), encoding="utf-8")


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "sources"}


def test_a_team_folder_gives_the_figures_of_the_store(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case], tmp_path: Path
) -> None:
    team = tmp_path / "team"
    export_folder(team / "maria", [cases[0], cases[2]])
    export_folder(team / "lena", [cases[1], cases[3]], redact=True)
    from_store = figures(builtin_flowset, store=store)
    from_folder = figures(builtin_flowset, folders=[team])
    assert from_folder["sources"]["cases"] == 4
    assert comparable(from_folder) == comparable(from_store)


def test_the_same_case_twice_is_counted_once(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case], tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    export_folder(folder, cases[:2])  # also in the store
    export_folder(folder, cases[:1], suffix="-copy")  # two copies of one export
    export_folder(folder, cases[:1], redact=True, suffix="-redacted")  # redacted and not
    data = figures(builtin_flowset, store=store, folders=[folder])
    assert data["sources"]["cases"] == 4
    assert data["sources"]["duplicates"] == 4
    assert comparable(data) == comparable(figures(builtin_flowset, store=store))


def test_different_cases_that_share_an_id_both_count(builtin_flowset: FlowSet, tmp_path: Path) -> None:
    """Ids are unique per minute and machine; two agents' cases may share one, and are still two cases."""
    first = case_a(builtin_flowset)
    second = case_a(builtin_flowset)
    second.session.start_ref = NodeRef("ios", "symptom")  # another walk under the same id and minute
    folder = tmp_path / "same-id"
    folder.mkdir()
    (folder / "1.json").write_text(to_json_text(first), encoding="utf-8")
    (folder / "2.json").write_text(to_json_text(second), encoding="utf-8")
    assert figures(builtin_flowset, folders=[folder])["sources"]["cases"] == 2


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_personal_data_in_any_format(
    builtin_flowset: FlowSet, store: CaseStore, cases: list[Case], tmp_path: Path, fmt: str, lang: str
) -> None:
    folder = tmp_path / "folder"
    export_folder(folder, cases)
    tally = collect(builtin_flowset, Query(), store=store, folders=[folder])
    text = render(report(tally, builtin_flowset, lang), fmt, lang).casefold()
    for value in PERSONAL + AGENTS:
        assert value.casefold() not in text, value
    with_agents = render(
        report(collect(builtin_flowset, Query(by_agent=True), store=store), builtin_flowset, lang), fmt, lang
    )
    for value in PERSONAL:
        assert value.casefold() not in with_agents.casefold(), value
    if fmt != "csv":  # the CSV has rows per period and node only
        assert "Maria Ek" in with_agents


def test_json_output_follows_its_schema(builtin_flowset: FlowSet, store: CaseStore) -> None:
    schema = json.loads((REPO / "docs" / "stats.schema.json").read_text(encoding="utf-8"))
    for query in (Query(), Query(by_agent=True), Query(flow="android")):
        data = json.loads(render(figures(builtin_flowset, query, store=store), "json", "en"))
        jsonschema.Draft202012Validator(schema).validate(data)
    empty = json.loads(render(figures(builtin_flowset), "json", "en"))
    jsonschema.Draft202012Validator(schema).validate(empty)
    assert empty["durations"]["median_s"] is None


def test_csv_has_one_row_per_period_and_per_node(builtin_flowset: FlowSet, store: CaseStore) -> None:
    import csv
    import io

    data = figures(builtin_flowset, store=store)
    rows = list(csv.DictReader(io.StringIO(render(data, "csv", "en"))))
    assert [row["period"] for row in rows if row["row"] == "day"] == [r["period"] for r in data["per_day"]]
    assert [row["period"] for row in rows if row["row"] == "week"] == ["2026-W48", "2026-W49"]
    node_rows = {f"{row['flow']}#{row['node']}": row for row in rows if row["row"] == "node"}
    assert len(node_rows) == len(data["nodes"])
    assert node_rows["ios#symptom"]["changed"] == "1"
    assert node_rows["ios#sync-result"]["wrong"] == "1"


def test_html_is_one_page_with_inline_charts(builtin_flowset: FlowSet, store: CaseStore) -> None:
    from html.parser import HTMLParser

    page = render(figures(builtin_flowset, store=store), "html", "sv")

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert names.count("svg") == 3  # outcomes, per flow, per period
    assert "script" not in names
    for _tag, attrs in parser.tags:
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key) or ""
            assert not value or value.startswith("#"), (key, value)
    assert "Felsökningsstatistik" in page and "Inte stängt" in page


def test_bad_input_is_skipped_one_line_each(
    builtin_flowset: FlowSet, cases: list[Case], tmp_path: Path
) -> None:
    import os

    folder = tmp_path / "bad"
    export_folder(folder, cases[:1])
    (folder / "broken.json").write_text('{"kind": "troubleshooting-wizard-case", ', encoding="utf-8")
    (folder / "foreign.json").write_text('{"hello": "world"}', encoding="utf-8")
    (folder / "list.json").write_text("[1, 2, 3]", encoding="utf-8")
    (folder / "latin1.json").write_bytes('{"agent": "Åsa"}'.encode("latin-1"))
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "huge.json").write_bytes(b" " * (9 * 2**20))
    newer = json.loads(to_json_text(cases[1])) | {"format": 2}
    (folder / "newer.json").write_text(json.dumps(newer), encoding="utf-8")
    gone = json.loads(to_json_text(cases[2]))
    gone["session"]["visits"][-1]["node"] = "no-longer-there"
    (folder / "gone.json").write_text(json.dumps(gone), encoding="utf-8")
    os.mkfifo(folder / "fifo.json")
    (folder / "notes.txt").write_text("not a case file name", encoding="utf-8")
    tally = collect(builtin_flowset, Query(), folders=[folder])
    assert tally.cases == 1
    why = {Path(item.source).name: item.why for item in tally.skipped}
    assert set(why) == {
        "broken.json",
        "foreign.json",
        "list.json",
        "latin1.json",
        "deep.json",
        "huge.json",
        "newer.json",
        "gone.json",
        "fifo.json",
    }
    assert "not valid JSON" in why["broken.json"]
    assert "UTF-8" in why["latin1.json"]
    assert "MiB" in why["huge.json"]
    assert "not a regular file" in why["fifo.json"]
    assert "no-longer-there" in why["gone.json"]
    assert all("\n" not in line for line in why.values())


def test_facts_hold_nothing_personal(builtin_flowset: FlowSet, cases: list[Case]) -> None:
    text = repr([case_facts(case) for case in cases]).casefold()
    for value in PERSONAL + AGENTS:
        assert value.casefold() not in text, value


def test_the_store_is_read_a_batch_at_a_time(store: CaseStore, cases: list[Case]) -> None:
    """Batches of two over four cases: every case once, in the order saved, across batch ends."""
    assert [case_id for case_id, _ in store.stream_data(batch=2)] == [case.id for case in cases]
    assert [case_id for case_id, _ in store.stream_data(batch=4)] == [case.id for case in cases]


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_feedback_is_in_every_export_redacted_when_asked(builtin_flowset: FlowSet, fmt: str) -> None:
    from wizard.export import export_case

    def render_export(case: Case, fmt: str, lang: str, redact: bool = False) -> str:
        text = export_case(case, fmt, lang, redact=redact).decode("utf-8")
        return " ".join(text.replace("\\[", "[").replace("\\]", "]").split())  # Markdown's escapes

    case = case_a(builtin_flowset)
    plain = render_export(case, fmt, lang="en")
    assert "Step feedback" in plain and "unclear – Jonas Berg saw another screen on JONAS-S6" in plain
    redacted = render_export(case, fmt, lang="sv", redact=True)
    assert "Återkoppling på steg" in redacted and "otydligt – [borttaget] saw another screen" in redacted
    assert "Jonas" not in redacted and "JONAS-S6" not in redacted


def test_the_flow_map_carries_the_counts(builtin_flowset: FlowSet, store: CaseStore) -> None:
    """iOS: B and D passed ios#symptom (2); B took symptom → inactive-devices → sync-result (1 each);
    D stopped at ws-trust (1). The map's own boxes and ways stay; the counts are on top."""
    import xml.etree.ElementTree as ET

    from wizard.stats.flowmap import counted_map_svg

    svg = counted_map_svg(builtin_flowset, "ios", "en", figures(builtin_flowset, store=store))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    counts = next(group for group in root.iter(f"{ns}g") if group.get("id") == "counts")
    badges = [text.text for text in counts.iter(f"{ns}text")]
    shaded = [rect for rect in counts.iter(f"{ns}rect") if rect.get("fill-opacity")]
    ways = list(counts.iter(f"{ns}polyline"))
    # Boxes passed: symptom (2), ws-trust, inactive-devices, sync-result (1 each), and the external
    # box of general#escalate that B reached from sync-result (1).
    assert sorted(badges[len(ways) :]) == ["1", "1", "1", "1", "2"]
    assert len(shaded) == 5
    # Ways taken inside the map: symptom→ws-trust, symptom→inactive-devices, inactive→sync-result,
    # sync-result→general#escalate; the way from start#platform is not on this flow's map.
    assert len(ways) == 4 and badges[: len(ways)] == ["1", "1", "1", "1"]
    widest = max(float(way.get("stroke-width", "0")) for way in ways)
    assert widest == 8.5  # 1.5 + 7 for the most taken
    untouched = counted_map_svg(builtin_flowset, "macos", "en", figures(builtin_flowset, store=store))
    assert untouched.count("<polyline") == 0 and 'id="counts"' in untouched
