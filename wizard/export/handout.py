"""A handout: a whole flow as one document for training, in the language asked for.

`build_handout` turns one flow (or a set of flows) into the small tree below; a writer per format
(handout_html.py, handout_pdf.py) shows it. No Qt here.

The nodes come in walk order: breadth-first from the entry node, then the nodes the entry does not
lead to (those reached from other flows, or from nowhere) in the order they are written. Each node has
a stable anchor made of its id: `node-<id>` for the first flow of the handout, `node-<flow>.<id>` for
the others (ids hold no dot, so the two never meet). A choice names the node it leads to; when that
node is in the handout the writer links to its anchor (or gives its page), else it names the other
flow and the node as text.

Texts are cleaned of control characters (sanitize.clean_text) and keep the flows' inline markup as
spans; everything else is plain text, which the writers escape.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from wizard.core.inline import plain_text
from wizard.core.labels import HANDOUT_LABELS
from wizard.core.links import is_safe_link
from wizard.core.model import Flow, FlowSet, Node, NodeKind, NodeRef, Screenshot, Text
from wizard.export.document import Image, Spans, flow_spans, read_image, screenshot_path
from wizard.export.sanitize import clean_text

LABELS = HANDOUT_LABELS  # in wizard/core/labels.py with every other content-language text

HANDOUT_LANGUAGES = tuple(LABELS)


@dataclass(frozen=True)
class Target:
    """Where a choice or a `next` leads."""

    ref: NodeRef
    title: str  # the node's title, plain text
    anchor: str | None  # the node's anchor when it is in this handout
    flow_title: str | None = None  # the other flow's title, when the node is in another flow

    def text(self, labels: Mapping[str, str]) -> str:
        """The title, with the other flow named when it is not this node's flow."""
        if self.flow_title is None:
            return self.title
        return labels["other_flow"].format(node=self.title, flow=self.flow_title)


@dataclass(frozen=True)
class ChoiceItem:
    label: Spans
    hint: Spans
    target: Target


@dataclass(frozen=True)
class Shot:
    """A screenshot: the picture when its file is there; the alt text is printed in any case."""

    alt: str
    caption: str
    image: Image | None


@dataclass(frozen=True)
class StepItem:
    number: int
    text: Spans
    hint: Spans = ()
    command: str = ""
    screenshot: Shot | None = None


@dataclass(frozen=True)
class CalloutItem:
    kind: str  # note, important, warning
    label: str
    text: Spans


@dataclass(frozen=True)
class LinkItem:
    label: str
    url: str


@dataclass(frozen=True)
class NodeSection:
    ref: NodeRef
    anchor: str
    kind: NodeKind
    kind_label: str
    title: str  # plain text
    is_entry: bool = False
    entered_from: tuple[str, ...] = ()  # titles of the other flows that lead here
    reachable: bool = True  # from the entry of its flow
    body: tuple[Spans, ...] = ()  # paragraphs
    messages: tuple[str, ...] = ()
    callouts: tuple[CalloutItem, ...] = ()
    screenshots: tuple[Shot, ...] = ()
    steps: tuple[StepItem, ...] = ()
    links: tuple[LinkItem, ...] = ()
    error_codes: tuple[str, ...] = ()
    error_ids: tuple[str, ...] = ()
    choices: tuple[ChoiceItem, ...] = ()
    next: Target | None = None
    outcome: str = ""  # the outcome's label, end nodes only
    escalate_to: Spans = ()
    reason: Spans = ()
    source: LinkItem | None = None  # the article section this node comes from


@dataclass(frozen=True)
class FlowPart:
    flow_id: str
    anchor: str
    title: str
    description: Spans
    version: int
    source: LinkItem | None
    section: str
    reviewed: str
    nodes: tuple[NodeSection, ...]


