"""Where a walk starts and how it moves across the flows: decisions the window asks for, not makes.

- A walk opened at a node (from a search, a deep link, the map) starts at the start flow's entry, so
  the questions leading to the node show as answered on the path.
- Walking to a node: a step already on the path is gone back to; one ahead is walked to by the
  shortest route, asking before an answer change drops notes or ticks; anything else is a new walk.
- A flow file that breaks while the app runs keeps its last good version until it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from wizard.core.engine import FilledBy, Session, find_route
from wizard.core.model import Flow, FlowSet, NodeRef
from wizard.core.problems import Problem

START_FLOW = "start"  # the flow every walk is told from: "which platform is the device?"


def start_ref(flowset: FlowSet) -> NodeRef | None:
    """The first question of a walk: the start flow's entry, when that flow is loaded."""
    return NodeRef(START_FLOW, flowset.flow(START_FLOW).entry) if START_FLOW in flowset else None


def path_origin(flowset: FlowSet, ref: NodeRef) -> NodeRef | None:
    """Where the path to `ref` is filled in from: the start of a walk, or else the entry of `ref`'s own
    flow; None when `ref` is that node itself (nothing to fill in)."""
    origin = start_ref(flowset)
    if origin is None or origin == ref:
        origin = NodeRef(ref.flow, flowset.flow(ref.flow).entry)
    return origin if origin != ref else None


def open_walk(
    flowset: FlowSet, ref: NodeRef, *, infer: bool = True, filled_by: FilledBy = FilledBy.LINK
) -> Session:
    """A new walk at `ref`; with `infer` the questions on the shortest way there appear filled in (by
    `filled_by`: a link, a search hit, the flow map)."""
    return Session(
        flowset, ref, infer_path_from=path_origin(flowset, ref) if infer else None, filled_by=filled_by
    )


def refill_walk(flowset: FlowSet, ref: NodeRef) -> Session:
    """A walk at `ref` after its flow changed under it: the path filled in again from the start flow."""
    origin = start_ref(flowset)
    return Session(
        flowset, ref, infer_path_from=origin if origin != ref else None, filled_by=FilledBy.FLOW_CHANGE
    )


class Move(Enum):
    BACK = "back"  # the node is on the path: go back to `position`
    WALKED = "walked"  # the session walked forward to the node
    CANCELLED = "cancelled"  # an answer change was refused; the session stopped where it was asked
    ELSEWHERE = "elsewhere"  # neither behind nor ahead: a new walk is the way there


@dataclass(frozen=True)
class RouteResult:
    move: Move
    position: int = 0


def walk_to(session: Session, ref: NodeRef, confirm_change: Callable[[int], bool]) -> RouteResult:
    """Move `session` toward `ref` (see the module's notes). `confirm_change(index)` is asked before
    each choice on the way; returning False stops there."""
    for position, visit in enumerate(session.visits):
        if visit.ref == ref:
            return RouteResult(Move.BACK, position)
    route = find_route(session.flowset, session.current_ref, ref)
    if route is None:
        return RouteResult(Move.ELSEWHERE)
    for _here, index in route:
        node = session.current_node
        if node.choices and not confirm_change(index):
            return RouteResult(Move.CANCELLED)
        if node.next is not None:
            session.advance()
        else:
            session.choose(index)
    return RouteResult(Move.WALKED)


def keep_last_good(
    previous: FlowSet, fresh: FlowSet, problems: Iterable[Problem]
) -> tuple[FlowSet, list[str]]:
    """The flows after a reload: a flow that loaded before and now fails to load (an error in its own
    file) stays in its last good version. Returns the flow set and the ids of the flows kept."""
    broken_files = {problem.path for problem in problems if problem.is_error}
    flows: dict[str, Flow] = dict(fresh.flows)
    kept: list[str] = []
    for flow_id, flow in previous.flows.items():
        if flow_id not in flows and flow.path in broken_files:
            flows[flow_id] = flow
            kept.append(flow_id)
    return FlowSet(flows, fresh.synonyms), kept
