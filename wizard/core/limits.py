"""How big a case may be: limits far above any real case, so a broken or hostile case file is refused
with one clear line instead of freezing the window or an export.

A real walk passes a few dozen steps, its notes hold a few thousand characters and its file is tens of
kilobytes. The limits below leave a wide margin above that and stay where every export of a case at
the limits still takes seconds (benchmarks/bench_limits.py measures it). They are documented in
docs/case.schema.json (maxLength, maxItems) and in the README; a case file is checked against them by
`case_data_problems` before anything else reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

# A case file: the largest real one is well under 100 KiB; notes and history at their limits fit too.
MAX_CASE_FILE_BYTES = 8 * 2**20
# JSON nesting: a case is six levels deep (session.audit[i].visits[j].ticked[k]); deeper is not a case.
MAX_DEPTH = 16
# One note (a step's note, the general note, the escalation reason): a long pasted log still fits.
MAX_NOTE_CHARS = 100_000
# All the notes of the walk together (steps on the path and ahead, general note, escalation reason),
# about 60 printed pages; the notes kept in the audit trail have the same budget of their own.
MAX_NOTES_TOTAL_CHARS = 200_000
# Short fields typed in one line (ticket, agent, names, UPN, device fields, escalated to): a UPN is at
# most 113 characters in Microsoft Entra ID, a device name 15 (NetBIOS) to 63 (DNS label).
MAX_FIELD_CHARS = 256
# Words the app writes itself (history details, audit reasons) quote at most a choice's label.
MAX_DETAIL_CHARS = 1_000
# Visits on the path (and kept ahead after a step back): a flow is walked in tens of steps.
MAX_VISITS = 1_000
# Visits kept in the audit trail, over all its entries together, and its entries.
MAX_AUDIT_VISITS = 1_000
# History entries: every answer, step back, tick and burst of typing is one.
MAX_HISTORY = 20_000
# Times: no case was taken before 1970 or will be after 2999; beyond them, dates cannot be shown in
# every time zone (year 1 minus an offset, year 9999 plus one, pre-1970 local times on Windows).
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)

# Text layout: Qt looks for the end of a word each time it wraps one, so a run without a break
# opportunity (a pasted token or log line) costs time in the square of its length. Runs this long are
# laid out by other means: the PDF writer cuts them into lines, a note field wraps anywhere while it
# holds one. No-break spaces join words as far as line breaking goes, so they count as part of a run.
LONG_RUN = 1_000
LONG_RUN_PATTERN = re.compile(rf"(?:[^\s]|[\u00a0\u2007\u202f]){{{LONG_RUN},}}")


def has_long_run(text: str) -> bool:
    return len(text) >= LONG_RUN and LONG_RUN_PATTERN.search(text) is not None


SHORT_FIELDS = (
    ("agent",),
    ("ticket",),
    ("user", "name"),
    ("user", "upn"),
    ("device", "name"),
    ("device", "platform"),
    ("device", "os_version"),
    ("device", "serial"),
    ("device", "imei"),
    ("escalation", "to"),
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def case_data_problems(data: Any) -> list[str]:
    """Every way parsed case data breaks the limits, one 'field path: why' line each.

    Checks only what the limits say (size, depth, text that is not text, times out of range), and
    only where the data has the expected shape: the schema check that follows reports the rest.
    """
    problems = _nesting_problems(data)
    if problems or not isinstance(data, dict):
        return problems
    for path in SHORT_FIELDS:
        _check_length(problems, data, path, MAX_FIELD_CHARS)
    for path in (("general_note",), ("escalation", "reason")):
        _check_length(problems, data, path, MAX_NOTE_CHARS)
    for key in ("started_at", "updated_at", "ended_at"):
        _check_time(problems, key, data.get(key))
    session = data.get("session")
    if not isinstance(session, dict):
        return problems
    visits = session.get("visits")
    if isinstance(visits, list):
        if len(visits) > MAX_VISITS:
            problems.append(f"session.visits: {len(visits):,} visits; at most {MAX_VISITS:,}")
        else:
            walk_notes = sum(
                _text_length(data, path) for path in (("general_note",), ("escalation", "reason"))
            )
            walk_notes += _visit_problems(problems, "session.visits", visits)
            if walk_notes > MAX_NOTES_TOTAL_CHARS:
                problems.append(
                    f"session.visits: the notes and the general note hold {walk_notes:,} characters "
                    f"in all; at most {MAX_NOTES_TOTAL_CHARS:,}"
                )
    history = session.get("history")
    if isinstance(history, list):
        if len(history) > MAX_HISTORY:
            problems.append(f"session.history: {len(history):,} entries; at most {MAX_HISTORY:,}")
        else:
            for index, event in enumerate(history):
                if isinstance(event, dict):
                    _check_time(problems, f"session.history[{index}].at", event.get("at"))
                    _check_length(
                        problems, event, ("detail",), MAX_DETAIL_CHARS, f"session.history[{index}]."
                    )
    audit = session.get("audit")
    if isinstance(audit, list):
        _audit_problems(problems, audit)
    return problems


def _audit_problems(problems: list[str], audit: list[Any]) -> None:
    entries = [entry for entry in audit if isinstance(entry, dict)]
    count = sum(len(entry["visits"]) for entry in entries if isinstance(entry.get("visits"), list))
    if len(audit) > MAX_AUDIT_VISITS or count > MAX_AUDIT_VISITS:
        problems.append(f"session.audit: {count:,} visits kept; at most {MAX_AUDIT_VISITS:,}")
        return
    notes = 0
    for index, entry in enumerate(audit):
        if not isinstance(entry, dict):
            continue
        prefix = f"session.audit[{index}]"
        _check_time(problems, f"{prefix}.at", entry.get("at"))
        _check_length(problems, entry, ("reason",), MAX_DETAIL_CHARS, f"{prefix}.")
        if isinstance(entry.get("visits"), list):
            notes += _visit_problems(problems, f"{prefix}.visits", entry["visits"])
    if notes > MAX_NOTES_TOTAL_CHARS:
        problems.append(
            f"session.audit: the notes kept hold {notes:,} characters in all; at most {MAX_NOTES_TOTAL_CHARS:,}"
        )


def _visit_problems(problems: list[str], prefix: str, visits: list[Any]) -> int:
    """Checks each visit's note and times; returns the length of their notes together."""
    total = 0
    for index, visit in enumerate(visits):
        if not isinstance(visit, dict):
            continue
        here = f"{prefix}[{index}]"
        _check_time(problems, f"{here}.entered_at", visit.get("entered_at"))
        _check_time(problems, f"{here}.left_at", visit.get("left_at"))
        _check_length(problems, visit, ("note",), MAX_NOTE_CHARS, f"{here}.")
        total += _text_length(visit, ("note",))
    return total


