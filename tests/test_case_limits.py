"""Case files beyond the limits or against the flows: refused with 'field path: why' by `import` and by
the reading function the window's Replay uses, never a traceback; a case at the limits is accepted
and exports to every format."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from wizard import cli
from wizard.core.case import Case
from wizard.core.library import load_library
from wizard.core.limits import (
    MAX_CASE_FILE_BYTES,
    MAX_FIELD_CHARS,
    MAX_HISTORY,
    MAX_NOTE_CHARS,
    MAX_NOTES_TOTAL_CHARS,
    MAX_VISITS,
)
from wizard.export import export_case
from wizard.export.json_case import CaseFileError, read_case_file, to_json_text
from wizard.store.cases import CaseStore

REPO = Path(__file__).resolve().parents[1]
WINDOWS = REPO / "docs" / "examples" / "case-windows-0x8007064c.json"

Change = Callable[[dict[str, Any]], object]


def _swap_visits(data: dict[str, Any]) -> None:
    visits = data["session"]["visits"]
    visits[2], visits[3] = visits[3], visits[2]


def _many_visits(data: dict[str, Any]) -> None:
    visits = data["session"]["visits"]
    data["session"]["visits"] = [visits[0]] * (MAX_VISITS + 1)


def _notes_over_budget(data: dict[str, Any]) -> None:
    per_note = MAX_NOTES_TOTAL_CHARS // 6 + 1
    for visit in data["session"]["visits"][:6]:
        visit["note"] = "word " * (per_note // 5 + 1)


CASES: list[tuple[str, Change, str]] = [
    (
        "surrogate",
        lambda d: d["session"]["visits"][2].update(note="ok \ud800 then"),
        "session.visits[2].note: holds a lone surrogate (\\ud800 at character 4), not text",
    ),
    (
        "a surrogate in a key",
        lambda d: d["flows"].update({"x\ud800": 1}),
        "flows.x\\ud800: holds a lone surrogate (\\ud800 at character 2), not text",
    ),
    (
        "year 1 with an offset",
        lambda d: d.update(started_at="0001-01-01T00:00:00+01:00"),
        "started_at: '0001-01-01T00:00:00+01:00' is out of range; a case's times lie in the years 1970 to 2999",
    ),
    (
        "year 1 in a visit",
        lambda d: d["session"]["visits"][1].update(entered_at="0001-01-01T00:30:00+01:00"),
        "session.visits[1].entered_at: '0001-01-01T00:30:00+01:00' is out of range",
    ),
    (
        "year 9999 minus an offset",
        lambda d: d["session"]["history"][0].update(at="9999-12-31T23:59:59-23:59"),
        "session.history[0].at: '9999-12-31T23:59:59-23:59' is out of range",
    ),
    (
        "start names a missing node",
        lambda d: d["session"].update(start="windows#no-such-node"),
        "session.start: there is no node 'windows#no-such-node' in the loaded flows",
    ),
    (
        "history names a missing node",
        lambda d: d["session"]["history"][1].update(node="no-such-node"),
        "session.history[1]: there is no node 'start#no-such-node' in the loaded flows",
    ),
    (
        "audit names a missing node",
        lambda d: d["session"]["audit"].append(
            {
                "at": d["started_at"],
                "reason": "restart",
                "visits": [{**d["session"]["visits"][0], "node": "gone"}],
            }
        ),
        "session.audit[0].visits[0]: there is no node 'start#gone' in the loaded flows",
    ),
    (
        "visits out of order",
        _swap_visits,
        "session.visits[2]: 'windows#already-enrolled-certificate' does not follow from 'windows#symptom', "
        "whose answer 1 leads to 'windows#already-enrolled'; the visits do not form a path",
    ),
    (
        "a visit left without an answer",
        lambda d: d["session"]["visits"][1].update(choice=None),
        "session.visits[2]: 'windows#already-enrolled' follows 'windows#symptom', which has no answer "
        "recorded (choice is null); the visits do not form a path",
    ),
    (
        "a note too long",
        lambda d: d["session"]["visits"][3].update(note="x" * (MAX_NOTE_CHARS + 1)),
        f"session.visits[3].note: {MAX_NOTE_CHARS + 1:,} characters; at most {MAX_NOTE_CHARS:,}",
    ),
    (
        "the general note too long",
        lambda d: d.update(general_note="x" * (MAX_NOTE_CHARS + 5)),
        f"general_note: {MAX_NOTE_CHARS + 5:,} characters; at most {MAX_NOTE_CHARS:,}",
    ),
    (
        "all notes together too long",
        _notes_over_budget,
        "session.visits: the notes and the general note hold",
    ),
    (
        "a field too long",
        lambda d: d["user"].update(upn="a" * (MAX_FIELD_CHARS + 1)),
        f"user.upn: {MAX_FIELD_CHARS + 1} characters; at most {MAX_FIELD_CHARS}",
    ),
    (
        "too many visits",
        _many_visits,
        f"session.visits: {MAX_VISITS + 1:,} visits; at most {MAX_VISITS:,}",
    ),
    (
        "too long a history",
        lambda d: d["session"].update(history=d["session"]["history"][:1] * (MAX_HISTORY + 1)),
        f"session.history: {MAX_HISTORY + 1:,} entries; at most {MAX_HISTORY:,}",
    ),
]


def write(tmp_path: Path, change: Change) -> Path:
    data = json.loads(WINDOWS.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_CASE_FILE_BYTES + 1))
    return path


RAW: list[tuple[str, Callable[[Path], Path], str]] = [
    ("nested 100,000 deep", deep, "(the whole file): nested more than 16 levels deep (a case has six)"),
    ("larger than the file limit", huge, "(the whole file): larger than 8 MiB, the most a case file may be"),
]


def run_import(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = cli.main(["import", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused_by_import(capsys: pytest.CaptureFixture[str], path: Path, message: str) -> None:
    code, out, err = run_import(capsys, path)
    assert (code, out) == (1, ""), err
    assert f"{path}: " in err and message in err, err
    assert "Traceback" not in err
    with CaseStore() as store:
        assert store.count() == 0


@pytest.mark.parametrize(("name", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_import_refuses_with_field_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, change: Change, message: str
) -> None:
    assert_refused_by_import(capsys, write(tmp_path, change), message)


@pytest.mark.parametrize(("name", "make", "message"), RAW, ids=[r[0] for r in RAW])
def test_import_refuses_files_that_are_no_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: Callable[[Path], Path], message: str
) -> None:
    assert_refused_by_import(capsys, make(tmp_path), message)


@pytest.mark.parametrize(("name", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_reading_for_replay_refuses_with_field_and_why(
    tmp_path: Path, builtin_flowset: Any, name: str, change: Change, message: str
) -> None:
    with pytest.raises(CaseFileError) as refused:
        read_case_file(write(tmp_path, change), builtin_flowset)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems


@pytest.mark.parametrize(("name", "make", "message"), RAW, ids=[r[0] for r in RAW])
def test_reading_for_replay_refuses_files_that_are_no_case(
    tmp_path: Path, builtin_flowset: Any, name: str, make: Callable[[Path], Path], message: str
) -> None:
    with pytest.raises(CaseFileError) as refused:
        read_case_file(make(tmp_path), builtin_flowset)
    assert refused.value.problems == [message]


# -- a case at the limits ---------------------------------------------------------------------------

LOOP_FLOW = """\
id: loop
version: 1
title: {sv: "Slinga", en: "Loop"}
description: {sv: "Samma fråga om och om igen", en: "The same question again and again"}
platforms: [general]
entry: ask
nodes:
  - id: ask
    kind: question
    title: {sv: "Igen?", en: "Again?"}
    choices:
      - label: {sv: "Ja", en: "Yes"}
        next: ask
      - label: {sv: "Nej", en: "No"}
        next: done
  - id: done
    kind: end
    outcome: resolved
    title: {sv: "Klart", en: "Done"}
