"""Usage statistics over many cases: what comes in, how it ends, where walks stop and what confuses.

Cases come from the local case store and from folders of case files (JSON format 1, as `export
--format json` writes them, redacted or not), so a team that drops its exports on a shared folder gets
team figures without a server. Each case is read, boiled down to its facts (`CaseFacts`, a few
hundred bytes) and added to running totals (`Tally`); no source is ever held whole, so a folder of
100,000 files is read in constant memory.

The same case seen twice (in the store and in a folder, or two copies of one export, redacted or not)
is counted once: it is the same case when its id, start time and start node agree; of two versions
(an early export and the case saved on later), the one saved last counts.

The case store keeps a small summary of each case's facts beside it (`case_summary`, written with
every save), and a folder's files read before are known by a cache of theirs (`filecache`), so that
reading 10,000 saved cases or a team folder read again costs little more than counting. A folder's
new files are read straight to that summary (`fastread`, without restoring each case), a large
folder by a worker process per core, counted here in file order: the figures of one process.

Privacy: the figures never carry the end user's name or UPN, nor the device's name, serial number or
IMEI; free text that reaches them (search queries, feedback comments) goes through the same
redaction as a redacted export. The agent's name appears only when asked for (`by_agent`), and is
then also taken out of that free text otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
import os
import stat
import sys
import warnings
import zlib
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.core.case import Case, CaseError
from wizard.core.inline import plain_text
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.core.redact import MIN_PART, Redactor
from wizard.stats.filecache import FileSummaries
from wizard.store import paths

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

STATS_KIND = "troubleshooting-wizard-stats"
STATS_FORMAT = 1
OUTCOMES = ("resolved", "escalated", "not_resolved", "abandoned")
UNKNOWN = "unknown"  # a language or flow a case does not say
# Bounds on what hostile input can make the totals hold: distinct search queries, agents, comments.
MAX_DISTINCT_QUERIES = 20_000
MAX_DISTINCT_AGENTS = 2_000
MAX_COMMENTS_PER_NODE = 20
MAX_QUERY_CHARS = 200
TOP = 20  # rows of each ranked list in a report
# A file larger than this is not a case (the largest real one is tens of kilobytes).
MAX_FILE_BYTES = 8 * 2**20

_NO_OFFSET = dt.timedelta(0)
Progress = Callable[[int, int], None]  # (done, total) — total 0 while unknown


# -- one case -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchFact:
    query: str  # folded, redacted, cut short
    hit: bool
    opened: bool
    unknown_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    ref: str  # "flow#node"
    version: int
    kind: str
    comment: str  # redacted


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the statistics need of one case, and nothing personal."""

    key: tuple[str, str, str]  # id, start time, start node: the same case seen twice has the same key
    started: dt.datetime
    flow: str  # the flow of the problem: of the last step before the end node (or where it stopped)
    flows: frozenset[str]  # every flow the walk passed
    lang: str
    agent: str  # "" unless asked for
    outcome: str  # one of OUTCOMES
    # Nodes are written "flow#node" (str of their NodeRef): counting strings is several times
    # cheaper than counting NodeRefs, and the report turns the few distinct ones back.
    end: str | None  # the end node reached
    stopped: str | None  # where an unfinished walk stopped
    duration: float | None  # seconds from the first step to the end node
    passed: tuple[str, ...]  # nodes walked (not filled in by a link), in order
    edges: tuple[tuple[str, str], ...]
    step_times: tuple[tuple[str, float], ...]  # seconds spent on each step left
    changed: tuple[str, ...]  # where an answer was changed
    searches: tuple[SearchFact, ...]
    feedback: tuple[FeedbackFact, ...]
    updated: dt.datetime | None = None  # when this version was saved: of two versions, the newest counts


def case_facts(case: Case, *, by_agent: bool = False) -> CaseFacts:
    visits = case.visits
    session = case.session
    redactor = _Redaction(
        [*case.personal_values(), *([] if by_agent or not case.agent.strip() else [case.agent])],
        case.user.name,
    )
    end_node = case.end_node
    outcome = "abandoned"
    if end_node is not None and end_node.outcome is not None:
        outcome = {"escalate": "escalated"}.get(end_node.outcome.value, end_node.outcome.value)
    last = visits[-1].ref
    # The flow of the problem: where the last step before the end was (end nodes are shared ones).
    problem_flow = next(
        (visit.ref.flow for visit in reversed(visits) if session.node_of(visit).kind is not NodeKind.END),
        last.flow,
    )
    walked = [visit for visit in visits if not visit.inferred]
    passed = tuple(str(visit.ref) for visit in walked)
    edges = tuple(
        (str(before.ref), str(after.ref))
        for before, after in itertools.pairwise(visits)
        if not after.inferred
    )
    step_times = tuple(
        (str(visit.ref), max(0.0, (visit.left_at - visit.entered_at).total_seconds()))
        for visit in walked
        if visit.left_at is not None
    )
    duration = None
    if end_node is not None and case.walk_ended_at is not None:
        first = walked[0] if walked else visits[0]
        duration = max(0.0, (case.walk_ended_at - first.entered_at).total_seconds())
    searches = tuple(
        SearchFact(
            _fold_query(redactor.text(record.query)),
            record.hit is not None,
            record.opened is not None,
            tuple(_code(code) for code in record.unknown_codes),
        )
        for record in case.searches
    )
    feedback = tuple(
        FeedbackFact(str(record.ref), record.version, record.kind, redactor.text(record.comment).strip())
        for record in case.feedback
    )
    lang = case.lang or next((s.lang for s in case.searches if s.lang), "") or UNKNOWN
    return CaseFacts(
        key=(case.id, case.started_at.isoformat(), str(session.start_ref)),
        started=case.started_at,
        flow=problem_flow,
        flows=frozenset(visit.ref.flow for visit in visits),
        lang=lang,
        agent=case.agent.strip() if by_agent else "",
        outcome=outcome,
        end=str(last) if end_node is not None else None,
        stopped=str(session.current_ref) if end_node is None else None,
        duration=duration,
        passed=passed,
        edges=edges,
        step_times=step_times,
        changed=tuple(str(event.ref) for event in session.history if event.action == "change"),
        searches=searches,
        feedback=feedback,
        updated=case.updated_at,
    )


