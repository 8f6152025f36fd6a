"""Case files read for the statistics only: straight from the parsed JSON to the summary of a case's
facts (`core.case_summary`), without restoring the case.

Restoring a case (`read_case_file`: the limits, the whole schema, `Case.from_json`, the walk checked
against the flows) costs about six times the parsing, and a team folder holds 100,000 files. The
statistics read only some fields; this reader checks those as strictly as the case reader does
(type, format, id, times and their range, the nodes against the loaded flows, the walk's path, the
sizes of lists and texts) and refuses a file with one `field: why` line. Fields the statistics never
read (notes, ticket, escalation, history details) are not checked here: a file that is broken only
there is counted, as its figures are sound; `import` still refuses it.

The summary made here is the very text `core.case_summary(read_case_file(path))` gives (a test
checks it over generated walks), so a folder gives the figures of the same cases in the store.

Nothing here needs the flows themselves, only a small table of their nodes (`node_table`), so a
worker process gets by with that table: see `read_files`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import stat
from typing import Any

from wizard.core.case import (
    CASE_FORMAT,
    CASE_KIND,
    FEEDBACK_KINDS,
    ID_PATTERN,
    MAX_FEEDBACK,
    MAX_FEEDBACK_COMMENT_CHARS,
    MAX_SEARCH_CHARS,
    MAX_SEARCHES,
)
from wizard.core.engine import SESSION_FORMAT
from wizard.core.limits import (
    MAX_AUDIT_VISITS,
    MAX_CASE_FILE_BYTES,
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    MAX_HISTORY,
    MAX_VISITS,
    time_problem,
)
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.core.redact import PERSONAL_FIELDS
from wizard.stats.core import SUMMARY_FORMAT, UNKNOWN, _code, _fold_query, _Redaction

# What the statistics need of a node: whether it is an end node and its outcome as counted, where
# each of its answers leads ("flow#node"), and how many actions it lists (for the ticks).
NodeInfo = tuple[bool, str | None, tuple[str, ...], int]
NodeTable = dict[tuple[str, str], NodeInfo]
# One file read: (size, time of change in ns, summary or None, why it was not read).
FileResult = tuple[int, int, str | None, str]

_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
_REF = re.compile(r"[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*\Z")  # as docs/case.schema.json has it
_ACTIONS = frozenset(
    ("start", "choose", "continue", "back", "forward", "jump", "change", "tick", "untick", "note", "restart")
)
_MISSING = object()
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_LANG_CHARS = 16
MAX_UNKNOWN_CODES = 10
_OUTCOMES = {"escalate": "escalated", "resolved": "resolved", "not_resolved": "not_resolved"}
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO put in place of a file must not hold the reader
_BINARY = getattr(os, "O_BINARY", 0)


def node_table(flowset: FlowSet) -> NodeTable:
    table: NodeTable = {}
    for flow in flowset:
        for node in flow.nodes.values():
            outcome = node.outcome.value if node.kind is NodeKind.END and node.outcome else None
            targets = tuple(str(NodeRef.parse(target, flow.id)) for target in node.targets())
            table[flow.id, node.id] = (
                node.kind is NodeKind.END,
                _OUTCOMES.get(outcome, outcome) if outcome else None,
                targets,
                len(node.steps),
            )
    return table


class Refused(ValueError):
    """A file that is no usable case; the message is one `field: why` line."""


def read_files(paths: list[str], table: NodeTable) -> list[FileResult]:
    """`read_file` over a batch."""
    return [read_file(path, table) for path in paths]


_worker_table: NodeTable = {}


def set_worker_table(table: NodeTable) -> None:
    """A worker process's start: the nodes of the flows loaded in the process that started it."""
    global _worker_table
    _worker_table = table


def read_worker_batch(paths: list[str]) -> list[FileResult]:
    """`read_files` in a worker process."""
    return read_files(paths, _worker_table)


def read_file(path: str, table: NodeTable) -> FileResult:
    """The summary of a case file's facts, or why it is not counted; never raises for bad input."""
    size = mtime = 0
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as exc:
        return size, mtime, None, f"cannot read the file: {exc.strerror or exc}"
    try:
        found = os.fstat(fd)
        size, mtime = found.st_size, found.st_mtime_ns
        if not stat.S_ISREG(found.st_mode):
            return size, mtime, None, "not a regular file"
        if size > MAX_CASE_FILE_BYTES:
            return size, mtime, None, _too_large()
        blocks: list[bytes] = []
        left = MAX_CASE_FILE_BYTES + 1
        while left > 0:
            block = os.read(fd, min(left, size + 1 if not blocks else 2**20))
            if not block:
                break
            blocks.append(block)
            left -= len(block)
        raw = b"".join(blocks)
    except OSError as exc:
        return size, mtime, None, f"cannot read the file: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if len(raw) > MAX_CASE_FILE_BYTES:
        return size, mtime, None, _too_large()
    try:
        return size, mtime, summary_of(parse(raw), table), ""
    except Refused as exc:
        return size, mtime, None, str(exc)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        OverflowError,
        RecursionError,
        MemoryError,
    ) as exc:
        # Not expected past the checks; still one line rather than a traceback.
        text = " ".join(str(exc).split()) or type(exc).__name__
        return size, mtime, None, f"not a usable case ({text[:200]})"


