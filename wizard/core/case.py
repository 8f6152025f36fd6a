"""The case: one walk of the flows with who, what device, notes and outcome, ready for a ticket.

The engine's Session is the source of truth for the path, the answers, the ticks and the notes of each
step; a Case holds the fields an agent types (ticket, end user, device, general note) next to its
session, and derives everything else from the two: the path rows, the actions ticked and not ticked,
the outcome and the "checked → found → done" summary, in any content language the flows carry.

The case's visits are the session's visits, including those kept ahead of the position after a step
back: looking back changes nothing; choosing a different answer is what rewrites the path, and then
the case changes with it, exactly as the engine's path does (the old visits go to the audit trail).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.core.engine import Clock, FilledBy, Session, SessionError, Visit, utc_now
from wizard.core.inline import plain_text
from wizard.core.labels import SUMMARY_LABELS, labels_for
from wizard.core.limits import MAX_NOTE_CHARS, MAX_NOTES_TOTAL_CHARS, time_problem
from wizard.core.model import FlowSet, Node, NodeKind, NodeRef, Outcome

CASE_KIND = "troubleshooting-wizard-case"
CASE_FORMAT = 1

# Unambiguous characters only: no 0/O/D-like pairs, no 1/I/L, no 2/Z, no 5/S, no 8/B, no 6/G.
ID_ALPHABET = "ACEFHJKMNPQRTUVWXY3479"
ID_PATTERN = re.compile(rf"TW-\d{{8}}-\d{{4}}-[{ID_ALPHABET}]{{3}}\Z")

# The few words of the summary are in wizard/core/labels.py, with every content-language text.


def summary_label(lang: str, key: str) -> str:
    return labels_for(SUMMARY_LABELS, lang)[key]


class CaseError(ValueError):
    """Saved case data that cannot be restored; the message names the field and says why."""


def new_case_id(now: dt.datetime, rng: random.Random | None = None) -> str:
    """A readable unique id such as 'TW-20261126-0930-K7Q': UTC date and time, three random characters."""
    rng = rng or random.SystemRandom()
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M")
    return f"TW-{stamp}-{''.join(rng.choice(ID_ALPHABET) for _ in range(3))}"


@dataclass
class EndUser:
    name: str = ""
    upn: str = ""


@dataclass
class Device:
    name: str = ""
    platform: str = ""
    os_version: str = ""
    serial: str = ""
    imei: str = ""


MAX_SEARCHES = 50  # searches kept on one case; a walk rarely needs more than a few
MAX_SEARCH_CHARS = 500


@dataclass(frozen=True)
class SearchRecord:
    """A search the agent made before or during the walk, kept so that unanswered ones can be counted."""

    query: str
    lang: str
    hit: NodeRef | None  # the top hit the search trusted; None when nothing fit
    opened: NodeRef | None  # what the agent opened from the answer; None when they went on another way
    at: dt.datetime
    unknown_codes: tuple[str, ...] = ()  # error codes typed that no flow knows

    @property
    def answered(self) -> bool:
        return self.hit is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "lang": self.lang,
            "hit": str(self.hit) if self.hit else None,
            "opened": str(self.opened) if self.opened else None,
            "unknown_codes": list(self.unknown_codes),
            "at": _time(self.at),
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> SearchRecord:
        if not isinstance(data, dict):
            raise CaseError(f"{where}: expected an object, got {type(data).__name__}")
        query = _text(data, "query", f"{where}.", required=True)
        if len(query) > MAX_SEARCH_CHARS:
            raise CaseError(f"{where}.query: {len(query)} characters; at most {MAX_SEARCH_CHARS}")
        codes = data.get("unknown_codes", [])
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise CaseError(f"{where}.unknown_codes: expected a list of texts")
        at = _parse(data, "at", required=True, prefix=f"{where}.")
        assert at is not None
        return cls(
            query,
            _text(data, "lang", f"{where}."),
            _ref(data, "hit", where),
            _ref(data, "opened", where),
            at,
            tuple(codes[:10]),
        )


MAX_FEEDBACK = 50  # step feedback kept on one case
MAX_FEEDBACK_COMMENT_CHARS = 2_000
FEEDBACK_KINDS = ("unclear", "wrong")


@dataclass(frozen=True)
class FeedbackRecord:
    """ "This step was unclear / wrong" on one step, for the flow's authors; kept on the case only."""

    ref: NodeRef
    kind: str  # one of FEEDBACK_KINDS
    comment: str
    at: dt.datetime
    version: int  # the flow's version when the feedback was given: authors fix that version

    def to_json(self) -> dict[str, Any]:
        return {
            "node": str(self.ref),
            "kind": self.kind,
            "comment": self.comment,
            "version": self.version,
            "at": _time(self.at),
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> FeedbackRecord:
        if not isinstance(data, dict):
            raise CaseError(f"{where}: expected an object, got {type(data).__name__}")
        ref = _ref(data, "node", where)
        if ref is None:
            raise CaseError(f"{where}.node: missing")
        kind = _text(data, "kind", f"{where}.", required=True)
        if kind not in FEEDBACK_KINDS:
            raise CaseError(f"{where}.kind: '{kind[:40]}' is not one of {', '.join(FEEDBACK_KINDS)}")
        comment = _text(data, "comment", f"{where}.")
        if len(comment) > MAX_FEEDBACK_COMMENT_CHARS:
            raise CaseError(
                f"{where}.comment: {len(comment)} characters; at most {MAX_FEEDBACK_COMMENT_CHARS}"
            )
        version = data.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise CaseError(f"{where}.version: expected a whole number from 1")
        at = _parse(data, "at", required=True, prefix=f"{where}.")
        assert at is not None
        return cls(ref, kind, comment, at, version)


@dataclass(frozen=True)
class PathRow:
    """One step of the case's path, in one content language."""

    index: int  # 0-based position in the session's visits
    ref: NodeRef
    kind: NodeKind
    title: str  # may hold inline markup (**bold**, `code`, links) as the flow wrote it
    answer: str | None  # the label of the choice taken, None when left by "next" or not left yet
    entered_at: dt.datetime
    left_at: dt.datetime | None
    note: str
    inferred: bool
    current: bool
    filled_by: FilledBy = FilledBy.UNKNOWN  # for an inferred row: what filled it in


@dataclass(frozen=True)
class Action:
    """One numbered action of a steps node on the path."""

    ref: NodeRef
    node_title: str
    number: int  # 1-based, as shown
    text: str  # may hold inline markup
    ticked: bool


@dataclass(frozen=True)
class Summary:
    """Checked → found → done, as plain text lines in one language."""

    lang: str
    checked: tuple[str, ...]
    found: tuple[str, ...]
    done: tuple[str, ...]
    not_done: tuple[str, ...]
    outcome: str

    def as_text(self) -> str:
        """One paragraph: 'Checked: … → Found: … → Done: …. Outcome: …'."""

        def part(key: str, items: tuple[str, ...]) -> str:
            # Items are sentences or titles; their own final full stops would read ".;" once joined.
            joined = (
                "; ".join(item.rstrip(".") for item in items)
                if items
                else summary_label(self.lang, "nothing")
            )
            return f"{summary_label(self.lang, key)}: {joined}"

        text = " → ".join([part("checked", self.checked), part("found", self.found), part("done", self.done)])
        if self.not_done:
            text += f" ({part('not_done', self.not_done)})"
        return f"{text}. {summary_label(self.lang, 'outcome')}: {self.outcome}"


@dataclass(eq=False)
class Case:
    id: str
    session: Session
    started_at: dt.datetime
    updated_at: dt.datetime
    agent: str = ""
    ticket: str = ""
    user: EndUser = field(default_factory=EndUser)
    device: Device = field(default_factory=Device)
    general_note: str = ""
    escalated_to: str = ""  # when set, replaces the end node's escalate_to
    escalation_reason: str = ""  # when set, replaces the end node's reason
    ended_at: dt.datetime | None = None  # set when the agent closes the case
    searches: list[SearchRecord] = field(default_factory=list)  # in the order made
    feedback: list[FeedbackRecord] = field(default_factory=list)  # step feedback, in the order given
    lang: str = ""  # the language the walk was shown in, when known (statistics count cases by it)

    # -- making ---------------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        flowset: FlowSet,
        start: NodeRef,
        *,
        agent: str = "",
        ticket: str = "",
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        infer_path_from: NodeRef | None = None,
        filled_by: FilledBy = FilledBy.LINK,
        taken: Callable[[str], bool] | None = None,
    ) -> Case:
        """Start a walk at `start`; `taken(id)` says whether an id is in use (the case store's)."""
        session = Session(flowset, start, clock=clock, infer_path_from=infer_path_from, filled_by=filled_by)
        return cls.for_session(session, agent=agent, ticket=ticket, rng=rng, taken=taken)

    @classmethod
    def for_session(
        cls,
        session: Session,
        *,
        agent: str = "",
        ticket: str = "",
        rng: random.Random | None = None,
        taken: Callable[[str], bool] | None = None,
    ) -> Case:
        """A new case around a session that has already begun."""
        started = session.visits[0].entered_at if session.visits else session.clock()
        case_id = new_case_id(started, rng)
        for _ in range(100):
            if taken is None or not taken(case_id):
                break
            case_id = new_case_id(started, rng)
        return cls(case_id, session, started, started, agent=agent, ticket=ticket)

    # -- reading --------------------------------------------------------------------------------

    @property
    def flowset(self) -> FlowSet:
        return self.session.flowset

    @property
    def visits(self) -> list[Visit]:
        """The session's visits: the path and any kept ahead of the position after a step back."""
        return self.session.visits

    @property
    def is_finished(self) -> bool:
        return self.ended_at is not None

    @property
    def end_node(self) -> Node | None:
        """The end node the walk reached, if its last visit is one."""
        last = self.session.node_of(self.visits[-1])
        return last if last.kind is NodeKind.END else None

    @property
    def outcome(self) -> Outcome | None:
        node = self.end_node
        return node.outcome if node is not None else None

    @property
    def walk_ended_at(self) -> dt.datetime | None:
        """When the walk reached its end node."""
        return self.visits[-1].entered_at if self.end_node is not None else None

    def escalation(self, lang: str) -> tuple[str, str]:
        """To whom and why, for an escalated case: the agent's words, else the flow's."""
        node = self.end_node
        to = self.escalated_to or (node.escalate_to.get(lang) if node and node.escalate_to else "")
        why = self.escalation_reason or (node.reason.get(lang) if node and node.reason else "")
        return plain_text(to), plain_text(why)

    def outcome_line(self, lang: str) -> str:
        outcome = self.outcome
        if outcome is None:
            return summary_label(lang, "in_progress")
        if outcome is Outcome.ESCALATE:
            to, why = self.escalation(lang)
            key = "escalate_reason" if why else "escalate"
            return summary_label(lang, key).format(to=to or "?", reason=why)
        return summary_label(lang, outcome.value)

    def path_rows(self, lang: str) -> list[PathRow]:
        rows = []
        for index, visit in enumerate(self.visits):
            node = self.session.node_of(visit)
            rows.append(
                PathRow(
                    index=index,
                    ref=visit.ref,
                    kind=node.kind,
                    title=node.title.get(lang),
                    answer=self._answer(node, visit, lang),
                    entered_at=visit.entered_at,
                    left_at=visit.left_at,
                    note=visit.note,
                    inferred=visit.inferred,
                    current=index == self.session.position,
                    filled_by=visit.filled_by,
                )
            )
        return rows

    def actions(self, lang: str) -> list[Action]:
        """Every numbered action of the steps nodes on the path, ticked or not, in path order."""
        found = []
        for visit in self.visits:
            node = self.session.node_of(visit)
            for number, step in enumerate(node.steps, 1):
                found.append(
                    Action(
                        visit.ref,
                        node.title.get(lang),
                        number,
                        step.text.get(lang),
                        number - 1 in visit.ticked,
                    )
                )
        return found

    def ticked_actions(self, lang: str) -> list[Action]:
        return [action for action in self.actions(lang) if action.ticked]

    def unticked_actions(self, lang: str) -> list[Action]:
        return [action for action in self.actions(lang) if not action.ticked]

    def found_visits(self) -> list[Visit]:
        """The problem(s) the walk reached, in path order: the diagnosis (the page a real answer led to,
        or the page a search or link opened) and every page that names error codes, identifiers or
        messages. A question is never a finding, nor a page that only starts a flow (initial checks)."""
        found: list[Visit] = []
        diagnosed = False
        previous: Visit | None = None
        for visit in self.visits:
            node = self.session.node_of(visit)
            if node.kind not in (NodeKind.QUESTION, NodeKind.END):
                names_error = bool(node.error_codes or node.error_ids or node.messages)
                if names_error or (not diagnosed and self._diagnosis(previous, visit)):
                    found.append(visit)
                    diagnosed = True
            previous = visit
        return found

    def _diagnosis(self, previous: Visit | None, visit: Visit) -> bool:
        """Whether `visit` is the page the walk was looking for: reached by answering a question that
        is a check, or opened directly (by a search, a link) rather than as the entry of a flow."""
        if previous is None:
            return visit.ref.node != self.flowset.flow(visit.ref.flow).entry
        node = self.session.node_of(previous)
        return node.kind is NodeKind.QUESTION and not self.picks_a_flow(previous)

    def picks_a_flow(self, visit: Visit) -> bool:
        """Whether the answer given at `visit` only picks a platform or a flow: it leads to the start
        of another flow (the platform question, "initial checks", "an error code") rather than to a
        problem; such an answer is routing, not a check."""
        node = self.session.node_of(visit)
        if visit.choice is None or visit.choice >= len(node.targets()):
            return False
        target = NodeRef.parse(node.targets()[visit.choice], visit.ref.flow)
        return (
            target.flow != visit.ref.flow
            and target.flow in self.flowset
            and target.node == self.flowset.flow(target.flow).entry
        )

    def error_codes(self) -> list[str]:
        """The error codes and identifiers of the nodes on the path, each once, in path order."""
        seen: dict[str, None] = {}
        for visit in self.visits:
            node = self.session.node_of(visit)
            for code in (*node.error_codes, *node.error_ids):
                seen.setdefault(code, None)
        return list(seen)

    def summary(self, lang: str) -> Summary:
        """Checked: the questions the agent answered (not those a search or link filled in, nor an
        answer that only picks a platform or flow); found: found_visits(); done: the actions ticked and
        the answers given on the pages that are not questions (what came of a step); not done: the
        actions not ticked."""
        checked: list[str] = []
        done: list[str] = []
        for visit in self.visits:
            node = self.session.node_of(visit)
            title = plain_text(node.title.get(lang))
            answer = self._answer(node, visit, lang)
            if node.kind is NodeKind.QUESTION:
                if answer is not None and not visit.inferred and not self.picks_a_flow(visit):
                    checked.append(f"{title} → {plain_text(answer)}")
                continue
            for number in sorted(visit.ticked):
                done.append(plain_text(node.steps[number].text.get(lang)))
            if answer is not None and not visit.inferred and not self.picks_a_flow(visit):
                done.append(f"{title} → {plain_text(answer)}")
        found = []
        for visit in self.found_visits():
            node = self.session.node_of(visit)
            codes = (*node.error_codes, *node.error_ids)
            title = plain_text(node.title.get(lang))
            found.append(f"{title} ({', '.join(codes)})" if codes else title)
        not_done = [plain_text(action.text) for action in self.unticked_actions(lang)]
        return Summary(
            lang, tuple(checked), tuple(found), tuple(done), tuple(not_done), self.outcome_line(lang)
        )

    def flow_versions(self) -> dict[str, int]:
        """The version of every flow the case passes through (on its path and in its audit trail)."""
        ids: dict[str, None] = {self.session.start_ref.flow: None}
        for visit in self.visits:
            ids.setdefault(visit.ref.flow, None)
        for discarded in self.session.audit:
            for visit in discarded.visits:
                ids.setdefault(visit.ref.flow, None)
        return {flow_id: self.flowset.flow(flow_id).version for flow_id in ids if flow_id in self.flowset}

    def personal_values(self) -> list[str]:
        """The personal data an export can redact: names, UPN, device name, serial number, IMEI."""
        from wizard.core.redact import personal_values

        return personal_values(self)

    @staticmethod
    def _answer(node: Node, visit: Visit, lang: str) -> str | None:
        if visit.choice is None or not node.choices or visit.choice >= len(node.choices):
            return None
        return node.choices[visit.choice].label.get(lang)

    def note_room(self, position: int | None = None) -> int:
        """How long the note of the visit at `position` (None: the general note) may be: one note at
        most MAX_NOTE_CHARS, and all the walk's notes together at most MAX_NOTES_TOTAL_CHARS."""
        others = sum(len(visit.note) for index, visit in enumerate(self.visits) if index != position)
        others += len(self.escalation_reason) + (len(self.general_note) if position is not None else 0)
        return max(0, min(MAX_NOTE_CHARS, MAX_NOTES_TOTAL_CHARS - others))

    # -- changing -------------------------------------------------------------------------------

    def record_search(self, record: SearchRecord) -> None:
        """Keep a search on the case (its query cut to a sane length); the first MAX_SEARCHES are kept."""
        if len(self.searches) < MAX_SEARCHES:
            query = record.query[:MAX_SEARCH_CHARS]
            self.searches.append(
                SearchRecord(query, record.lang, record.hit, record.opened, record.at, record.unknown_codes)
            )
            self.touch()

    def add_feedback(self, ref: NodeRef, kind: str, comment: str = "") -> FeedbackRecord | None:
        """Keep "this step was unclear / wrong" for the step `ref`; None when the case holds enough."""
        if kind not in FEEDBACK_KINDS:
            raise ValueError(f"feedback kind '{kind}' is not one of {', '.join(FEEDBACK_KINDS)}")
        if len(self.feedback) >= MAX_FEEDBACK:
            return None
        version = self.flowset.flow(ref.flow).version if ref.flow in self.flowset else 1
        record = FeedbackRecord(
            ref, kind, comment.strip()[:MAX_FEEDBACK_COMMENT_CHARS], self.session.clock(), version
        )
        self.feedback.append(record)
        self.touch(record.at)
        return record

    def touch(self, now: dt.datetime | None = None) -> None:
        """Mark the case changed (the store orders history by it)."""
        self.updated_at = now or self.session.clock()

    def finish(self, now: dt.datetime | None = None) -> None:
        """Close the case: it is no longer offered for resuming."""
        self.ended_at = now or self.session.clock()
        self.updated_at = self.ended_at

    def reopen(self) -> None:
        self.ended_at = None
        self.touch()

    # -- saving ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": CASE_KIND,
            "format": CASE_FORMAT,
            "id": self.id,
            "agent": self.agent,
            "ticket": self.ticket,
            "user": {"name": self.user.name, "upn": self.user.upn},
            "device": {
                "name": self.device.name,
                "platform": self.device.platform,
                "os_version": self.device.os_version,
                "serial": self.device.serial,
                "imei": self.device.imei,
            },
            "general_note": self.general_note,
            "escalation": {"to": self.escalated_to, "reason": self.escalation_reason},
            "started_at": _time(self.started_at),
            "updated_at": _time(self.updated_at),
            "ended_at": _time(self.ended_at) if self.ended_at else None,
            "flows": self.flow_versions(),
            "session": self.session.to_json(),
        } | (
            ({"lang": self.lang} if self.lang else {})
            | ({"searches": [record.to_json() for record in self.searches]} if self.searches else {})
            | ({"feedback": [record.to_json() for record in self.feedback]} if self.feedback else {})
        )

    @classmethod
    def from_json(cls, flowset: FlowSet, data: Any, clock: Clock = utc_now) -> Case:
        """Restore a saved case; CaseError names the field and says what is wrong with it."""
        if not isinstance(data, dict):
            raise CaseError("the case is not a JSON object")
        if data.get("kind") != CASE_KIND:
            raise CaseError(f"kind: expected '{CASE_KIND}', this is not a saved case")
        version = data.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise CaseError("format: missing or not a whole number")
        if version > CASE_FORMAT:
            raise CaseError(
                f"format: the case was saved in format {version}, newer than this app reads "
                f"({CASE_FORMAT}); update the app"
            )
        if version < 1:
            raise CaseError(f"format: {version} is not a case format")
        case_id = _text(data, "id", required=True)
        if not ID_PATTERN.match(case_id):
            raise CaseError(f"id: '{case_id}' is not a case id like TW-20261126-0930-K7Q")
        user = _object(data, "user")
        device = _object(data, "device")
        escalation = _object(data, "escalation")
        started = _parse(data, "started_at", required=True)
        assert started is not None
        updated = _parse(data, "updated_at") or started
        ended = _parse(data, "ended_at")
        searches = data.get("searches", [])
        if not isinstance(searches, list):
            raise CaseError(f"searches: expected a list, got {type(searches).__name__}")
        if len(searches) > MAX_SEARCHES:
            raise CaseError(f"searches: {len(searches)} entries; a case keeps at most {MAX_SEARCHES}")
        records = [SearchRecord.from_json(item, f"searches[{index}]") for index, item in enumerate(searches)]
        feedback = data.get("feedback", [])
        if not isinstance(feedback, list):
            raise CaseError(f"feedback: expected a list, got {type(feedback).__name__}")
        if len(feedback) > MAX_FEEDBACK:
            raise CaseError(f"feedback: {len(feedback)} entries; a case keeps at most {MAX_FEEDBACK}")
        notes = [FeedbackRecord.from_json(item, f"feedback[{index}]") for index, item in enumerate(feedback)]
        if "session" not in data:
            raise CaseError("session: missing (the walk itself)")
        try:
            session = Session.from_json(flowset, data["session"], clock=clock)
        except SessionError as exc:
            raise CaseError(f"session: {exc}") from exc
        return cls(
            id=case_id,
            session=session,
            started_at=started,
            updated_at=updated,
            agent=_text(data, "agent"),
            ticket=_text(data, "ticket"),
            user=EndUser(name=_text(user, "name", "user."), upn=_text(user, "upn", "user.")),
            device=Device(
                name=_text(device, "name", "device."),
                platform=_text(device, "platform", "device."),
                os_version=_text(device, "os_version", "device."),
                serial=_text(device, "serial", "device."),
                imei=_text(device, "imei", "device."),
            ),
            general_note=_text(data, "general_note"),
            escalated_to=_text(escalation, "to", "escalation."),
            escalation_reason=_text(escalation, "reason", "escalation."),
            ended_at=ended,
            searches=records,
            feedback=notes,
            lang=_text(data, "lang")[:16],
        )

    def flow_changes(self, saved_versions: Mapping[str, Any]) -> list[str]:
        """Flows whose version here differs from the one the saved case was walked with."""
        changes = []
        current = self.flow_versions()
        for flow_id, version in saved_versions.items():
            if flow_id in current and current[flow_id] != version:
                changes.append(
                    f"flow '{flow_id}' is version {current[flow_id]} here; the case was walked with version {version}"
                )
        return changes


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CaseError(f"{key}: expected an object, got {type(value).__name__}")
    return value