# -- a case's facts kept as a small record (in the case store, beside the case) ------------------

SUMMARY_FORMAT = 1


def case_summary(case: Case) -> str:
    """The case's facts as compact JSON, for both answers of `by_agent`: the agent's name, and free
    text redacted of personal data (with the agent's name also taken out, and, only where that
    differs, without). Reading it back (`facts_from_summary`) is many times cheaper than the case."""
    plain = case_facts(case, by_agent=False)
    agent = case.agent.strip().casefold()
    texts = [record.query for record in case.searches] + [record.comment for record in case.feedback]
    if agent and any(agent in text.casefold() for text in texts):
        return facts_summary(plain, case_facts(case, by_agent=True))
    # No free text names the agent: the facts with `by_agent` differ only by the name.
    return facts_summary(plain, dataclasses.replace(plain, agent=case.agent.strip()))


def facts_summary(plain: CaseFacts, named: CaseFacts | None = None) -> str:
    """`plain` facts as a summary; `named`, the same case's facts with `by_agent`, adds the agent."""
    named = named or plain

    searches = [
        [s.query, n.query if n.query != s.query else None, s.hit, s.opened, list(s.unknown_codes)]
        for s, n in zip(plain.searches, named.searches, strict=True)
    ]
    feedback = [
        [f.ref, f.version, f.kind, f.comment, n.comment if n.comment != f.comment else None]
        for f, n in zip(plain.feedback, named.feedback, strict=True)
    ]
    record = {
        "v": SUMMARY_FORMAT,
        "key": list(plain.key),
        "started": plain.started.isoformat(),
        "updated": plain.updated.isoformat() if plain.updated else None,
        "flow": plain.flow,
        "flows": sorted(plain.flows),
        "lang": plain.lang,
        "agent": named.agent,
        "outcome": plain.outcome,
        "end": plain.end,
        "stopped": plain.stopped,
        "duration": plain.duration,
        "passed": plain.passed,
        "edges": plain.edges,
        "steps": plain.step_times,
        "changed": plain.changed,
        "searches": searches,
        "feedback": feedback,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class SummaryError(ValueError):
    """A kept summary that cannot be read (another format, damaged): the case is read instead."""


def facts_from_summary(text: str, *, by_agent: bool = False) -> CaseFacts:
    """The facts `case_facts(case, by_agent=…)` gives, from `case_summary(case)`."""
    try:
        record = json.loads(text)
        if record.get("v") != SUMMARY_FORMAT:
            raise SummaryError(f"summary format {record.get('v')!r}")
        return _facts_from_record(record, by_agent=by_agent)
    except SummaryError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise SummaryError(_one_line(exc)) from exc


def _facts_from_record(record: dict[str, Any], *, by_agent: bool) -> CaseFacts:
    end, stopped, updated = record["end"], record["stopped"], record["updated"]
    return CaseFacts(
        key=(record["key"][0], record["key"][1], record["key"][2]),
        started=dt.datetime.fromisoformat(record["started"]),
        flow=record["flow"],
        flows=frozenset(record["flows"]),
        lang=record["lang"],
        agent=record["agent"] if by_agent else "",
        outcome=record["outcome"],
        end=end,
        stopped=stopped,
        duration=record["duration"],
        passed=tuple(record["passed"]),
        edges=tuple(map(tuple, record["edges"])),
        step_times=tuple(map(tuple, record["steps"])),
        changed=tuple(record["changed"]),
        searches=tuple(
            SearchFact(named if by_agent and named is not None else query, hit, opened, tuple(codes))
            for query, named, hit, opened, codes in record["searches"]
        ),
        feedback=tuple(
            FeedbackFact(where, version, kind, named if by_agent and named is not None else comment)
            for where, version, kind, comment, named in record["feedback"]
        ),
        updated=None if updated is None else dt.datetime.fromisoformat(updated),
    )


class _Redaction:
    """The export's redaction (wizard/export/redact.py) for the few texts a case gives the figures.

    Building its pattern costs more than all the rest of a case's facts, so it is built only for a
    text that holds one of the values (compared without regard to case) and may need it."""

    def __init__(self, values: list[str], name: str) -> None:
        self.values = values
        self.name = name
        parts = [part for part in name.split() if len(part) >= MIN_PART]
        self.folded = [value.casefold() for value in [*values, *parts] if value.strip()]
        self.redactor: Redactor | None = None

    def text(self, value: str) -> str:
        folded = value.casefold()
        if not any(candidate in folded for candidate in self.folded):
            return value
        if self.redactor is None:
            self.redactor = Redactor(self.values, "en", name=self.name)
        return self.redactor.text(value)


def _code(code: str) -> str:
    """One spelling per error code: 0x87d1fde8 and 0X87D1FDE8 are the same code."""
    code = code.strip()[:40]
    return "0x" + code[2:].upper() if code[:2].lower() == "0x" else code.upper()


def _fold_query(query: str) -> str:
    return " ".join(query.casefold().split())[:MAX_QUERY_CHARS]


# -- the question and the totals ----------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """Which cases count: started on or after `since`, on or before `until` (UTC dates), passing `flow`."""

    since: dt.date | None = None
    until: dt.date | None = None
    flow: str | None = None
    by_agent: bool = False

    def wants(self, facts: CaseFacts) -> bool:
        day = facts.started.astimezone(dt.UTC).date()
        if self.since is not None and day < self.since:
            return False
        if self.until is not None and day > self.until:
            return False
        return self.flow is None or self.flow in facts.flows


@dataclass(frozen=True)
class Skipped:
    """A source that was not counted, and why (one line)."""

    source: str
    why: str

    def __str__(self) -> str:
        return f"{self.source}: {self.why}"


def _outcome_counter() -> Counter[str]:
    return Counter({outcome: 0 for outcome in OUTCOMES})


class SummaryPack:
    """Summaries kept in case a newer version of their case turns up, a block at a time packed with
    zlib: one call per block rather than per summary (a sixth of the cost), and a seventh of the size."""

    BLOCK_CHARS = 2**16
    _SHIFT = 20  # a handle: the block's number, then the summary's place in it

    def __init__(self) -> None:
        self.blocks: list[bytes] = []
        self.open: list[str] = []
        self.open_chars = 0

    def add(self, summary: str) -> int:
        handle = (len(self.blocks) << self._SHIFT) | len(self.open)
        self.open.append(summary)
        self.open_chars += len(summary) + 1
        if self.open_chars >= self.BLOCK_CHARS:
            # NUL never occurs in a summary: JSON writes control characters as escapes.
            self.blocks.append(zlib.compress("\0".join(self.open).encode("utf-8"), 1))
            self.open, self.open_chars = [], 0
        return handle

    def get(self, handle: int) -> str:
        block, place = handle >> self._SHIFT, handle & ((1 << self._SHIFT) - 1)
        if block == len(self.blocks):
            return self.open[place]
        return zlib.decompress(self.blocks[block]).decode("utf-8").split("\0")[place]


@dataclass
class Tally:
    """Running totals over the cases added so far; `report` turns them into the figures."""

    query: Query = field(default_factory=Query)
    duplicates: int = 0
    out_of_query: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    cases: int = 0
    outcomes: Counter[str] = field(default_factory=_outcome_counter)
    per_day: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(_outcome_counter))
    per_week: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(_outcome_counter))
    per_flow: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(_outcome_counter))
    per_lang: Counter[str] = field(default_factory=Counter)
    per_agent: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(_outcome_counter))
    ends: Counter[str] = field(default_factory=Counter)
    stops: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)
    edges: Counter[tuple[str, str]] = field(default_factory=Counter)
    case_seconds: array[float] = field(default_factory=lambda: array("f"))
    step_seconds: defaultdict[str, array[float]] = field(
        default_factory=lambda: defaultdict(lambda: array("f"))
    )
    searches: int = 0
    queries: Counter[str] = field(default_factory=Counter)
    no_hit: Counter[str] = field(default_factory=Counter)
    not_opened: Counter[str] = field(default_factory=Counter)
    unknown_codes: Counter[str] = field(default_factory=Counter)
    feedback: defaultdict[tuple[str, int], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    comments: defaultdict[tuple[str, int], list[str]] = field(default_factory=lambda: defaultdict(list))

    # Each counted case by its key (joined into one text: a folder may hold 100,000), with its facts
    # as given (the facts, a summary, or a summary's place in `pack`), so that a newer version seen
    # later can take its place.
    versions: dict[str, CaseFacts | str | int] = field(default_factory=dict)
    _period_cache: dict[dt.date, tuple[str, str]] = field(default_factory=dict)
    # The summaries of a folder's cases, packed: a folder may hold 100,000.
    pack: SummaryPack = field(default_factory=lambda: SummaryPack())

    def add(self, facts: CaseFacts, kept: str | int | None = None) -> bool:
        """Count one case; False when it was seen before, or the query leaves it out.

        The same case seen again (same key) is a duplicate; when this copy was saved later than
        the one counted (an early export, then the case saved on), this one counts instead."""
        key = "\0".join(facts.key)
        if not self._newer(key, facts.updated):
            return False
        self.versions[key] = facts if kept is None else kept
        return self._count(facts, 1)

    def add_summary(self, summary: str, kept: int | None = None) -> bool:
        """`add(facts_from_summary(summary), summary)`, without making the facts when every case
        counts: the store's cases (thousands) take this way. SummaryError when it cannot be read."""
        query = self.query
        if query.since is not None or query.until is not None or query.flow is not None:
            facts = facts_from_summary(summary, by_agent=self.query.by_agent)
            return self.add(facts, summary if kept is None else kept)
        try:
            record = json.loads(summary)
            if record.get("v") != SUMMARY_FORMAT:
                raise SummaryError(f"summary format {record.get('v')!r}")
            key = "\0".join((record["key"][0], record["key"][1], record["key"][2]))
            started = dt.datetime.fromisoformat(record["started"])
            by_agent = self.query.by_agent
            searches = [
                SearchFact(named if by_agent and named is not None else query, hit, opened, codes)
                for query, named, hit, opened, codes in record["searches"]
            ]
            feedback = [
                FeedbackFact(where, version, kind, named if by_agent and named is not None else comment)
                for where, version, kind, comment, named in record["feedback"]
            ]
        except SummaryError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise SummaryError(_one_line(exc)) from exc
        if not self._newer(key, record["updated"]):
            return False
        self.versions[key] = summary if kept is None else kept
        self._count_record(record, started)
        if searches or feedback:
            self._count_texts(searches, feedback)
        return True

    def _newer(self, key: str, updated: dt.datetime | str | None) -> bool:
        """Whether a case with `key`, saved at `updated`, is to be counted (first seen, or newer than
        the version counted, which is then taken back). Only a case seen twice (rare) has the facts
        counted unpacked, for when that version was saved."""
        counted = self.versions.get(key)
        if counted is None:
            return True
        self.duplicates += 1
        earlier = self._unpack(counted)
        this, that = _moment(updated), earlier.updated
        if this is None or that is None or this <= that:
            return False
        self._count(earlier, -1)
        return True

    def _count_record(self, record: dict[str, Any], started: dt.datetime) -> None:
        """`_count_one` over a summary's record, for a query that takes every case."""
        self.cases += 1
        outcome = record["outcome"]
        self.outcomes[outcome] += 1
        day, week = self._periods(started)
        self.per_day[day][outcome] += 1
        self.per_week[week][outcome] += 1
        self.per_flow[record["flow"]][outcome] += 1
        self.per_lang[record["lang"]] += 1
        if self.query.by_agent:
            agent = record["agent"] or UNKNOWN
            if agent in self.per_agent or len(self.per_agent) < MAX_DISTINCT_AGENTS:
                self.per_agent[agent][outcome] += 1
        if record["end"] is not None:
            self.ends[record["end"]] += 1
        if record["stopped"] is not None:
            self.stops[record["stopped"]] += 1
        # Loops, not Counter.update: its check for a mapping costs more than a walk's few items.
        changes, passed, edges = self.changes, self.passed, self.edges
        for ref in record["changed"]:
            changes[ref] += 1
        for ref in record["passed"]:
            passed[ref] += 1
        for before, after in record["edges"]:
            edges[before, after] += 1
        if record["duration"] is not None:
            self.case_seconds.append(record["duration"])
        step_seconds = self.step_seconds
        for ref, seconds in record["steps"]:
            step_seconds[ref].append(seconds)

    def _unpack(self, kept: CaseFacts | str | int) -> CaseFacts:
        if isinstance(kept, CaseFacts):
            return kept
        text = self.pack.get(kept) if isinstance(kept, int) else kept
        return facts_from_summary(text, by_agent=self.query.by_agent)

    def _count(self, facts: CaseFacts, sign: int) -> bool:
        """Add (`sign` 1) or take back (-1) one case's figures."""
        if not self.query.wants(facts):
            self.out_of_query += sign
            return False
        if sign > 0:
            self._count_one(facts)
            return True
        self.cases += sign
        outcome = facts.outcome
        self.outcomes[outcome] += sign
        day, week = self._periods(facts.started)
        _bump(self.per_day, day, outcome, sign)
        _bump(self.per_week, week, outcome, sign)
        _bump(self.per_flow, facts.flow, outcome, sign)
        _tick(self.per_lang, facts.lang, sign)
        if self.query.by_agent:
            agent = facts.agent or UNKNOWN
            if agent in self.per_agent or (sign > 0 and len(self.per_agent) < MAX_DISTINCT_AGENTS):
                _bump(self.per_agent, agent, outcome, sign)
        if facts.end is not None:
            _tick(self.ends, facts.end, sign)
        if facts.stopped is not None:
            _tick(self.stops, facts.stopped, sign)
        if sign > 0:
            self.changes.update(facts.changed)
            self.passed.update(facts.passed)
            self.edges.update(facts.edges)
        else:
            for counter, items in ((self.changes, facts.changed), (self.passed, facts.passed)):
                for ref in items:
                    _tick(counter, ref, sign)
            for edge in facts.edges:
                _tick(self.edges, edge, sign)
        if facts.duration is not None:
            _put(self.case_seconds, facts.duration, sign)
        for ref, seconds in facts.step_times:
            _put(self.step_seconds[ref], seconds, sign)
            if not self.step_seconds[ref]:
                del self.step_seconds[ref]
        for search in facts.searches:
            self.searches += sign
            self._count_query(self.queries, search.query, sign)
            if not search.hit:
                self._count_query(self.no_hit, search.query, sign)
            elif not search.opened:
                self._count_query(self.not_opened, search.query, sign)
            for code in search.unknown_codes:
                self._count_query(self.unknown_codes, code, sign)
        for note in facts.feedback:
            where = (note.ref, note.version)
            _tick(self.feedback[where], note.kind, sign)
            if not self.feedback[where]:
                del self.feedback[where]
            comment = note.comment[:500]
            if sign > 0 and note.comment and len(self.comments[where]) < MAX_COMMENTS_PER_NODE:
                self.comments[where].append(comment)
            elif sign < 0 and comment in self.comments.get(where, ()):
                self.comments[where].remove(comment)
        return True

    def _count_one(self, facts: CaseFacts) -> None:
        """`_count(facts, 1)` written for speed: it runs once for every case of a store."""
        self.cases += 1
        outcome = facts.outcome
        self.outcomes[outcome] += 1
        day, week = self._periods(facts.started)
        self.per_day[day][outcome] += 1
        self.per_week[week][outcome] += 1
        self.per_flow[facts.flow][outcome] += 1
        self.per_lang[facts.lang] += 1
        if self.query.by_agent:
            agent = facts.agent or UNKNOWN
            if agent in self.per_agent or len(self.per_agent) < MAX_DISTINCT_AGENTS:
                self.per_agent[agent][outcome] += 1
        if facts.end is not None:
            self.ends[facts.end] += 1
        if facts.stopped is not None:
            self.stops[facts.stopped] += 1
        if facts.changed:
            self.changes.update(facts.changed)
        self.passed.update(facts.passed)
        self.edges.update(facts.edges)
        if facts.duration is not None:
            self.case_seconds.append(facts.duration)
        step_seconds = self.step_seconds
        for ref, seconds in facts.step_times:
            step_seconds[ref].append(seconds)
        if facts.searches or facts.feedback:
            self._count_texts(facts.searches, facts.feedback)

    def _count_texts(self, searches: Iterable[SearchFact], feedback: Iterable[FeedbackFact]) -> None:
        for search in searches:
            self.searches += 1
            self._count_query(self.queries, search.query)
            if not search.hit:
                self._count_query(self.no_hit, search.query)
            elif not search.opened:
                self._count_query(self.not_opened, search.query)
            for code in search.unknown_codes:
                self._count_query(self.unknown_codes, code)
        for note in feedback:
            where = (note.ref, note.version)
            self.feedback[where][note.kind] += 1
            if note.comment and len(self.comments[where]) < MAX_COMMENTS_PER_NODE:
                self.comments[where].append(note.comment[:500])

    def _periods(self, started: dt.datetime) -> tuple[str, str]:
        """The UTC day and ISO week a case started in, worked out once per day (cases are saved in UTC)."""
        day = started.date() if started.utcoffset() == _NO_OFFSET else started.astimezone(dt.UTC).date()
        found = self._period_cache.get(day)
        if found is None:
            iso = day.isocalendar()
            found = self._period_cache[day] = (day.isoformat(), f"{iso.year}-W{iso.week:02d}")
        return found

    @staticmethod
    def _count_query(counter: Counter[str], query: str, sign: int = 1) -> None:
        if query and (query in counter or (sign > 0 and len(counter) < MAX_DISTINCT_QUERIES)):
            _tick(counter, query, sign)

    def skip(self, source: str, why: str) -> None:
        self.skipped.append(Skipped(source, why))


def _tick(counter: Counter[Any], key: Any, sign: int) -> None:
    """Count `key` up or down; a count back at nought is no longer there (as if never seen)."""
    counter[key] += sign
    if counter[key] <= 0:
        del counter[key]


def _bump(table: defaultdict[str, Counter[str]], row: str, outcome: str, sign: int) -> None:
    table[row][outcome] += sign
    if not table[row].total():
        del table[row]


def _put(values: array[float], value: float, sign: int) -> None:
    if sign > 0:
        values.append(value)
    else:
        values.remove(array("f", [value])[0])  # as stored: single precision


def _moment(value: dt.datetime | str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


# -- reading sources ----------------------------------------------------------------------------


def add_store(tally: Tally, store: Any, flowset: FlowSet, progress: Progress | None = None) -> None:
    """Count every case of a CaseStore (read only, a batch of rows at a time).

    A case is read from the small summary the store keeps beside it; a case without one (saved
    before summaries were kept) is read whole once, and its summary handed back to the store."""
    from wizard.store.cases import CaseStoreError

    tally.sources.append("store")
    by_agent = tally.query.by_agent
    missing: list[tuple[str, int, str]] = []
    try:
        total = store.count()
        for done, (case_id, revision, summary, text) in enumerate(store.stream_summaries(), 1):
            if progress is not None and done % 1000 == 0:
                progress(done, total)
            if summary is not None:
                try:
                    tally.add_summary(summary)
                    continue
                except SummaryError:
                    pass  # read the case itself, as if it had none
            try:
                data = json.loads(text) if text is not None else store.load_data(case_id)
                summary = case_summary(Case.from_json(flowset, data))
                facts = facts_from_summary(summary, by_agent=by_agent)
            except (CaseError, ValueError, TypeError, KeyError, RecursionError) as exc:
                tally.skip(f"store {case_id}", _one_line(exc))
                continue
            if revision >= 0:
                missing.append((case_id, revision, summary))
                if len(missing) >= 1000:
                    store.keep_summaries(missing)
                    missing = []
            tally.add(facts, summary)
        store.keep_summaries(missing)
    except CaseStoreError as exc:
        tally.skip("store", _one_line(exc))


def case_files(folder: Path) -> Iterator[Path]:
    """The *.json files under `folder`, in name order, folders after files; links to folders not followed."""
    for name in _case_file_names(str(folder)):
        yield Path(name)


def _case_file_names(folder: str) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    subfolders = []
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.path)
            elif entry.name.lower().endswith(".json"):
                yield entry.path
        except OSError:
            continue
    for sub in subfolders:
        yield from _case_file_names(sub)


# Files read by one worker at a time; a few batches are under way at once, so memory stays small.
READ_BATCH = 250
# Below this many files to read, starting worker processes (a fresh interpreter each, ≈0.2 s)
# costs more than the second core saves.
POOL_FROM_FILES = 3000


def add_folder(
    tally: Tally,
    folder: Path,
    flowset: FlowSet,
    progress: Progress | None = None,
    *,
    remember: bool = True,
    workers: int | None = None,
    pool_from: int = POOL_FROM_FILES,
) -> None:
    """Count every case file under `folder`; each file that is not a usable case is one skipped line.

    Each file is read for its facts alone (`fastread`: the fields read checked as strictly as the
    case reader checks them); a large folder is read by worker processes, one per core (`workers`,
    0 for none), and counted here in file order, so the figures are those of one process. The
    summary of each file read is kept in the user's cache folder (`remember`), so that reading the
    folder again reads only what is new or changed (by path, size and time of change)."""
    from wizard.stats.fastread import node_table

    tally.sources.append(str(folder))
    if not folder.is_dir():
        tally.skip(str(folder), "not a folder" if folder.exists() else "no such folder")
        return
    files = list(_case_file_names(str(folder)))
    kept = FileSummaries(paths.cache_dir() / "stats-files.sqlite3", flowset) if remember else None
    readers = _Readers(node_table(flowset), _worker_count(workers))
    # With nothing kept for these flows (the first reading), no file needs looking up first.
    look_up = kept if kept is not None and kept.has_any() else None
    under_way: deque[tuple[list[str], list[_Entry], Any]] = deque()
    done = 0
    try:
        for start in range(0, len(files), READ_BATCH):
            batch = files[start : start + READ_BATCH]
            entries: list[_Entry] = [None] * len(batch)
            to_read = batch
            if look_up is not None:
                entries, to_read = _look_up(batch, look_up)
            if readers.pool is None and len(files) - start >= pool_from and len(to_read) * 2 >= len(batch):
                readers.start()
            under_way.append((batch, entries, readers.submit(to_read)))
            while under_way and (len(under_way) > readers.ahead or start + READ_BATCH >= len(files)):
                batch, entries, results = under_way.popleft()
                _count_batch(tally, batch, entries, readers.results(results), kept, readers.table)
                done += len(batch)
                if progress is not None:
                    progress(done, len(files))
    finally:
        readers.close()
        if kept is not None:
            kept.close()


# A file of a batch: None to be read, else (summary kept, None) or (None, why it is skipped).
_Entry = tuple[str | None, str | None] | None


def _look_up(batch: list[str], kept: FileSummaries) -> tuple[list[_Entry], list[str]]:
    """Which files of a batch are known to the cache (by full path, size and time of change)."""
    entries: list[_Entry] = []
    to_read = []
    for name in batch:
        found, why = _plain_file(Path(name))
        if found is None:
            entries.append((None, why))
            continue
        summary = kept.get(os.path.abspath(name), found.st_size, found.st_mtime_ns)
        entries.append(None if summary is None else (summary, None))
        if summary is None:
            to_read.append(name)
    return entries, to_read


def _count_batch(
    tally: Tally,
    batch: list[str],
    entries: list[_Entry],
    results: list[Any],
    kept: FileSummaries | None,
    table: Any,
) -> None:
    """Count a batch's files in order: known ones from their kept summary, the others as read."""
    from wizard.stats.fastread import read_file

    read = iter(results)
    for name, entry in zip(batch, entries, strict=True):
        if entry is not None:
            summary, why = entry
            if summary is None:
                tally.skip(name, why or "not a case file")
                continue
            try:
                tally.add_summary(summary, tally.pack.add(summary))
                continue
            except SummaryError:
                size, mtime, made, why = read_file(name, table)  # read it again
        else:
            size, mtime, made, why = next(read)
        if made is None:
            tally.skip(name, why)
            continue
        try:
            tally.add_summary(made, tally.pack.add(made))
        except SummaryError as exc:  # not expected: the summary was just made
            tally.skip(name, _one_line(exc))
            continue
        if kept is not None:
            kept.put(os.path.abspath(name), size, mtime, made)


def _worker_count(workers: int | None) -> int:
    """One worker per core (none in a frozen build, whose executable would start the app again)."""
    if workers is not None:
        return workers
    if getattr(sys, "frozen", False):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, 4) if cores > 1 else 0