def _too_large() -> str:
    return f"larger than {MAX_CASE_FILE_BYTES // 2**20} MiB, the most a case file may be"


def parse(raw: bytes) -> Any:
    """The JSON of a case file, refused in the words of the case reader."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Refused("not a text file in UTF-8") from None
    except json.JSONDecodeError as exc:
        raise Refused(f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise Refused(
            f"(the whole file): nested more than {MAX_DEPTH} levels deep (a case has six)"
        ) from None


# -- checks of the fields read -------------------------------------------------------------------


def _text(
    data: dict[str, Any], key: str, where: str, limit: int = MAX_FIELD_CHARS, *, required: bool = False
) -> str:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if required:
            raise Refused(f"{where}{key}: missing")
        return ""
    if not isinstance(value, str):
        raise Refused(f"{where}{key}: expected text, got {type(value).__name__}")
    if len(value) > limit:
        raise Refused(f"{where}{key}: {len(value):,} characters; at most {limit:,}")
    if _SURROGATE.search(value) is not None:
        raise Refused(f"{where}{key}: holds a lone surrogate, which is not Unicode text")
    return value


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        return {}
    if not isinstance(value, dict):
        raise Refused(f"{key}: expected an object, got {type(value).__name__}")
    return value


def _list(data: dict[str, Any], key: str, where: str, limit: int) -> list[Any]:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        return []
    if not isinstance(value, list):
        raise Refused(f"{where}{key}: expected a list, got {type(value).__name__}")
    if len(value) > limit:
        raise Refused(f"{where}{key}: {len(value):,} entries; at most {limit:,}")
    return value


def _item(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Refused(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _time(value: Any, where: str) -> dt.datetime:
    """A case's time as the case reader takes it: an offset kept, none read as UTC."""
    if not isinstance(value, str):
        raise Refused(f"{where}: expected an ISO 8601 time as text, got {type(value).__name__}")
    if _TIME.match(value) is not None:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            # Years well inside 1970–2999 are in range whatever the offset; the edges are checked fully.
            if "1970" < value[:4] < "2999" or time_problem(value) is None:
                return moment
            raise Refused(f"{where}: {time_problem(value)}")
    raise Refused(f"{where}: '{value[:40]}' is not an ISO 8601 time such as 2026-11-26T09:30:00Z")


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _ref(data: dict[str, Any], key: str, where: str) -> str | None:
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or _REF.match(raw) is None:
        raise Refused(f"{where}.{key}: expected a node as 'flow#node' or null")
    return raw


def _node(data: dict[str, Any], where: str, table: NodeTable) -> tuple[str, NodeInfo]:
    flow, node = data.get("flow"), data.get("node")
    if not isinstance(flow, str) or not isinstance(node, str):
        raise Refused(f"{where}: expected the node's flow and id as text")
    info = table.get((flow, node))
    if info is None:
        raise Refused(f"{where}: there is no node '{flow}#{node}' in the loaded flows")
    return f"{flow}#{node}", info