def _text_length(data: dict[str, Any], path: tuple[str, ...]) -> int:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return len(value) if isinstance(value, str) else 0


def _check_length(
    problems: list[str], data: dict[str, Any], path: tuple[str, ...], limit: int, prefix: str = ""
) -> None:
    length = _text_length(data, path)
    if length > limit:
        problems.append(f"{prefix}{'.'.join(path)}: {length:,} characters; at most {limit:,}")


def time_problem(raw: str) -> str | None:
    """Why an ISO 8601 time cannot be a case's time, or None when it can."""
    try:
        in_range = _in_range(raw)
    except ValueError:
        return f"'{raw[:40]}' is not an ISO 8601 time such as 2026-11-26T09:30:00Z"
    return None if in_range else OUT_OF_RANGE.format(raw=raw[:40])


OUT_OF_RANGE = "'{raw}' is out of range; a case's times lie in the years 1970 to 2999"


def _in_range(raw: str) -> bool:
    """Whether the time lies between EARLIEST and LATEST; ValueError when it is no ISO 8601 time."""
    parsed = dt.datetime.fromisoformat(raw)
    try:
        moment = parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    except OverflowError:  # year 1 with a positive offset, year 9999 with a negative one
        return False
    return EARLIEST <= moment < LATEST


def _check_time(problems: list[str], where: str, raw: Any) -> None:
    """Times out of range; a time that is no time at all is the schema's to report, in its words."""
    if not isinstance(raw, str):
        return
    try:
        if not _in_range(raw):
            problems.append(f"{where}: {OUT_OF_RANGE.format(raw=raw[:40])}")
    except ValueError:
        pass


def _nesting_problems(data: Any) -> list[str]:
    """Too deep a nesting and text that is not Unicode text (a lone surrogate such as \\ud800 from a
    JSON escape cannot be saved or shown), found without recursion.

    One pass over the containers finds both; only when it finds one is the data walked again to
    name the field.
    """
    texts: list[str] = []
    stack: list[tuple[Any, int]] = [(data, 0)] if isinstance(data, dict | list) else []
    too_deep = False
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            too_deep = True
            break
        items = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict):
            texts.extend(value)  # keys of parsed JSON are text
        for item in items:
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1))
    if isinstance(data, str):
        texts.append(data)
    if not too_deep and not _SURROGATE.search("\n".join(texts)):
        return []
    return _located_nesting_problems(data)


def _located_nesting_problems(data: Any) -> list[str]:
    problems: list[str] = []
    for path, value, depth in _walk(data):
        if depth > MAX_DEPTH:
            return [f"{_dotted(path)}: nested more than {MAX_DEPTH} levels deep (a case has six)"]
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                problems.append(
                    f"{_dotted(path) or '(the whole file)'}: holds a lone surrogate "
                    f"(\\u{ord(found.group()):04x} at character {found.start() + 1:,}), not text"
                )
    return problems


def _walk(data: Any) -> Iterator[tuple[tuple[str | int, ...], Any, int]]:
    stack: list[tuple[tuple[str | int, ...], Any, int]] = [((), data, 0)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        if depth > MAX_DEPTH:
            return
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if isinstance(key, str) and _SURROGATE.search(key):
                    yield (*path, key), key, depth + 1
                stack.append(((*path, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                ((*path, index), item, depth + 1) for index, item in reversed(list(enumerate(value)))
            )


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, str):  # a key may hold the surrogate itself: write it as its escape
            part = _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", part)
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
