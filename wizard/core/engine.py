"""Walking a flow: the session keeps the path, answers, ticks, notes and a history with times.

The path is a list of visits and a position in it. Back and jump move the position and keep the
visits after it, so stepping back to look and then forward again with the same answer loses nothing.
Choosing a *different* answer is the only thing that rewrites the path: every visit after that point
(its answers, ticks and notes) moves to the audit trail and is never shown as current again.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from wizard.core.limits import time_problem
from wizard.core.model import FlowSet, Node, NodeKind, NodeRef

SESSION_FORMAT = 1
Clock = Callable[[], dt.datetime]


class FilledBy(StrEnum):
    """What put a step on the path that the agent did not answer (a visit's `filled_by`)."""

    SEARCH = "search"  # a search hit opened a step in the middle of a flow
    LINK = "link"  # a deep link (command line, another program) opened a step
    MAP = "map"  # the flow map started a walk at a step
    FLOW_CHANGE = "flow-change"  # the flows were reloaded and the route to the step was found again
    UNKNOWN = ""  # saved before the reason was recorded


_START_DETAIL = {
    FilledBy.SEARCH: "from a search",
    FilledBy.LINK: "from a link",
    FilledBy.MAP: "from the flow map",
    FilledBy.FLOW_CHANGE: "after the flows changed",
    FilledBy.UNKNOWN: "filled in",
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SessionError(ValueError):
    """An action the session cannot take, or saved data it cannot restore; the message says why."""


@dataclass
class Visit:
    """One node on the path, and what the agent did there."""

    ref: NodeRef
    entered_at: dt.datetime
    choice: int | None = None  # index into the node's targets() taken to leave it
    left_at: dt.datetime | None = None
    ticked: set[int] = field(default_factory=set)
    note: str = ""
    inferred: bool = False  # filled in by a deep link or search, not answered by the agent
    filled_by: FilledBy = FilledBy.UNKNOWN  # for an inferred visit: what filled it in

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "flow": self.ref.flow,
            "node": self.ref.node,
            "entered_at": self.entered_at.isoformat(),
            "choice": self.choice,
            "left_at": self.left_at.isoformat() if self.left_at else None,
            "ticked": sorted(self.ticked),
            "note": self.note,
            "inferred": self.inferred,
        }
        if self.inferred:
            data["filled_by"] = self.filled_by.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Visit:
        try:
            return cls(
                ref=NodeRef(str(data["flow"]), str(data["node"])),
                entered_at=_parse_time(data["entered_at"]),
                choice=None if data.get("choice") is None else int(data["choice"]),
                left_at=_parse_time(data["left_at"]) if data.get("left_at") else None,
                ticked={int(index) for index in data.get("ticked", [])},
                note=str(data.get("note", "")),
                inferred=bool(data.get("inferred", False)),
                filled_by=_filled_by(data.get("filled_by")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionError(f"a saved visit is incomplete or malformed ({exc})") from exc


@dataclass(frozen=True)
class Event:
    """One entry of the history: what happened, when, where."""

    at: dt.datetime
    action: str  # start, choose, continue, back, jump, change, tick, untick, note, restart
    ref: NodeRef
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "action": self.action,
            "flow": self.ref.flow,
            "node": self.ref.node,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        try:
            return cls(
                _parse_time(data["at"]),
                str(data["action"]),
                NodeRef(str(data["flow"]), str(data["node"])),
                str(data.get("detail", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionError(f"a saved history entry is malformed ({exc})") from exc


@dataclass(frozen=True)
class Discarded:
    """Visits taken off the path, kept for the audit trail only."""

    at: dt.datetime
    reason: str  # "answer changed", "restart", "start over at"
    visits: tuple[Visit, ...]


class Session:
    def __init__(
        self,
        flowset: FlowSet,
        start: NodeRef,
        clock: Clock = utc_now,
        *,
        infer_path_from: NodeRef | None = None,
        filled_by: FilledBy = FilledBy.LINK,
    ) -> None:
        """Start at `start`. With `infer_path_from`, the shortest route from there to `start` is put on
        the path as inferred answers, so a deep link still shows how one gets there; `filled_by` records
        what opened the step (a link, a search hit, the flow map)."""
        self.flowset = flowset
        self.clock = clock
        self.start_ref = start
        self.visits: list[Visit] = []
        self.position = -1
        self.history: list[Event] = []
        self.audit: list[Discarded] = []
        self._listeners: list[Callable[[Session], None]] = []
        self._begin(start, infer_path_from, filled_by=filled_by)

    # -- reading --------------------------------------------------------------------------------

    @property
    def current(self) -> Visit:
        return self.visits[self.position]

    @property
    def current_ref(self) -> NodeRef:
        return self.current.ref

    @property
    def current_node(self) -> Node:
        return self.flowset.node(self.current.ref)

    @property
    def path(self) -> list[Visit]:
        """The visits from the start up to and including the current one."""
        return self.visits[: self.position + 1]

    @property
    def ahead(self) -> list[Visit]:
        """Visits after the current one, kept after back or jump until an answer changes."""
        return self.visits[self.position + 1 :]

    @property
    def is_finished(self) -> bool:
        return self.current_node.kind is NodeKind.END

    def can_back(self) -> bool:
        return self.position > 0

    def can_forward(self) -> bool:
        return self.position + 1 < len(self.visits)

    def would_discard(self, index: int) -> list[Visit]:
        """What taking target `index` here would discard: nothing when it repeats the recorded answer."""
        if self.current.choice == index or not self.ahead:
            return []
        return self.ahead

    def node_of(self, visit: Visit) -> Node:
        return self.flowset.node(visit.ref)

    # -- acting ---------------------------------------------------------------------------------

    def choose(self, index: int) -> Visit:
        """Take choice `index` of a question (or of a steps/info node with choices)."""
        node = self.current_node
        if not node.choices:
            raise SessionError(f"node '{self.current_ref}' has no choices")
        if not 0 <= index < len(node.choices):
            raise SessionError(f"node '{self.current_ref}' has no choice {index + 1}")
        return self._go(index, "choose", node.choices[index].label.get("en"))

    def advance(self) -> Visit:
        """Go on from a steps or info node that has a single `next`."""
        node = self.current_node
        if node.next is None:
            raise SessionError(
                f"node '{self.current_ref}' has no single next node; choose one of its choices"
            )
        return self._go(0, "continue", "")

    def back(self) -> Visit:
        if not self.can_back():
            raise SessionError("already at the first step")
        self.position -= 1
        self._record("back", self.current_ref)
        return self.current

    def forward(self) -> Visit:
        """Redo: step forward along the kept path after a back."""
        if not self.can_forward():
            raise SessionError("no later step to go forward to")
        self.position += 1
        self._record("forward", self.current_ref)
        return self.current

    def jump_to(self, position: int) -> Visit:
        """Go to any visit of the path (or of the kept path ahead)."""
        if not 0 <= position < len(self.visits):
            raise SessionError(f"there is no step {position + 1} on the path")
        self.position = position
        self._record("jump", self.current_ref, f"step {position + 1}")
        return self.current

    def restart(self, start: NodeRef | None = None) -> Visit:
        """Begin again at the start (or at `start`); the old path goes to the audit trail."""
        if self.visits:
            self.audit.append(Discarded(self.clock(), "restart", tuple(self.visits)))
        self.visits = []
        self.position = -1
        self._begin(start or self.start_ref, None, action="restart")
        return self.current

    def set_tick(self, step_index: int, ticked: bool) -> None:
        node = self.current_node
        if not 0 <= step_index < len(node.steps):
            raise SessionError(f"node '{self.current_ref}' has no step {step_index + 1}")
        visit = self.current
        if (step_index in visit.ticked) == ticked:
            return
        if ticked:
            visit.ticked.add(step_index)
        else:
            visit.ticked.discard(step_index)
        self._record("tick" if ticked else "untick", visit.ref, f"step {step_index + 1}")

    def toggle_tick(self, step_index: int) -> bool:
        ticked = step_index not in self.current.ticked
        self.set_tick(step_index, ticked)
        return ticked

    def set_note(self, text: str, position: int | None = None) -> None:
        """The note of the current step (or of the visit at `position`)."""
        visit = self.current if position is None else self.visits[position]
        if visit.note == text:
            return
        visit.note = text
        last = self.history[-1] if self.history else None
        if last is not None and last.action == "note" and last.ref == visit.ref:
            self.history.pop()  # typing: one entry per burst of edits on a step, not one per key
        self._record("note", visit.ref, f"{len(text)} characters")

    def subscribe(self, listener: Callable[[Session], None]) -> None:
        """Call `listener(session)` after every change (autosave hooks in here)."""
        self._listeners.append(listener)

    def copy(self) -> Session:
        """An independent copy of the walk, without listeners: what from_json(to_json()) gives, without
        writing and parsing every time of a long history again."""
        session = Session.__new__(Session)
        session.flowset = self.flowset
        session.clock = self.clock
        session.start_ref = self.start_ref
        session.visits = [replace(visit, ticked=set(visit.ticked)) for visit in self.visits]
        session.position = self.position
        session.history = list(self.history)  # events are frozen
        session.audit = [
            replace(item, visits=tuple(replace(v, ticked=set(v.ticked)) for v in item.visits))
            for item in self.audit
        ]
        session._listeners = []
        return session

    # -- internals ------------------------------------------------------------------------------

    def _begin(
        self,
        start: NodeRef,
        infer_from: NodeRef | None,
        action: str = "start",
        filled_by: FilledBy = FilledBy.LINK,
    ) -> None:
        if not self.flowset.has_node(start):
            raise SessionError(f"there is no node '{start}' in the loaded flows")
        now = self.clock()
        route = find_route(self.flowset, infer_from, start) if infer_from is not None else None
        if route:
            for ref, choice in route:
                visit = Visit(ref, now, choice=choice, left_at=now, inferred=True, filled_by=filled_by)
                self.visits.append(visit)
        self.visits.append(Visit(start, now))
        self.position = len(self.visits) - 1
        self._record(action, start, _START_DETAIL[filled_by] if route else "")

    def _go(self, index: int, action: str, label: str) -> Visit:
        node = self.current_node
        target = NodeRef.parse(node.targets()[index], self.current_ref.flow)
        visit = self.current
        now = self.clock()
        if visit.choice == index and self.ahead and self.ahead[0].ref == target:
            self.position += 1  # the same answer again: walk forward on the kept path
            self._record(action, visit.ref, label)
            return self.current
        if self.ahead:
            self.audit.append(Discarded(now, "answer changed", tuple(self.ahead)))
            del self.visits[self.position + 1 :]
            self._record("change", visit.ref, label, notify=False)
        visit.choice = index
        visit.left_at = now
        visit.inferred = False
        visit.filled_by = FilledBy.UNKNOWN
        self.visits.append(Visit(target, now))
        self.position += 1
        self._record(action, visit.ref, label)
        return self.current

    def _record(self, action: str, ref: NodeRef, detail: str = "", notify: bool = True) -> None:
        self.history.append(Event(self.clock(), action, ref, detail))
        if notify:
            for listener in list(self._listeners):
                listener(self)

    # -- saving ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SESSION_FORMAT,
            "start": str(self.start_ref),
            "position": self.position,
            "visits": [visit.to_json() for visit in self.visits],
            "history": [event.to_json() for event in self.history],
            "audit": [
                {
                    "at": item.at.isoformat(),
                    "reason": item.reason,
                    "visits": [v.to_json() for v in item.visits],
                }
                for item in self.audit
            ],
        }

    @classmethod
    def from_json(cls, flowset: FlowSet, data: dict[str, Any], clock: Clock = utc_now) -> Session:
        """Restore a saved session exactly; refuse (SessionError) when the flows no longer fit it."""
        if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
            raise SessionError(f"not a saved walk of format {SESSION_FORMAT}")
        try:
            start = NodeRef.parse(str(data["start"]), "")
            visits = [Visit.from_json(item) for item in data["visits"]]
            position = int(data["position"])
            history = [Event.from_json(item) for item in data.get("history", [])]
            audit = [
                Discarded(
                    _parse_time(item["at"]),
                    str(item["reason"]),
                    tuple(Visit.from_json(v) for v in item["visits"]),
                )
                for item in data.get("audit", [])
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionError(f"the saved walk is incomplete or malformed ({exc})") from exc
        if not visits or not 0 <= position < len(visits):
            raise SessionError("the saved walk has no current step")
        for visit in visits:
            if not flowset.has_node(visit.ref):
                raise SessionError(
                    f"the saved walk passes node '{visit.ref}', which the loaded flows no longer have"
                )
            node = flowset.node(visit.ref)
            if visit.choice is not None and not 0 <= visit.choice < len(node.targets()):
                raise SessionError(f"the saved answer at '{visit.ref}' no longer exists in the flow")
            if any(not 0 <= index < len(node.steps) for index in visit.ticked):
                raise SessionError(f"the saved ticks at '{visit.ref}' do not match the flow's steps")
        session = cls.__new__(cls)
        session.flowset = flowset
        session.clock = clock
        session.start_ref = start
        session.visits = visits
        session.position = position
        session.history = history
        session.audit = audit
        session._listeners = []
        return session


def find_route(flowset: FlowSet, origin: NodeRef, target: NodeRef) -> list[tuple[NodeRef, int]] | None:
    """The shortest route from `origin` to `target` as (node, choice index) pairs, not including `target`.

    None when `target` cannot be reached from `origin`; [] when they are the same node.
    """
    if origin == target:
        return []
    if not flowset.has_node(origin):
        return None
    came_from: dict[NodeRef, tuple[NodeRef, int]] = {}
    queue = deque([origin])
    seen = {origin}
    while queue:
        here = queue.popleft()
        for index, raw in enumerate(flowset.node(here).targets()):
            nxt = NodeRef.parse(raw, here.flow)
            if nxt in seen or not flowset.has_node(nxt):
                continue
            seen.add(nxt)
            came_from[nxt] = (here, index)
            if nxt == target:
                route: list[tuple[NodeRef, int]] = []
                step = target
                while step != origin:
                    previous, choice = came_from[step]
                    route.append((previous, choice))
                    step = previous
                return route[::-1]
            queue.append(nxt)
    return None


def _filled_by(value: Any) -> FilledBy:
    """A saved reason; one this version does not know (or none) reads as unknown, never as an error."""
    try:
        return FilledBy(value) if isinstance(value, str) else FilledBy.UNKNOWN
    except ValueError:
        return FilledBy.UNKNOWN


def _parse_time(value: Any) -> dt.datetime:
    why = time_problem(str(value))  # also out of range: a year-1 time overflows once shown in a time zone
    if why is not None:
        raise ValueError(why)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