def _choice(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Refused(f"{where}.choice: expected a whole number from 0 or null")
    return value


# -- the summary -----------------------------------------------------------------------------------


def summary_of(data: Any, table: NodeTable) -> str:
    """`core.case_summary` of the case these data restore to; Refused when they do not restore."""
    if not isinstance(data, dict):
        raise Refused(f"(the whole file): expected a case object, got {type(data).__name__}")
    if data.get("kind") != CASE_KIND:
        raise Refused(f"kind: expected '{CASE_KIND}', this is not a saved case")
    version = data.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Refused("format: missing or not a whole number")
    if version > CASE_FORMAT:
        raise Refused(
            f"format: the case was saved in format {version}, newer than this app reads "
            f"({CASE_FORMAT}); update the app"
        )
    if version < 1:
        raise Refused(f"format: {version} is not a case format")
    case_id = _text(data, "id", "", required=True)
    if not ID_PATTERN.match(case_id):
        raise Refused(f"id: '{case_id[:40]}' is not a case id like TW-20261126-0930-K7Q")
    agent = _text(data, "agent", "")
    groups = {"user": _object(data, "user"), "device": _object(data, "device")}
    values = [_text(groups[group], key, f"{group}.").strip() for group, key in PERSONAL_FIELDS]
    personal = [value for value in values if value]
    user_name = _text(groups["user"], "name", "user.")
    started = _utc(_time(data.get("started_at"), "started_at"))
    updated = _utc(_time(data["updated_at"], "updated_at")) if "updated_at" in data else started
    if data.get("ended_at") is not None:
        _time(data["ended_at"], "ended_at")
    lang = _text(data, "lang", "", MAX_LANG_CHARS)

    searches = []
    for index, item in enumerate(_list(data, "searches", "", MAX_SEARCHES)):
        where = f"searches[{index}]"
        record = _item(item, where)
        query = _text(record, "query", f"{where}.", MAX_SEARCH_CHARS, required=True)
        codes = record.get("unknown_codes", [])
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise Refused(f"{where}.unknown_codes: expected a list of texts")
        if len(codes) > MAX_UNKNOWN_CODES:
            raise Refused(f"{where}.unknown_codes: {len(codes)} entries; at most {MAX_UNKNOWN_CODES}")
        _time(record.get("at"), f"{where}.at")
        search_lang = _text(record, "lang", f"{where}.", MAX_CASE_FILE_BYTES)  # no limit but the file's
        hit, opened = _ref(record, "hit", where), _ref(record, "opened", where)
        searches.append((query, search_lang, hit is not None, opened is not None, codes))
    notes = []
    for index, item in enumerate(_list(data, "feedback", "", MAX_FEEDBACK)):
        where = f"feedback[{index}]"
        record = _item(item, where)
        ref = _ref(record, "node", where)
        if ref is None:
            raise Refused(f"{where}.node: missing")
        kind = _text(record, "kind", f"{where}.", required=True)
        if kind not in FEEDBACK_KINDS:
            raise Refused(f"{where}.kind: '{kind[:40]}' is not one of {', '.join(FEEDBACK_KINDS)}")
        comment = _text(record, "comment", f"{where}.", MAX_FEEDBACK_COMMENT_CHARS)
        note_version = record.get("version", 1)
        if not isinstance(note_version, int) or isinstance(note_version, bool) or note_version < 1:
            raise Refused(f"{where}.version: expected a whole number from 1")
        _time(record.get("at"), f"{where}.at")
        notes.append((ref, note_version, kind, comment))

    walk = _walk(data.get("session"), table)
    visits, start, position, changed = walk

    # The facts, as `core.case_facts` works them out from the restored case.
    last_ref, last_info, last_entered = visits[-1][0], visits[-1][1], visits[-1][2]
    ended = last_info[0]
    outcome = (last_info[1] or "abandoned") if ended else "abandoned"
    problem_flow = next(
        (ref.partition("#")[0] for ref, info, *_ in reversed(visits) if not info[0]),
        last_ref.partition("#")[0],
    )
    walked = [visit for visit in visits if not visit[5]]
    passed = [visit[0] for visit in walked]
    edges = [[before[0], after[0]] for before, after in itertools.pairwise(visits) if not after[5]]
    steps = [
        [ref, max(0.0, (left - entered).total_seconds())]
        for ref, _info, entered, left, _choice, _inferred in walked
        if left is not None
    ]
    duration = None
    if ended:
        first = walked[0] if walked else visits[0]
        duration = max(0.0, (last_entered - first[2]).total_seconds())

    def facts_texts(redaction: _Redaction) -> tuple[list[str], list[str]]:
        return (
            [_fold_query(redaction.text(query)) for query, *_ in searches],
            [redaction.text(comment).strip() for *_, comment in notes],
        )

    plain = _Redaction([*personal, *([agent] if agent.strip() else [])], user_name)
    queries, comments = facts_texts(plain)
    named_queries, named_comments = queries, comments
    folded_agent = agent.strip().casefold()
    texts = [query for query, *_ in searches] + [comment for *_, comment in notes]
    if folded_agent and any(folded_agent in text.casefold() for text in texts):
        named_queries, named_comments = facts_texts(_Redaction(personal, user_name))
    record_out = {
        "v": SUMMARY_FORMAT,
        "key": [case_id, started.isoformat(), start],
        "started": started.isoformat(),
        "updated": updated.isoformat(),
        "flow": problem_flow,
        "flows": sorted({ref.partition("#")[0] for ref, *_ in visits}),
        "lang": lang or next((search[1] for search in searches if search[1]), "") or UNKNOWN,
        "agent": agent.strip(),
        "outcome": outcome,
        "end": last_ref if ended else None,
        "stopped": visits[position][0] if not ended else None,
        "duration": duration,
        "passed": passed,
        "edges": edges,
        "steps": steps,
        "changed": changed,
        "searches": [
            [query, named if named != query else None, hit, opened, [_code(code) for code in codes]]
            for query, named, (_q, _l, hit, opened, codes) in zip(
                queries, named_queries, searches, strict=True
            )
        ],
        "feedback": [
            [ref, note_version, kind, comment, named if named != comment else None]
            for comment, named, (ref, note_version, kind, _c) in zip(
                comments, named_comments, notes, strict=True
            )
        ],
    }
    text = json.dumps(record_out, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a JSON escape such as \ud800) in a search or comment: not text.
        raise Refused(
            "a search or feedback comment holds a lone surrogate, which is not Unicode text"
        ) from None
    return text


Visit = tuple[str, NodeInfo, dt.datetime, dt.datetime | None, int | None, bool]


def _walk(session: Any, table: NodeTable) -> tuple[list[Visit], str, int, list[str]]:
    """The visits, start, position and answers changed of a saved walk, checked as the case reader
    checks them: every node in the loaded flows, every answer and tick one the node has, the visits
    a path."""
    if session is None:
        raise Refused("session: missing (the walk itself)")
    if (
        not isinstance(session, dict)
        or type(session.get("format")) is not int
        or session["format"] != SESSION_FORMAT
    ):
        raise Refused(f"session: not a saved walk of format {SESSION_FORMAT}")
    start = session.get("start")
    if not isinstance(start, str):
        raise Refused("session.start: expected a node as 'flow#node'")
    flow, sep, node = start.partition("#")
    if not sep or (flow, node) not in table:
        raise Refused(
            f"session.start: there is no node '{start if sep else '#' + start}' in the loaded flows"
        )
    position = session.get("position")
    if not isinstance(position, int) or isinstance(position, bool):
        raise Refused("session.position: expected a whole number")
    raw_visits = _list(session, "visits", "session.", MAX_VISITS)
    if not raw_visits or not 0 <= position < len(raw_visits):
        raise Refused("session: the saved walk has no current step")
    visits: list[Visit] = []
    for index, item in enumerate(raw_visits):
        visits.append(_visit(item, f"session.visits[{index}]", table))
    for index in range(1, len(visits)):
        before, here = visits[index - 1], visits[index]
        if before[4] is None:
            raise Refused(
                f"session.visits[{index}]: '{here[0]}' follows '{before[0]}', which has no answer "
                "recorded (choice is null); the visits do not form a path"
            )
        if before[1][2][before[4]] != here[0]:
            raise Refused(
                f"session.visits[{index}]: '{here[0]}' does not follow from '{before[0]}', whose "
                f"answer {before[4]} leads to '{before[1][2][before[4]]}'; the visits do not form a path"
            )
    changed = []
    for index, item in enumerate(_list(session, "history", "session.", MAX_HISTORY)):
        where = f"session.history[{index}]"
        event = _item(item, where)
        ref, _info = _node(event, where, table)
        _time(event.get("at"), f"{where}.at")
        action = event.get("action")
        if action not in _ACTIONS:
            raise Refused(f"{where}.action: {str(action)[:40]!r} is not one of {', '.join(sorted(_ACTIONS))}")
        if action == "change":
            changed.append(ref)
    kept = 0
    for index, item in enumerate(_list(session, "audit", "session.", MAX_AUDIT_VISITS)):
        where = f"session.audit[{index}]"
        entry = _item(item, where)
        _time(entry.get("at"), f"{where}.at")
        discarded = _list(entry, "visits", f"{where}.", MAX_AUDIT_VISITS)
        kept += len(discarded)
        if kept > MAX_AUDIT_VISITS:
            raise Refused(f"session.audit: more than {MAX_AUDIT_VISITS:,} visits kept")
        for number, item in enumerate(discarded):
            # Not read by the statistics: checked as far as the case reader checks the audit
            # against the flows (a node they know), and for a time when it was entered.
            visit_where = f"{where}.visits[{number}]"
            _node(_item(item, visit_where), visit_where, table)
            _time(item.get("entered_at"), f"{visit_where}.entered_at")
    return visits, start, position, changed


def _visit(item: Any, where: str, table: NodeTable) -> Visit:
    visit = _item(item, where)
    ref, info = _node(visit, where, table)
    entered = _time(visit.get("entered_at"), f"{where}.entered_at")
    left_raw = visit.get("left_at")
    left = None if left_raw is None else _time(left_raw, f"{where}.left_at")
    choice = _choice(visit.get("choice"), where)
    if choice is not None and choice >= len(info[2]):
        raise Refused(f"{where}.choice: the saved answer at '{ref}' no longer exists in the flow")
    ticked = visit.get("ticked", [])
    if not isinstance(ticked, list) or any(
        not isinstance(tick, int) or isinstance(tick, bool) or not 0 <= tick < info[3] for tick in ticked
    ):
        raise Refused(f"{where}.ticked: the saved ticks at '{ref}' do not match the flow's steps")
    inferred = visit.get("inferred", False)
    if not isinstance(inferred, bool):
        raise Refused(f"{where}.inferred: expected true or false")
    return ref, info, _utc(entered), None if left is None else _utc(left), choice, inferred
