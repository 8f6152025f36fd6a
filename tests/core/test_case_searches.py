"""Searches kept on a case: saved and read back, refused when damaged, shown in the notes, redacted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from wizard.core.case import MAX_SEARCHES, Case, CaseError, SearchRecord
from wizard.core.model import FlowSet, NodeRef
from wizard.export.document import build_document
from wizard.export.json_case import case_data, schema_problems
from wizard.export.markdown import to_markdown

AT = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)
MakeCase = Callable[..., Case]


def with_searches(flowset: FlowSet, make_case: MakeCase) -> Case:
    case = make_case(flowset, "start#platform", agent="Maria Ek")
    case.user.name = "Anna Berg"
    case.record_search(SearchRecord("0x80180014 hos Anna Berg", "sv", None, None, AT, ("0x80180014",)))
    case.record_search(
        SearchRecord(
            "kan inte synka iphone",
            "sv",
            NodeRef("ios", "inactive-devices"),
            NodeRef("ios", "inactive-devices"),
            AT,
        )
    )
    return case


def test_searches_round_trip_and_pass_the_schema(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = with_searches(builtin_flowset, make_case)
    data = json.loads(json.dumps(case.to_json()))
    assert data["searches"][0] == {
        "query": "0x80180014 hos Anna Berg",
        "lang": "sv",
        "hit": None,
        "opened": None,
        "unknown_codes": ["0x80180014"],
        "at": "2026-11-30T09:30:00+00:00",
    }
    assert schema_problems(data) == []
    back = Case.from_json(builtin_flowset, data)
    assert back.searches == case.searches
    assert not back.searches[0].answered and back.searches[1].answered


def test_a_case_without_searches_is_written_as_before(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    data = make_case(builtin_flowset, "start#platform").to_json()
    assert "searches" not in data and Case.from_json(builtin_flowset, data).searches == []


@pytest.mark.parametrize(
    ("searches", "message"),
    [
        ("nope", "searches: expected a list"),
        ([{"query": "x"}], "searches[0].at: missing"),
        (
            [{"query": "x", "at": "2026-11-30T09:30:00Z", "hit": "no-hash"}],
            "searches[0].hit: expected a node",
        ),
        ([{"query": "x" * 501, "at": "2026-11-30T09:30:00Z"}], "at most 500"),
        ([{"query": "x", "at": "2026-11-30T09:30:00Z"}] * (MAX_SEARCHES + 1), "at most 50"),
    ],
)
def test_damaged_searches_are_refused_with_their_field(
    builtin_flowset: FlowSet, make_case: MakeCase, searches: object, message: str
) -> None:
    data = make_case(builtin_flowset, "start#platform").to_json() | {"searches": searches}
    with pytest.raises(CaseError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Case.from_json(builtin_flowset, data)


def test_a_case_keeps_at_most_fifty_searches(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = make_case(builtin_flowset, "start#platform")
    for number in range(MAX_SEARCHES + 5):
        case.record_search(SearchRecord(f"q{number}" + "x" * 600, "en", None, None, AT))
    assert len(case.searches) == MAX_SEARCHES and len(case.searches[0].query) == 500


def test_the_notes_list_searches_and_say_which_found_nothing(
    builtin_flowset: FlowSet, make_case: MakeCase
) -> None:
    case = with_searches(builtin_flowset, make_case)
    text = to_markdown(build_document(case, "sv"))
    assert "Sökningar" in text
    assert "”0x80180014 hos Anna Berg” → inget i flödena" in text
    assert "”kan inte synka iphone” → Enheterna är inaktiva" in text
    redacted = to_markdown(build_document(case, "sv", redact=True))
    assert "Anna Berg" not in redacted
    assert "Anna Berg" not in json.dumps(case_data(case, redact=True), ensure_ascii=False)