class _Readers:
    """Reads batches of files, in worker processes once started, else here; results in order."""

    def __init__(self, table: Any, workers: int) -> None:
        self.table = table
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.ahead = 0  # batches given out before the first is counted
        # What a pool that failed raises: the pool's own error joins them once there is a pool.
        self.submit_errors: tuple[type[BaseException], ...] = (RuntimeError,)
        self.result_errors: tuple[type[BaseException], ...] = (CancelledError, OSError, EOFError)

    def start(self) -> None:
        if self.workers < 1:
            return
        # Processes are loaded only here: a build without them (the standalone program, whose
        # workers would start the app again) reads every folder in its one process.
        try:
            with warnings.catch_warnings():  # pygal's import hook is of the old kind: the warning is its own
                warnings.simplefilter("ignore", ImportWarning)
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor
                from concurrent.futures.process import BrokenProcessPool
        except ImportError:
            self.workers = 0
            return
        from wizard.stats import fastread

        self.submit_errors += (BrokenProcessPool,)
        self.result_errors += (BrokenProcessPool,)
        try:
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=fastread.set_worker_table,
                initargs=(self.table,),
            )
        except (OSError, ValueError, NotImplementedError, ImportError):
            self.pool = None  # no processes here (a sandbox, no semaphores): read in this one
            self.workers = 0
            return
        self.ahead = 2 * self.workers

    def submit(self, names: list[str]) -> Any:
        from wizard.stats.fastread import read_files, read_worker_batch

        if self.pool is not None and names:
            try:
                return (names, self.pool.submit(read_worker_batch, names))
            except self.submit_errors:
                self._give_up()
        return (names, read_files(names, self.table))

    def results(self, handed: Any) -> list[Any]:
        from wizard.stats.fastread import read_files

        names, results = handed
        if isinstance(results, Future):
            try:
                return list(results.result())
            except self.result_errors:
                self._give_up()  # a worker died (the batches given out after are cancelled): read here
                return read_files(names, self.table)
        return list(results)

    def _give_up(self) -> None:
        pool, self.pool = self.pool, None
        self.workers = 0
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _plain_file(path: Path) -> tuple[os.stat_result | None, str]:
    """The file's status, or why a path is not read as a case: a FIFO would block, a device never
    ends, a huge file is not one."""
    try:
        found = path.stat()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}"
    if not stat.S_ISREG(found.st_mode):
        return None, "not a regular file"
    if found.st_size > MAX_FILE_BYTES:
        return None, f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most a case file may be"
    return found, ""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "…"


