"""The session: walking, back, change of answer, jumps, ticks, notes, restart, JSON round trip."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.core.engine import Session, SessionError, find_route
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef


@pytest.fixture
def flowset(pack_dir: Path) -> FlowSet:
    library = load_library([pack_dir])
    assert library.problems == []
    return library.flowset


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=5)
        return self.now


@pytest.fixture
def session(flowset: FlowSet) -> Iterator[Session]:
    yield Session(flowset, NodeRef("demo", "platform"), clock=FakeClock())


def refs(visits: list) -> list[str]:
    return [str(v.ref) for v in visits]


def test_walk_to_an_end(session: Session) -> None:
    session.choose(0)
    assert str(session.current_ref) == "demo#android-steps"
    session.set_tick(0, True)
    session.choose(0)
    assert session.is_finished
    assert refs(session.path) == ["demo#platform", "demo#android-steps", "demo#done"]
    assert [v.choice for v in session.path] == [0, 0, None]


def test_advance_follows_next(session: Session) -> None:
    session.choose(1)
    with pytest.raises(SessionError):
        session.choose(0)  # an info node with next has no choices
    session.advance()
    assert str(session.current_ref) == "demo#done"


def test_cross_flow_choice(session: Session) -> None:
    session.choose(2)
    assert str(session.current_ref) == "shared#check"
    session.choose(0)
    assert str(session.current_ref) == "demo#done"


def test_back_keeps_later_answers_until_one_changes(session: Session) -> None:
    session.choose(0)
    session.set_tick(1, True)
    session.set_note("user restarted twice")
    session.choose(1)
    session.back()
    assert str(session.current_ref) == "demo#android-steps"
    assert session.current.ticked == {1} and session.current.note == "user restarted twice"
    assert refs(session.ahead) == ["demo#escalate"]
    # The same answer again walks forward on the kept path.
    session.choose(1)
    assert str(session.current_ref) == "demo#escalate" and session.audit == []


def test_changing_an_earlier_answer_discards_everything_after_it(session: Session) -> None:
    session.choose(0)
    session.set_tick(0, True)
    session.set_note("note on the android step")
    session.choose(1)
    session.jump_to(0)
    assert session.would_discard(1) == session.visits[1:]
    assert session.would_discard(0) == []
    session.choose(1)  # iOS instead of Android
    assert refs(session.path) == ["demo#platform", "demo#ios-info"]
    assert session.ahead == []
    assert session.path[1].ticked == set() and session.path[1].note == ""
    # Nothing stale is current; the old visits are only in the audit trail.
    (discarded,) = session.audit
    assert discarded.reason == "answer changed"
    assert refs(list(discarded.visits)) == ["demo#android-steps", "demo#escalate"]
    assert discarded.visits[0].note == "note on the android step"
    assert any(event.action == "change" for event in session.history)


def test_back_then_change_then_finish(session: Session) -> None:
    session.choose(0)
    session.choose(1)
    session.back()
    session.choose(0)  # it helped after all
    assert refs(session.path) == ["demo#platform", "demo#android-steps", "demo#done"]
    assert session.path[1].choice == 0


def test_jump_and_forward(session: Session) -> None:
    session.choose(0)
    session.choose(0)
    session.jump_to(0)
    assert session.can_forward()
    session.forward()
    assert str(session.current_ref) == "demo#android-steps"
    with pytest.raises(SessionError):
        session.jump_to(7)


def test_back_at_start_is_refused(session: Session) -> None:
    assert not session.can_back()
    with pytest.raises(SessionError, match="first step"):
        session.back()


def test_ticks_and_invalid_indexes(session: Session) -> None:
    with pytest.raises(SessionError):
        session.set_tick(0, True)  # a question has no steps
    session.choose(0)
    assert session.toggle_tick(1) is True
    assert session.toggle_tick(1) is False
    with pytest.raises(SessionError):
        session.set_tick(5, True)
    with pytest.raises(SessionError):
        session.jump_to(-1)


def test_restart_moves_the_walk_to_the_audit(session: Session) -> None:
    session.choose(0)
    session.restart()
    assert refs(session.path) == ["demo#platform"]
    assert session.audit[-1].reason == "restart"


def test_deep_link_infers_the_route(flowset: FlowSet) -> None:
    session = Session(flowset, NodeRef("shared", "not-solved"), infer_path_from=NodeRef("demo", "platform"))
    assert refs(session.path) == ["demo#platform", "shared#check", "shared#not-solved"]
    assert [v.inferred for v in session.path] == [True, True, False]
    assert [v.choice for v in session.path[:2]] == [2, 1]


def test_deep_link_to_any_node_without_route(flowset: FlowSet) -> None:
    session = Session(flowset, NodeRef("shared", "check"))
    assert refs(session.path) == ["shared#check"]
    with pytest.raises(SessionError, match="no node"):
        Session(flowset, NodeRef("demo", "nowhere"))


def test_find_route_none_when_unreachable(flowset: FlowSet) -> None:
    assert find_route(flowset, NodeRef("demo", "done"), NodeRef("demo", "platform")) is None
    assert find_route(flowset, NodeRef("demo", "done"), NodeRef("demo", "done")) == []


def test_history_has_times_and_listeners_are_told(session: Session) -> None:
    seen: list[str] = []
    session.subscribe(lambda s: seen.append(str(s.current_ref)))
    session.choose(0)
    session.set_note("x")
    times = [event.at for event in session.history]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert seen == ["demo#android-steps", "demo#android-steps"]


def test_json_round_trip_is_exact(session: Session, flowset: FlowSet) -> None:
    session.choose(0)
    session.set_tick(0, True)
    session.set_note("Användaren: <b>x</b> \u202e 🙂")
    session.choose(1)
    session.back()
    session.back()
    session.choose(1)
    data = json.loads(json.dumps(session.to_json()))
    restored = Session.from_json(flowset, data)
    assert restored.to_json() == session.to_json()
    assert restored.position == session.position
    assert refs(restored.visits) == refs(session.visits)
    assert restored.audit[0].visits[0].note == "Användaren: <b>x</b> \u202e 🙂"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format=99), "format"),
        (lambda d: d["visits"][0].update(node="gone"), "no longer have"),
        (lambda d: d.update(position=9), "no current step"),
        (lambda d: d["visits"][0].update(choice=7), "no longer exists"),
        (lambda d: d["visits"][0].pop("entered_at"), "malformed"),
    ],
)
def test_restore_refuses_what_does_not_fit(session: Session, flowset: FlowSet, mutate, message: str) -> None:
    session.choose(0)
    data = session.to_json()
    mutate(data)
    with pytest.raises(SessionError, match=message):
        Session.from_json(flowset, data)


def test_typing_a_note_is_one_history_entry(session: Session) -> None:
    for length in range(1, 30):
        session.set_note("x" * length)
    notes = [event for event in session.history if event.action == "note"]
    assert len(notes) == 1 and notes[0].detail == "29 characters"
    session.choose(0)
    session.set_note("another step")
    assert [e.action for e in session.history].count("note") == 2


def test_a_copy_is_the_walk_and_changes_apart_from_it(session: Session) -> None:
    """What Replay works on: the same walk as a save and restore gives, sharing nothing mutable."""
    session.choose(0)
    session.set_tick(0, True)
    session.set_note("note on the android step")
    session.jump_to(0)
    session.choose(1)  # moves the android visits to the audit trail
    copy = session.copy()
    assert copy.to_json() == session.to_json()
    copy.jump_to(0)
    copy.visits[0].ticked.add(5)
    copy.audit[0].visits[0].ticked.clear()
    copy.set_note("changed in the copy")
    assert session.position == 1 and session.visits[0].ticked == set() and session.visits[0].note == ""
    assert session.audit[0].visits[0].ticked == {0}
    assert len(session.history) < len(copy.history)
