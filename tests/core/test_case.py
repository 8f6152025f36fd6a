"""The case record: walks of the real flows, back and change, summary, ids, JSON round trip and errors."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Callable

import pytest

from wizard.core.case import ID_ALPHABET, ID_PATTERN, Case, CaseError, new_case_id
from wizard.core.engine import Session
from wizard.core.model import FlowSet, NodeRef, Outcome

MakeCase = Callable[..., Case]


def choose(session: Session, target: str) -> None:
    """Take the way out of the current node that leads to `target`, as an agent clicks it."""
    here = session.current_ref.flow
    wanted = NodeRef.parse(target, here)
    node = session.current_node
    index = [NodeRef.parse(raw, here) for raw in node.targets()].index(wanted)
    session.choose(index) if node.choices else session.advance()


def samsung_walk(flowset: FlowSet, make_case: MakeCase) -> Case:
    case = make_case(flowset, "start#platform", agent="Maria Ek")
    s = case.session
    choose(s, "android#symptom")
    choose(s, "samsung-check-in")
    choose(s, "samsung-solution-1")
    choose(s, "samsung-solution-2")
    s.set_tick(0, True)
    s.set_note("no update offered")
    choose(s, "samsung-solution-3")
    for index in range(len(s.current_node.steps)):
        s.set_tick(index, True)
    choose(s, "general#resolved")
    return case


def test_a_real_samsung_walk_becomes_a_case(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = samsung_walk(builtin_flowset, make_case)
    rows = case.path_rows("en")
    assert [str(row.ref) for row in rows] == [
        "start#platform",
        "android#symptom",
        "android#samsung-check-in",
        "android#samsung-solution-1",
        "android#samsung-solution-2",
        "android#samsung-solution-3",
        "general#resolved",
    ]
    assert rows[0].answer == "Android" and rows[2].answer is None and rows[2].left_at is not None
    assert rows[-1].current and rows[-1].left_at is None
    assert rows[4].note == "no update offered"
    assert case.outcome is Outcome.RESOLVED and case.outcome_line("sv") == "Löst"
    ticked = case.ticked_actions("en")
    unticked = case.unticked_actions("en")
    assert len(ticked) == 7 and [a.number for a in unticked] == [2]
    assert unticked[0].text == "Follow the prompts on the device."
    summary = case.summary("en")
    assert summary.checked == (  # picking the platform is routing, not a check
        "What problem does the user have with the Android device? → Samsung device doesn't check in and shows as “Unhealthy”",
    )
    assert summary.found == (
        "Devices fail to check in with the Intune service and show as “Unhealthy” in the Intune admin console",
    )
    assert "Start the Smart Manager app on the device." in summary.done  # markup removed
    assert summary.not_done == ("Follow the prompts on the device.",)
    text = case.summary("sv").as_text()
    assert text.startswith("Kontrollerat: Vilket problem har användaren med Android-enheten? → ")
    assert " → Hittat: Enheter kan inte checka in" in text and " → Gjort: " in text
    assert text.endswith("(Inte gjort: Följ anvisningarna på enheten). Utfall: Löst")
    assert case.flow_versions() == {"start": 1, "android": 1, "general": 1}


def test_found_names_error_codes_of_the_windows_walk(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = make_case(builtin_flowset, "start#platform")
    s = case.session
    choose(s, "windows#symptom")
    choose(s, "already-enrolled")
    choose(s, "already-enrolled-certificate")
    assert case.error_codes() == ["0x8007064c", "hr 0x8007064c"]
    assert case.summary("en").found == (
        "The machine is already enrolled – error hr 0x8007064c (0x8007064c, hr 0x8007064c)",
    )
    assert case.outcome is None and case.outcome_line("en") == "In progress"


def test_escalation_uses_the_flow_unless_the_agent_says_otherwise(
    builtin_flowset: FlowSet, make_case: MakeCase
) -> None:
    case = make_case(builtin_flowset, "start#platform")
    s = case.session
    choose(s, "ios#symptom")
    choose(s, "stuck-enrollment-screen")
    choose(s, "vpp-token-check")
    choose(s, "general#escalate")
    assert case.outcome is Outcome.ESCALATE
    assert case.outcome_line("en") == (
        "Escalated to Microsoft support for Intune: "
        "The Intune device enrollment troubleshooting steps didn't solve the problem."
    )
    case.escalated_to = "Apple team"
    case.escalation_reason = "Token renewed, still stuck"
    assert case.outcome_line("sv") == "Eskalerat till Apple team: Token renewed, still stuck"


def test_stepping_back_changes_nothing_changing_an_answer_rewrites_the_case(
    builtin_flowset: FlowSet, make_case: MakeCase
) -> None:
    case = samsung_walk(builtin_flowset, make_case)
    before = [(r.ref, r.answer, r.note) for r in case.path_rows("en")]
    summary = case.summary("en")
    s = case.session
    s.jump_to(4)  # look at solution 2 again
    assert [(r.ref, r.answer, r.note) for r in case.path_rows("en")] == before
    assert case.summary("en") == summary and case.outcome is Outcome.RESOLVED
    assert case.path_rows("en")[4].current
    choose(s, "general#resolved")  # a different answer at solution 2: "upgraded, checks in"
    rows = case.path_rows("en")
    assert [str(r.ref) for r in rows][-2:] == ["android#samsung-solution-2", "general#resolved"]
    assert rows[4].answer == "Device is upgraded and checks in" and rows[4].note == "no update offered"
    assert len(rows) == 6 and len(case.ticked_actions("en")) == 1
    assert case.summary("en").not_done == ("Follow the prompts on the device.",)
    (discarded,) = s.audit
    assert [str(v.ref) for v in discarded.visits] == ["android#samsung-solution-3", "general#resolved"]
    # The audit trail travels with the case and counts for the flow versions.
    assert case.to_json()["session"]["audit"][0]["reason"] == "answer changed"


def test_ids_are_readable_unique_and_unambiguous() -> None:
    now = dt.datetime(2026, 11, 26, 9, 30, 59, tzinfo=dt.UTC)
    ids = {new_case_id(now, random.Random(seed)) for seed in range(200)}
    assert all(ID_PATTERN.match(case_id) and case_id.startswith("TW-20261126-0930-") for case_id in ids)
    assert len(ids) > 150
    assert not set("0O1IL2Z5S8B6G") & set(ID_ALPHABET)
    local = dt.datetime(2026, 11, 26, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert new_case_id(local).startswith("TW-20261126-0930-")


def test_a_taken_id_is_not_reused(pack_flowset: FlowSet) -> None:
    first = Case.new(pack_flowset, NodeRef("demo", "platform"), rng=random.Random(1))
    second = Case.new(
        pack_flowset, NodeRef("demo", "platform"), rng=random.Random(1), taken=lambda i: i == first.id
    )
    assert second.id != first.id and ID_PATTERN.match(second.id)


def test_json_round_trip_is_exact(fixed_case: Case, pack_flowset: FlowSet) -> None:
    data = fixed_case.to_json()
    text = json.dumps(data)
    again = Case.from_json(pack_flowset, json.loads(text))
    assert again.to_json() == data
    assert again.session.position == fixed_case.session.position
    assert again.user == fixed_case.user and again.device == fixed_case.device
    assert data["started_at"] == "2026-11-26T09:30:05+00:00" and data["ended_at"].endswith("+00:00")
    assert data["flows"] == {"demo": 1}


def test_finish_and_reopen(fixed_case: Case) -> None:
    assert fixed_case.is_finished
    fixed_case.reopen()
    assert not fixed_case.is_finished and fixed_case.ended_at is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(kind="something"), "kind: expected 'troubleshooting-wizard-case'"),
        (lambda d: d.update(format=2), "format: the case was saved in format 2, newer than this app reads"),
        (lambda d: d.update(format="1"), "format: missing or not a whole number"),
        (lambda d: d.update(id="CASE-1"), "id: 'CASE-1' is not a case id"),
        (lambda d: d.pop("id"), "id: missing"),
        (lambda d: d.update(started_at="yesterday"), "started_at: 'yesterday' is not an ISO 8601 time"),
        (lambda d: d.update(user={"name": 42}), "user.name: expected text, got int"),
        (lambda d: d.update(device=[]), "device: expected an object, got list"),
        (lambda d: d.pop("session"), "session: missing"),
        (
            lambda d: d["session"]["visits"][1].update(node="gone"),
            "session: the saved walk passes node 'demo#gone', which the loaded flows no longer have",
        ),
        (
            lambda d: d["session"]["visits"][1].update(ticked=[9]),
            "session: the saved ticks at 'demo#android-steps'",
        ),
    ],
)
def test_bad_case_data_says_which_field_and_why(
    fixed_case: Case, pack_flowset: FlowSet, change: Callable[[dict], object], message: str
) -> None:
    data = json.loads(json.dumps(fixed_case.to_json()))
    change(data)
    with pytest.raises(CaseError) as error:
        Case.from_json(pack_flowset, data)
    assert str(error.value).startswith(message)


def test_flow_changes_are_reported(fixed_case: Case) -> None:
    assert fixed_case.flow_changes({"demo": 1}) == []
    assert fixed_case.flow_changes({"demo": 3}) == [
        "flow 'demo' is version 1 here; the case was walked with version 3"
    ]


def test_personal_values(fixed_case: Case) -> None:
    assert fixed_case.personal_values() == [
        "Anna Svensson",
        "anna.svensson@contoso.se",
        "ANNA-PHONE",
        "R58M12AB",
        "356938035643809",
    ]


def test_case_store_and_exports_import_no_qt() -> None:
    code = (
        "import sys, wizard.core.case, wizard.export, wizard.export.document, wizard.export.markdown, "
        "wizard.export.html, wizard.export.text, wizard.export.json_case, wizard.store.cases; "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