@dataclass(frozen=True)
class Handout:
    title: str  # of the document (PDF metadata, HTML <title>)
    lang: str
    parts: tuple[FlowPart, ...]
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return self.labels.get(key) or LABELS["en"][key]

    def page_label(self, page: int, pages: int) -> str:
        return self.label("page").format(page=page, pages=pages)

    @property
    def nodes(self) -> Iterator[NodeSection]:
        for part in self.parts:
            yield from part.nodes

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(node.anchor for node in self.nodes)


def node_anchor(ref: NodeRef, first_flow: str) -> str:
    """`node-<id>` in the first flow of a handout, `node-<flow>.<id>` in the others."""
    return f"node-{ref.node}" if ref.flow == first_flow else f"node-{ref.flow}.{ref.node}"


def walk_order(flow: Flow) -> tuple[list[Node], set[str]]:
    """The nodes breadth-first from the entry (choices in the order shown), then the others as
    written; and the ids of those reached from the entry."""
    seen = {flow.entry}
    queue = deque([flow.entry])
    ordered: list[Node] = []
    while queue:
        node = flow.nodes[queue.popleft()]
        ordered.append(node)
        for target in node.targets():
            ref = NodeRef.parse(target, flow.id)
            if ref.flow == flow.id and ref.node in flow.nodes and ref.node not in seen:
                seen.add(ref.node)
                queue.append(ref.node)
    reached = set(seen)
    ordered += [node for node_id, node in flow.nodes.items() if node_id not in reached]
    return ordered, reached


def build_handout(flowset: FlowSet, flow_ids: str | Sequence[str], lang: str) -> Handout:
    """The flows `flow_ids` (one id, or several: the first names the handout) as a handout in `lang`.

    Raises KeyError for a flow id that is not in `flowset`.
    """
    ids = [flow_ids] if isinstance(flow_ids, str) else list(dict.fromkeys(flow_ids))
    if not ids:
        raise ValueError("a handout needs at least one flow")
    flows = [flowset.flow(flow_id) for flow_id in ids]
    labels = LABELS.get(lang, LABELS["en"])
    builder = _Builder(flowset, flows, lang, labels)
    parts = tuple(builder.part(flow) for flow in flows)
    title = labels["handout"].format(title=parts[0].title)
    return Handout(title, lang, parts, labels)


def _plain(text: str) -> str:
    return plain_text(clean_text(text))


