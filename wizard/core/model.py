"""The flow model: frozen dataclasses built by the loader, read by everything else.

Nothing here imports Qt. Instances are immutable so that the engine, search and UI can share them freely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class NodeKind(StrEnum):
    QUESTION = "question"
    STEPS = "steps"
    INFO = "info"
    END = "end"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATE = "escalate"
    NOT_RESOLVED = "not_resolved"


class CalloutKind(StrEnum):
    NOTE = "note"
    IMPORTANT = "important"
    WARNING = "warning"


PLATFORMS: tuple[str, ...] = ("android", "ios", "macos", "windows", "general", "configmgr")


@dataclass(frozen=True, slots=True)
class Text:
    """A text a person reads, one string per language code."""

    by_lang: Mapping[str, str]

    def get(self, lang: str, fallback: str = "en") -> str:
        """The text in `lang`, else in `fallback`, else in any language it has."""
        if lang in self.by_lang:
            return self.by_lang[lang]
        if fallback in self.by_lang:
            return self.by_lang[fallback]
        return next(iter(self.by_lang.values()), "")

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.by_lang)

    def values(self) -> Iterator[str]:
        return iter(self.by_lang.values())

    def __hash__(self) -> int:  # Mapping is not hashable; the sorted items are.
        return hash(tuple(sorted(self.by_lang.items())))


@dataclass(frozen=True, slots=True)
class Keywords:
    """Words users say for a node that its text does not hold, per language; only search reads them."""

    by_lang: Mapping[str, tuple[str, ...]]

    def get(self, lang: str) -> tuple[str, ...]:
        return self.by_lang.get(lang, ())

    def values(self) -> Iterator[tuple[str, ...]]:
        return iter(self.by_lang.values())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.by_lang.items())))


NO_KEYWORDS = Keywords({})


@dataclass(frozen=True, slots=True)
class SynonymTable:
    """One language's synonyms file: groups of words or phrases that mean the same to a user, and the
    words that name a platform (`iphone` -> ios). Content, not code: authors extend it."""

    lang: str
    groups: tuple[tuple[str, ...], ...] = ()
    platforms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.lang, self.groups, tuple(sorted(self.platforms.items()))))


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was written: 1-based line and column in a file."""

    path: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Screenshot:
    image: str  # relative to the pack's resources/, may hold "{lang}"
    alt: Text
    caption: Text | None = None

    def image_for(self, lang: str) -> str:
        return self.image.replace("{lang}", lang)


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: Text


@dataclass(frozen=True, slots=True)
class Callout:
    kind: CalloutKind
    text: Text


@dataclass(frozen=True, slots=True)
class Choice:
    label: Text
    target: str  # "node-id" or "flow-id#node-id"
    hint: Text | None = None


@dataclass(frozen=True, slots=True)
class Step:
    text: Text
    hint: Text | None = None
    command: str | None = None
    screenshot: Screenshot | None = None


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: NodeKind
    title: Text
    body: Text | None = None
    section: str | None = None
    callouts: tuple[Callout, ...] = ()
    screenshots: tuple[Screenshot, ...] = ()
    links: tuple[Link, ...] = ()
    error_codes: tuple[str, ...] = ()
    error_ids: tuple[str, ...] = ()
    messages: tuple[Text, ...] = ()
    choices: tuple[Choice, ...] = ()
    steps: tuple[Step, ...] = ()
    next: str | None = None
    outcome: Outcome | None = None
    escalate_to: Text | None = None
    reason: Text | None = None
    keywords: Keywords = NO_KEYWORDS
    location: Location | None = field(default=None, compare=False)

    def targets(self) -> tuple[str, ...]:
        """Every node reference this node can lead to, in the order shown."""
        if self.next is not None:
            return (self.next,)
        return tuple(choice.target for choice in self.choices)

    def all_screenshots(self) -> Iterator[Screenshot]:
        yield from self.screenshots
        for step in self.steps:
            if step.screenshot is not None:
                yield step.screenshot


@dataclass(frozen=True, slots=True)
class Source:
    """The article a flow comes from: its address, the section the flow starts from, and the titles of
    the sections its nodes name (by anchor), so pages can show a heading rather than an anchor."""

    url: str
    section: str | None = None
    titles: Mapping[str, Text] = field(default_factory=dict, hash=False)

    def url_of(self, section: str | None) -> str:
        """The address of a section of the article (of the article itself without one)."""
        return f"{self.url}#{section}" if section else self.url


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    version: int
    title: Text
    description: Text
    platforms: tuple[str, ...]
    entry: str
    nodes: Mapping[str, Node]  # insertion-ordered as written
    source: Source | None = None
    reviewed: dt.date | None = None
    path: Path | None = field(default=None, compare=False)
    resource_root: Path | None = field(default=None, compare=False)

    @property
    def languages(self) -> frozenset[str]:
        return self.title.languages

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def section_of(self, node: Node) -> str | None:
        if node.section:
            return node.section
        return self.source.section if self.source else None

    def section_title(self, section: str | None) -> Text | None:
        """The article's heading of a section, as the flow names it under `source: titles:`."""
        if section is None or self.source is None:
            return None
        return self.source.titles.get(section)


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node addressed across flows."""

    flow: str
    node: str

    def __str__(self) -> str:
        return f"{self.flow}#{self.node}"

    @classmethod
    def parse(cls, target: str, current_flow: str) -> NodeRef:
        """Resolve "node" or "flow#node" as written in `current_flow`."""
        flow, sep, node = target.partition("#")
        if not sep:
            return cls(current_flow, target)
        return cls(flow, node)


@dataclass(frozen=True)
class FlowSet:
    """All flows loaded, keyed by id, in load order."""

    flows: Mapping[str, Flow]
    # The synonyms files of the flow folders, by language (see docs/flow-format.md).
    synonyms: Mapping[str, SynonymTable] = field(default_factory=dict)

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self.flows

    def __iter__(self) -> Iterator[Flow]:
        return iter(self.flows.values())

    def __len__(self) -> int:
        return len(self.flows)

    def flow(self, flow_id: str) -> Flow:
        return self.flows[flow_id]

    def node(self, ref: NodeRef) -> Node:
        return self.flows[ref.flow].nodes[ref.node]

    def has_node(self, ref: NodeRef) -> bool:
        flow = self.flows.get(ref.flow)
        return flow is not None and ref.node in flow.nodes

    def resolve(self, target: str, current_flow: str) -> NodeRef:
        return NodeRef.parse(target, current_flow)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages every flow carries; Swedish and English first when present."""
        common: set[str] | None = None
        for flow in self:
            common = set(flow.languages) if common is None else common & flow.languages
        preferred = ["sv", "en"]
        found = common or set()
        return tuple([lang for lang in preferred if lang in found] + sorted(found - set(preferred)))

    def node_count(self) -> int:
        return sum(len(flow.nodes) for flow in self)
