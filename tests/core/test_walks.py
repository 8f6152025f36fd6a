"""Where a walk starts, walking a route on the map, and keeping a flow's last good version: the
window's decisions, tested without a display."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wizard.core.engine import Session
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef
from wizard.core.walks import (
    START_FLOW,
    Move,
    keep_last_good,
    open_walk,
    path_origin,
    refill_walk,
    start_ref,
    walk_to,
)


@pytest.fixture
def pack(pack_dir: Path) -> FlowSet:
    return load_library([pack_dir]).flowset


def refs(session: Session) -> list[str]:
    return [str(visit.ref) for visit in session.visits]


def test_a_walk_starts_at_the_start_flow_s_entry(builtin_flowset: FlowSet) -> None:
    start = start_ref(builtin_flowset)
    assert start == NodeRef(START_FLOW, builtin_flowset.flow(START_FLOW).entry)
    ios = NodeRef("ios", builtin_flowset.flow("ios").entry)
    walk = open_walk(builtin_flowset, ios)
    assert walk.visits[0].ref == start and walk.current_ref == ios
    assert len(walk.visits) > 1  # the platform question shows as answered
    assert open_walk(builtin_flowset, ios, infer=False).visits[0].ref == ios
    assert path_origin(builtin_flowset, start) is None  # nothing to fill in before the first question


def test_without_a_start_flow_the_path_is_filled_in_from_the_node_s_own_flow(pack: FlowSet) -> None:
    assert start_ref(pack) is None
    target = NodeRef("demo", "done")
    assert path_origin(pack, target) == NodeRef("demo", "platform")
    walk = open_walk(pack, target)
    assert refs(walk)[0] == "demo#platform" and walk.current_ref == target
    assert refs(refill_walk(pack, target)) == ["demo#done"]  # a changed flow refills from the start flow only


def test_walk_to_a_step_on_the_path_goes_back(pack: FlowSet) -> None:
    session = Session(pack, NodeRef("demo", "platform"))
    session.choose(0)
    result = walk_to(session, NodeRef("demo", "platform"), lambda _index: True)
    assert result.move is Move.BACK and result.position == 0


def test_walk_to_a_step_ahead_follows_the_shortest_route(pack: FlowSet) -> None:
    session = Session(pack, NodeRef("demo", "platform"))
    asked: list[int] = []
    result = walk_to(session, NodeRef("demo", "escalate"), lambda index: asked.append(index) or True)
    assert result.move is Move.WALKED
    assert refs(session) == ["demo#platform", "demo#android-steps", "demo#escalate"]
    assert asked == [0, 1]  # asked before each choice on the way
    session = Session(pack, NodeRef("demo", "ios-info"))
    assert (
        walk_to(session, NodeRef("demo", "done"), lambda index: asked.append(index) or True).move
        is Move.WALKED
    )
    assert refs(session) == ["demo#ios-info", "demo#done"] and asked == [0, 1]  # `next` needs no question


def test_a_refused_answer_change_stops_the_walk(pack: FlowSet) -> None:
    session = Session(pack, NodeRef("demo", "platform"))
    result = walk_to(session, NodeRef("demo", "done"), lambda _index: False)
    assert result.move is Move.CANCELLED and refs(session) == ["demo#platform"]


def test_a_node_not_ahead_is_elsewhere(pack: FlowSet) -> None:
    session = Session(pack, NodeRef("demo", "done"))
    assert walk_to(session, NodeRef("demo", "escalate"), lambda _index: True).move is Move.ELSEWHERE
    assert refs(session) == ["demo#done"]


def test_a_flow_that_breaks_keeps_its_last_good_version(pack_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(pack_dir.parent, tmp_path / "pack")  # the flows with their screenshots
    folder = tmp_path / "pack" / "flows"
    before = load_library([folder])
    assert before.problems == []
    demo = folder / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8") + "\n  - id: [broken\n", encoding="utf-8")
    after = load_library([folder])
    assert "demo" not in after.flowset and after.errors
    flowset, kept = keep_last_good(before.flowset, after.flowset, after.problems)
    # shared.yaml links into demo, so it fails to load now too, with an error in its own file
    assert kept == ["demo", "shared"]
    assert flowset.flow("demo") is before.flowset.flow("demo")
    demo.write_text((pack_dir / "demo.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    fixed = load_library([folder])
    flowset, kept = keep_last_good(flowset, fixed.flowset, fixed.problems)
    assert kept == [] and flowset.flow("demo") is fixed.flowset.flow("demo")  # the fixed file wins


def test_a_removed_flow_is_not_kept(pack_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(pack_dir.parent, tmp_path / "pack")  # the flows with their screenshots
    folder = tmp_path / "pack" / "flows"
    before = load_library([folder])
    assert before.problems == []
    (folder / "demo.yaml").unlink()
    after = load_library([folder])
    flowset, kept = keep_last_good(before.flowset, after.flowset, after.problems)
    assert "demo" not in kept and "demo" not in flowset  # no file, no error of its own: gone
    assert kept == ["shared"]  # its links into demo break it, in its own file