class _Builder:
    def __init__(self, flowset: FlowSet, flows: list[Flow], lang: str, labels: Mapping[str, str]) -> None:
        self.flowset = flowset
        self.lang = lang
        self.labels = labels
        self.first = flows[0].id
        self.included = {flow.id for flow in flows}
        self.callers = self._callers()

    def _callers(self) -> dict[NodeRef, list[str]]:
        """For every node, the ids of the other flows whose nodes lead to it."""
        callers: dict[NodeRef, list[str]] = {}
        for flow in self.flowset:
            for node in flow.nodes.values():
                for target in node.targets():
                    ref = NodeRef.parse(target, flow.id)
                    if ref.flow != flow.id and flow.id not in callers.setdefault(ref, []):
                        callers[ref].append(flow.id)
        return callers

    def text(self, value: Text | None) -> str:
        return clean_text(value.get(self.lang)) if value is not None else ""

    def spans(self, value: Text | None) -> Spans:
        text = self.text(value)
        return flow_spans(text) if text else ()

    def paragraphs(self, value: Text | None) -> tuple[Spans, ...]:
        """A text split at blank lines; single line breaks stay inside a paragraph."""
        text = self.text(value).strip("\n")
        if not text:
            return ()
        chunks = [chunk.strip("\n") for chunk in text.split("\n\n")]
        return tuple(flow_spans(chunk) for chunk in chunks if chunk.strip())

    def target(self, target: str, flow: Flow) -> Target:
        ref = NodeRef.parse(target, flow.id)
        other = self.flowset.flow(ref.flow)
        title = _plain(other.node(ref.node).title.get(self.lang))
        anchor = node_anchor(ref, self.first) if ref.flow in self.included else None
        flow_title = None if ref.flow == flow.id else _plain(other.title.get(self.lang))
        return Target(ref, title, anchor, flow_title)

    def shot(self, flow: Flow, shot: Screenshot) -> Shot:
        alt = self.text(shot.alt)
        caption = self.text(shot.caption)
        if flow.resource_root is None:
            return Shot(alt, caption, None)
        path = screenshot_path(flow.resource_root.resolve(), shot, self.lang)
        return Shot(alt, caption, read_image(path, shot, self.lang) if path is not None else None)

    def part(self, flow: Flow) -> FlowPart:
        ordered, reached = walk_order(flow)
        nodes = tuple(self.node(flow, node, node.id in reached) for node in ordered)
        source = None
        section = ""
        if flow.source is not None:
            url = flow.source.url_of(flow.source.section)
            source = LinkItem(clean_text(url), clean_text(url))
            section = self.section_title(flow, flow.source.section)
        reviewed = flow.reviewed.isoformat() if isinstance(flow.reviewed, dt.date) else ""
        return FlowPart(
            flow_id=flow.id,
            anchor=f"flow-{flow.id}",
            title=_plain(flow.title.get(self.lang)),
            description=self.spans(flow.description),
            version=flow.version,
            source=source,
            section=section,
            reviewed=reviewed,
            nodes=nodes,
        )

    def section_title(self, flow: Flow, section: str | None) -> str:
        """The article's heading of a section in the handout's language; its anchor when it has none."""
        title = flow.section_title(section)
        return _plain(title.get(self.lang)) if title is not None else clean_text(section or "")

    def node(self, flow: Flow, node: Node, reachable: bool) -> NodeSection:
        ref = NodeRef(flow.id, node.id)
        labels = self.labels
        callers = [caller for caller in self.callers.get(ref, []) if caller != flow.id]
        entered_from = tuple(_plain(self.flowset.flow(caller).title.get(self.lang)) for caller in callers)
        steps = tuple(
            StepItem(
                number,
                self.spans(step.text),
                self.spans(step.hint),
                clean_text(step.command or ""),
                self.shot(flow, step.screenshot) if step.screenshot is not None else None,
            )
            for number, step in enumerate(node.steps, 1)
        )
        choices = tuple(
            ChoiceItem(self.spans(choice.label), self.spans(choice.hint), self.target(choice.target, flow))
            for choice in node.choices
        )
        section = flow.section_of(node)
        source = None
        if flow.source is not None and node.section and section:
            source = LinkItem(self.section_title(flow, section), clean_text(flow.source.url_of(section)))
        return NodeSection(
            ref=ref,
            anchor=node_anchor(ref, self.first),
            kind=node.kind,
            kind_label=labels[node.kind.value],
            title=_plain(node.title.get(self.lang)),
            is_entry=node.id == flow.entry,
            entered_from=entered_from,
            reachable=reachable,
            body=self.paragraphs(node.body),
            messages=tuple(self.text(message) for message in node.messages),
            callouts=tuple(
                CalloutItem(callout.kind.value, labels[callout.kind.value], self.spans(callout.text))
                for callout in node.callouts
            ),
            screenshots=tuple(self.shot(flow, shot) for shot in node.screenshots),
            steps=steps,
            links=tuple(
                LinkItem(self.text(link.label), clean_text(link.url))
                for link in node.links
                if is_safe_link(link.url)
            ),
            error_codes=tuple(clean_text(code) for code in node.error_codes),
            error_ids=tuple(clean_text(error_id) for error_id in node.error_ids),
            choices=choices,
            next=self.target(node.next, flow) if node.next is not None else None,
            outcome=labels[node.outcome.value] if node.outcome is not None else "",
            escalate_to=self.spans(node.escalate_to),
            reason=self.spans(node.reason),
            source=source,
        )


def spans_text(spans: Spans) -> str:
    """The text of spans as a reader sees it (links keep their label)."""
    return "".join(span.text for span in spans)