def collect(
    flowset: FlowSet,
    query: Query,
    *,
    store: Any | None = None,
    folders: Sequence[Path] = (),
    progress: Progress | None = None,
) -> Tally:
    """Count the store (first) and then each folder."""
    tally = Tally(query)
    if store is not None:
        add_store(tally, store, flowset, progress)
    for folder in folders:
        add_folder(tally, folder, flowset, progress)
    return tally


# -- the figures --------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _outcome_row(counts: Counter[str]) -> dict[str, Any]:
    total = sum(counts[outcome] for outcome in OUTCOMES)
    return {"cases": total} | {outcome: counts[outcome] for outcome in OUTCOMES}


class Titles:
    """Node and flow titles in one language, from the loaded flows; a node they lack is 'unknown'."""

    def __init__(self, flowset: FlowSet, lang: str) -> None:
        self.flowset = flowset
        self.lang = lang

    def node(self, ref: NodeRef) -> str:
        if not self.flowset.has_node(ref):
            return ""
        return plain_text(self.flowset.node(ref).title.get(self.lang))

    def flow(self, flow_id: str) -> str:
        return plain_text(self.flowset.flow(flow_id).title.get(self.lang)) if flow_id in self.flowset else ""

    def known(self, ref: NodeRef) -> bool:
        return self.flowset.has_node(ref)

    def outcome(self, ref: NodeRef) -> str:
        if not self.flowset.has_node(ref):
            return UNKNOWN
        node = self.flowset.node(ref)
        if node.kind is not NodeKind.END or node.outcome is None:
            return UNKNOWN
        return {"escalate": "escalated"}.get(node.outcome.value, node.outcome.value)