"""

# A pasted token: no space, so nothing to wrap at but "anywhere"; longer than LONG_RUN, and short
# enough to stay on one page (Qt writes the last line of a page into the next page's text layer too,
# clipped, so text copied across a page break repeats a line).
TOKEN = "".join(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i * 7 % 64] for i in range(3_000)
)


def case_at_limits(tmp_path: Path) -> tuple[Path, Any]:
    """MAX_VISITS visits of a question answered 'again', notes filling the budget exactly, one of
    them a whole note without a space, the fields at their limits."""
    from wizard.core.engine import Session
    from wizard.core.model import NodeRef

    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "loop.yaml").write_text(LOOP_FLOW, encoding="utf-8")
    library = load_library([flows])
    assert not library.errors, library.errors
    session = Session(library.flowset, NodeRef("loop", "ask"))
    while len(session.visits) < MAX_VISITS:
        session.choose(0)
    case = Case.for_session(session, agent="Maria Ek")
    case.user.name = "Anna Svensson"
    case.ticket = "T" * MAX_FIELD_CHARS
    case.device.serial = "S" * MAX_FIELD_CHARS
    session.visits[-1].note = (TOKEN * (MAX_NOTE_CHARS // len(TOKEN) + 1))[:MAX_NOTE_CHARS]
    rest = MAX_NOTES_TOTAL_CHARS - MAX_NOTE_CHARS
    case.general_note = ("Anna Svensson ringde igen. " * 2_000)[: rest // 2]
    left = rest - len(case.general_note)
    per_visit = left // (MAX_VISITS - 1)
    for visit in session.visits[:-1]:
        visit.note = ("Anna " * per_visit)[:per_visit]
    session.visits[0].note += "x" * (left - per_visit * (MAX_VISITS - 1))
    assert case.note_room(session.position) == MAX_NOTE_CHARS and case.note_room(None) == len(
        case.general_note
    )
    path = tmp_path / "at-limits.json"
    path.write_text(to_json_text(case), encoding="utf-8")
    return path, library.flowset


def test_a_case_at_the_limits_is_imported_and_exports_to_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    path, flowset = case_at_limits(tmp_path)
    monkeypatch.setenv("WIZARD_FLOWS_PATH", str(tmp_path / "flows"))
    code, out, err = run_import(capsys, path)
    assert (code, err) == (0, ""), err
    case, warnings = read_case_file(path, flowset)
    assert warnings == [] and len(case.visits) == MAX_VISITS and out.strip() == case.id
    for fmt in ("md", "html", "txt", "json"):
        for redact in (False, True):
            text = export_case(case, fmt, "en", redact=redact).decode("utf-8")
            assert TOKEN in "".join(text.split())  # the text export wraps it
            assert ("Anna" in text) is not redact
    pdf = PdfReader(io.BytesIO(export_case(case, "pdf", "en", redact=True)))
    assert len(pdf.pages) > 50
    assert "Anna" not in pdf.pages[0].extract_text()


def test_a_long_run_without_spaces_copies_out_of_the_pdf_unchanged(qapp: QApplication) -> None:
    """The run is cut into lines where the page wraps it, and nowhere else: joined, the lines copied
    out of the PDF hold the run; each of its lines but the last fills the line."""
    from wizard.export.document import text_span
    from wizard.export.html import html_page, spans_html
    from wizard.export.pdf import LINE_SEPARATOR, html_to_pdf

    note = "Token: " + TOKEN + " and after it, words."
    body = f"<p>{spans_html((text_span(note),))}</p>"
    pdf = html_to_pdf(html_page("en", "t", "", body), "t", "", lambda page, pages: "")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    lines = text.splitlines()
    assert LINE_SEPARATOR not in text
    assert TOKEN in "".join(lines)
    token_lines = [line for line in lines if line and set(line) <= set(TOKEN)]
    assert len(token_lines) >= 20
    widest = max(len(line) for line in token_lines)
    assert all(len(line) >= widest - 8 for line in token_lines[:-1]), [len(line) for line in token_lines]


def test_the_schema_documents_the_limits() -> None:
    """docs/case.schema.json says the same numbers as wizard/core/limits.py."""
    from wizard.core.limits import MAX_AUDIT_VISITS, MAX_DETAIL_CHARS, SHORT_FIELDS
    from wizard.export.json_case import case_schema

    schema = case_schema()
    props = schema["properties"]
    for path in SHORT_FIELDS:
        node = props[path[0]] if len(path) == 1 else props[path[0]]["properties"][path[1]]
        assert node["maxLength"] == MAX_FIELD_CHARS, path
    assert props["general_note"]["maxLength"] == MAX_NOTE_CHARS
    assert props["escalation"]["properties"]["reason"]["maxLength"] == MAX_NOTE_CHARS
    defs = schema["$defs"]
    assert defs["visit"]["properties"]["note"]["maxLength"] == MAX_NOTE_CHARS
    assert defs["event"]["properties"]["detail"]["maxLength"] == MAX_DETAIL_CHARS
    session = defs["session"]["properties"]
    assert session["visits"]["maxItems"] == MAX_VISITS
    assert session["history"]["maxItems"] == MAX_HISTORY
    assert session["audit"]["maxItems"] == MAX_AUDIT_VISITS
    assert session["audit"]["items"]["properties"]["visits"]["maxItems"] == MAX_AUDIT_VISITS
    assert f"{MAX_NOTES_TOTAL_CHARS:,}" in schema["description"]
    assert f"{MAX_CASE_FILE_BYTES // 2**20} MiB" in schema["description"]


def test_a_saved_case_with_a_time_out_of_range_is_refused_not_crashed(builtin_flowset: Any) -> None:
    """A case imported before the limits existed may still be in the database: restoring it (as
    Continue and export <id> do) gives a CaseError, shown as a notice, not an OverflowError."""
    from wizard.core.case import CaseError

    data = json.loads(WINDOWS.read_text(encoding="utf-8"))
    data["session"]["visits"][1]["entered_at"] = "0001-01-01T00:30:00+01:00"
    with pytest.raises(CaseError, match="out of range"):
        Case.from_json(builtin_flowset, data)