def _text(data: dict[str, Any], key: str, prefix: str = "", *, required: bool = False) -> str:
    if key not in data or data[key] is None:
        if required:
            raise CaseError(f"{prefix}{key}: missing")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise CaseError(f"{prefix}{key}: expected text, got {type(value).__name__}")
    return value


def _ref(data: dict[str, Any], key: str, where: str) -> NodeRef | None:
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or raw.count("#") != 1:
        raise CaseError(f"{where}.{key}: expected a node as 'flow#node' or null")
    flow, node = raw.split("#")
    return NodeRef(flow, node)


def _parse(data: dict[str, Any], key: str, *, required: bool = False, prefix: str = "") -> dt.datetime | None:
    raw = data.get(key)
    if raw is None:
        if required:
            raise CaseError(f"{prefix}{key}: missing")
        return None
    if not isinstance(raw, str):
        raise CaseError(f"{prefix}{key}: expected an ISO 8601 time as text, got {type(raw).__name__}")
    why = time_problem(raw)
    if why is not None:
        raise CaseError(f"{prefix}{key}: {why}")
    parsed = dt.datetime.fromisoformat(raw)
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def walk_problems(session: Session) -> list[str]:
    """Ways a restored walk contradicts the loaded flows, one 'field path: why' line each.

    The engine only ever makes walks where each visit follows from the one before by the answer
    recorded there (a choice, or 0 for a single `next`), whose start and history name nodes of the
    flows; a case file from elsewhere must be such a walk too. (A walk saved here is not checked
    again when the flows change under it: the window fills in the path anew then.)
    """
    flowset = session.flowset
    problems = []
    if not flowset.has_node(session.start_ref):
        problems.append(f"session.start: there is no node '{session.start_ref}' in the loaded flows")
    for index, event in enumerate(session.history):
        if not flowset.has_node(event.ref):
            problems.append(f"session.history[{index}]: there is no node '{event.ref}' in the loaded flows")
    for index, discarded in enumerate(session.audit):
        for number, visit in enumerate(discarded.visits):
            if not flowset.has_node(visit.ref):
                problems.append(
                    f"session.audit[{index}].visits[{number}]: there is no node '{visit.ref}' in the loaded flows"
                )
    visits = session.visits
    for index in range(1, len(visits)):
        before, here = visits[index - 1], visits[index]
        targets = flowset.node(before.ref).targets()
        if before.choice is None:
            problems.append(
                f"session.visits[{index}]: '{here.ref}' follows '{before.ref}', which has no answer "
                "recorded (choice is null); the visits do not form a path"
            )
        elif NodeRef.parse(targets[before.choice], before.ref.flow) != here.ref:
            led_to = NodeRef.parse(targets[before.choice], before.ref.flow)
            problems.append(
                f"session.visits[{index}]: '{here.ref}' does not follow from '{before.ref}', whose "
                f"answer {before.choice} leads to '{led_to}'; the visits do not form a path"
            )
    return problems