def _node_ref(ref: str) -> NodeRef:
    flow, _, node = ref.partition("#")
    return NodeRef(flow, node)


def _node_fields(ref: str, titles: Titles) -> dict[str, Any]:
    node = _node_ref(ref)
    return {"flow": node.flow, "node": node.node, "title": titles.node(node), "known": titles.known(node)}


def _edge_order(edge: tuple[str, str]) -> str:
    """The order edges are listed in among equals (as when they were counted as NodeRef pairs)."""
    return str((_node_ref(edge[0]), _node_ref(edge[1])))


def _ranked(counter: Counter[str], titles: Titles, limit: int | None = TOP) -> list[dict[str, Any]]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [_node_fields(ref, titles) | {"count": count} for ref, count in ordered[:limit] if count]


def _ranked_texts(counter: Counter[str], key: str, limit: int = TOP) -> list[dict[str, Any]]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [{key: text, "count": count} for text, count in ordered[:limit]]


def report(
    tally: Tally, flowset: FlowSet, lang: str = "en", now: dt.datetime | None = None
) -> dict[str, Any]:
    """The figures as plain data (documented by docs/stats.schema.json); every writer starts here."""
    titles = Titles(flowset, lang)
    total = tally.cases
    query = tally.query
    per_flow = []
    for flow_id, counts in sorted(tally.per_flow.items(), key=lambda item: (-item[1].total(), item[0])):
        row = {"flow": flow_id, "title": titles.flow(flow_id)} | _outcome_row(counts)
        row["not_resolved_share"] = _rate(counts["not_resolved"], row["cases"])
        per_flow.append(row)
    steps = []
    for ref, seconds in tally.step_seconds.items():
        steps.append(
            _node_fields(ref, titles)
            | {
                "count": len(seconds),
                "median_s": round(median(seconds), 1),
                "p90_s": round(percentile(seconds, 0.9), 1),
            }
        )
    steps.sort(key=lambda row: (-row["median_s"], -row["p90_s"], row["flow"], row["node"]))
    feedback = []
    for (ref, version), kinds in sorted(
        tally.feedback.items(), key=lambda item: (-item[1].total(), item[0][0], item[0][1])
    ):
        feedback.append(
            _node_fields(ref, titles)
            | {
                "version": version,
                "unclear": kinds["unclear"],
                "wrong": kinds["wrong"],
                "comments": list(tally.comments.get((ref, version), [])),
            }
        )
    node_refs = set(tally.passed) | set(tally.ends) | set(tally.stops) | set(tally.changes)
    node_refs |= {ref for ref, _ in tally.feedback}
    feedback_per_node: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for (ref, _version), kinds in tally.feedback.items():
        feedback_per_node[ref].update(kinds)
    nodes = []
    for ref in sorted(node_refs):
        times = tally.step_seconds.get(ref)
        nodes.append(
            _node_fields(ref, titles)
            | {
                "passed": tally.passed[ref],
                "ended": tally.ends[ref],
                "stopped": tally.stops[ref],
                "changed": tally.changes[ref],
                "median_s": round(median(times), 1) if times else None,
                "p90_s": round(percentile(times, 0.9), 1) if times else None,
                "unclear": feedback_per_node[ref]["unclear"],
                "wrong": feedback_per_node[ref]["wrong"],
            }
        )
    unknown_nodes = sorted(ref for ref in node_refs if not titles.known(_node_ref(ref)))
    end_nodes = [
        row | {"outcome": titles.outcome(NodeRef(row["flow"], row["node"]))}
        for row in _ranked(tally.ends, titles)
    ]
    data: dict[str, Any] = {
        "kind": STATS_KIND,
        "format": STATS_FORMAT,
        "generated_at": (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds"),
        "lang": lang,
        "query": {
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
            "flow": query.flow,
            "by_agent": query.by_agent,
        },
        "sources": {
            "read": list(tally.sources),
            "cases": total,
            "duplicates": tally.duplicates,
            "outside_query": tally.out_of_query,
            "skipped": [{"source": item.source, "why": item.why} for item in tally.skipped],
        },
        "outcomes": {
            outcome: {"count": tally.outcomes[outcome], "rate": _rate(tally.outcomes[outcome], total)}
            for outcome in OUTCOMES
        },
        "per_day": [{"period": day} | _outcome_row(counts) for day, counts in sorted(tally.per_day.items())],
        "per_week": [
            {"period": week} | _outcome_row(counts) for week, counts in sorted(tally.per_week.items())
        ],
        "per_flow": per_flow,
        "per_language": _ranked_texts(tally.per_lang, "lang", limit=100),
        "end_nodes": end_nodes,
        "drop_offs": _ranked(tally.stops, titles),
        "answer_changes": _ranked(tally.changes, titles),
        "durations": {
            "cases": len(tally.case_seconds),
            "median_s": round(median(tally.case_seconds), 1) if tally.case_seconds else None,
            "p90_s": round(percentile(tally.case_seconds, 0.9), 1) if tally.case_seconds else None,
            "slowest_steps": steps[:TOP],
        },
        "searches": {
            "total": tally.searches,
            "top": _ranked_texts(tally.queries, "query"),
            "no_hit": _ranked_texts(tally.no_hit, "query"),
            "not_opened": _ranked_texts(tally.not_opened, "query"),
            "unknown_codes": _ranked_texts(tally.unknown_codes, "code"),
        },
        "feedback": feedback,
        "unknown_nodes": unknown_nodes,
        "nodes": nodes,
        "edges": [
            {"from": a, "to": b, "count": count}
            for (a, b), count in sorted(
                tally.edges.items(), key=lambda item: (-item[1], _edge_order(item[0]))
            )
        ],
    }
    if query.by_agent:
        data["per_agent"] = [
            {"agent": agent} | _outcome_row(counts)
            for agent, counts in sorted(tally.per_agent.items(), key=lambda item: (-item[1].total(), item[0]))
        ]
    return data


def statistics(
    flowset: FlowSet,
    query: Query | None = None,
    *,
    store: Any | None = None,
    folders: Iterable[Path] = (),
    lang: str = "en",
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Read the sources and return the report's data in one call."""
    tally = collect(flowset, query or Query(), store=store, folders=list(folders), progress=progress)
    return report(tally, flowset, lang, now)
