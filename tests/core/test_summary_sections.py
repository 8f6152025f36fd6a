"""What lands under checked, found, done and not done, on walks through every built-in flow.

A question is never a finding; an answer that only picks a platform or a flow (the platform question,
"initial checks", "an error code from the client") is not a check; what a search or a link filled in
was not checked by the agent; a ticked action is done and an unticked one not done.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wizard.core.case import Case
from wizard.core.engine import FilledBy, Session
from wizard.core.inline import plain_text
from wizard.core.model import FlowSet, NodeKind, NodeRef

MakeCase = Callable[..., Case]
PLATFORM_QUESTION = "Which platform is the problem on?"


def walk(case: Case, *targets: str, tick_first: bool = True) -> Case:
    """Take the way out of each page that leads to the next target, ticking each page's first action."""
    session = case.session
    for target in targets:
        take(session, target)
        if tick_first and session.current_node.steps:
            session.set_tick(0, True)
    return case


def title(flowset: FlowSet, ref: str) -> str:
    return plain_text(flowset.node(NodeRef.parse(ref, "")).title.get("en"))


def answer(flowset: FlowSet, ref: str, target: str) -> str:
    """The label of the answer at `ref` that leads to `target`, as the flow words it."""
    node_ref = NodeRef.parse(ref, "")
    node = flowset.node(node_ref)
    wanted = NodeRef.parse(target, node_ref.flow)
    choice = next(c for c in node.choices if NodeRef.parse(c.target, node_ref.flow) == wanted)
    return plain_text(choice.label.get("en"))


def take(session: Session, target: str) -> None:
    here = session.current_ref.flow
    wanted = NodeRef.parse(target, here)
    node = session.current_node
    index = [NodeRef.parse(raw, here) for raw in node.targets()].index(wanted)
    session.choose(index) if node.choices else session.advance()


def test_initial_checks_find_nothing_and_check_nothing(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"), "initial#checks", "device-checks", "general#resolved"
    )
    summary = case.summary("en")
    assert summary.checked == ()  # "Initial checks" only picks a flow
    assert (
        summary.found == ()
    )  # "Is Intune set up so that enrollment is enabled?" is a question, not a finding
    assert summary.done == (
        "Restart the device.",
        "Check the device, time and date → Yes, the problem is solved",
    )
    assert len(summary.not_done) == 2 and summary.not_done[1].startswith("Uninstall and reinstall")
    assert summary.outcome == "Resolved"


def test_android_walk(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "android#symptom",
        "enrollment-errors",
        "licence-required",
        "general#licence",
        "general#resolved",
    )
    summary = case.summary("en")
    assert summary.checked == tuple(
        f"{title(builtin_flowset, question)} → {answer(builtin_flowset, question, target)}"
        for question, target in (
            ("android#symptom", "enrollment-errors"),
            ("android#enrollment-errors", "licence-required"),
        )
    )
    assert [item.split(" (")[0] for item in summary.found] == ["IT admin needs to assign license for access"]
    assert all(not item.startswith(PLATFORM_QUESTION) for item in summary.checked)
    assert summary.outcome == "Resolved"


def test_ios_walk_finds_the_error_identifier(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "ios#symptom",
        "enrollment-error",
        "device-cap-reached",
        "general#resolved",
    )
    summary = case.summary("sv")
    assert [item.split(" → ")[0] for item in summary.checked] == [
        "Vilket problem har användaren med iOS-enheten?",
        "Vilket fel visas vid iOS-registreringen?",
    ]
    assert len(summary.found) == 1 and summary.found[0].endswith("(DeviceCapReached)")
    assert summary.not_done == () and summary.outcome == "Löst"


def test_macos_walk_finds_the_diagnosis_once(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "macos#symptom",
        "enrollment-errors",
        "which-cause",
        "virtual-machine",
        "general#resolved",
    )
    summary = case.summary("en")
    assert summary.found == (
        "macOS enrollment errors",
    )  # the cause answered is a check, not a second finding
    assert summary.checked[1].startswith("Which cause applies? → ")
    assert summary.done == ("Configure the virtual machine fully → The virtual machine enrolls now",)


def test_windows_walk_into_the_error_codes(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "windows#symptom",
        "error-codes#code",
        "clock",
        "general#escalate",
    )
    summary = case.summary("en")
    # "An error code from the client software" only opens the error-code flow: not a check.
    assert summary.checked == ("Which error code is shown? → 0x80CF0437 – clock is wrong",)
    assert summary.found == ("The client computer's clock is wrong (0x80CF0437)",)
    assert summary.outcome.startswith("Escalated to Microsoft support for Intune")


def test_general_walk_ticks_and_answers(builtin_flowset: FlowSet, make_case: MakeCase) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "general#symptom",
        "device-cap",
        "device-cap-check",
        "device-cap-remove",
        "resolved",
    )
    summary = case.summary("en")
    node = builtin_flowset.node(NodeRef("general", "device-cap-check"))
    actions = [plain_text(step.text.get("en")) for step in node.steps]
    assert summary.done[0] == actions[0]  # ticked
    assert summary.not_done == tuple(actions[1:])  # not ticked
    assert "Check the number of devices enrolled and allowed → Remove existing devices" in summary.done
    assert summary.found == ("Device cap reached (DeviceCapReached)",)


def test_configmgr_walk_names_the_diagnosis_without_codes(
    builtin_flowset: FlowSet, make_case: MakeCase
) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "configmgr#symptom",
        "mobile-devices-disappear",
        "check-how-device-was-removed",
        "general#escalate",
    )
    summary = case.summary("en")
    assert summary.found == ("Mobile devices disappear",)
    assert len(summary.checked) == 1 and summary.checked[0].startswith(
        "What problem do you have with Configuration"
    )


def test_initial_checks_then_a_platform_finds_the_later_diagnosis(
    builtin_flowset: FlowSet, make_case: MakeCase
) -> None:
    case = walk(
        make_case(builtin_flowset, "start#platform"),
        "initial#checks",
        "device-checks",
        "logs",
        "start#platform",
        "android#symptom",
        "samsung-check-in",
    )
    summary = case.summary("en")
    assert summary.found == (
        "Devices fail to check in with the Intune service and show as “Unhealthy” in the Intune admin console",
    )
    assert len(summary.checked) == 1  # the platform question, answered twice, is never a check


@pytest.mark.parametrize("filled_by", [FilledBy.SEARCH, FilledBy.LINK])
def test_what_a_search_or_link_filled_in_was_not_checked(
    builtin_flowset: FlowSet, make_case: MakeCase, filled_by: FilledBy
) -> None:
    case = make_case(
        builtin_flowset,
        "error-codes#clock",
        infer_path_from=NodeRef("start", "platform"),
        filled_by=filled_by,
    )
    assert all(visit.filled_by is filled_by for visit in case.visits[:-1])
    summary = case.summary("en")
    assert summary.checked == () and summary.done == ()
    assert summary.found == ("The client computer's clock is wrong (0x80CF0437)",)
    take(case.session, "general#resolved")
    solved = answer(builtin_flowset, "error-codes#clock", "general#resolved")
    assert case.summary("en").done == (f"The client computer's clock is wrong → {solved}",)


@pytest.mark.parametrize("platform", range(7))
def test_every_flow_walked_by_first_answers_keeps_the_sections_apart(
    builtin_flowset: FlowSet, make_case: MakeCase, platform: int
) -> None:
    """From each answer of the platform question, always the first answer on: the sections' rules hold."""
    case = make_case(builtin_flowset, "start#platform")
    session = case.session
    session.choose(platform)
    for _ in range(40):
        node = session.current_node
        if node.kind is NodeKind.END:
            break
        for index in range(len(node.steps)):
            if index % 2 == 0:
                session.set_tick(index, True)
        session.advance() if node.next is not None else session.choose(0)
    for lang in ("en", "sv"):
        summary = case.summary(lang)
        nodes = [case.session.node_of(visit) for visit in case.visits]
        questions = {plain_text(n.title.get(lang)) for n in nodes if n.kind is NodeKind.QUESTION}
        pages = {
            plain_text(n.title.get(lang)) for n in nodes if n.kind not in (NodeKind.QUESTION, NodeKind.END)
        }
        platform_title = plain_text(builtin_flowset.node(NodeRef("start", "platform")).title.get(lang))
        assert all(item.split(" → ")[0] in questions for item in summary.checked), summary.checked
        assert all(not item.startswith(platform_title) for item in summary.checked)
        assert all(item in pages or item.split(" (")[0] in pages for item in summary.found), summary.found
        assert not any(item in questions for item in summary.found)
        actions = case.actions(lang)
        ticked = {plain_text(a.text) for a in actions if a.ticked}
        unticked = {plain_text(a.text) for a in actions if not a.ticked}
        assert set(summary.not_done) == unticked
        assert ticked <= set(summary.done)
        assert summary.outcome == case.outcome_line(lang)
