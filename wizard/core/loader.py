"""The one place YAML is read: a flow file becomes a `Flow`, or a list of located problems.

YAML is composed with the safe (C when available) loader into a node tree that keeps line and column
of everything, then built by hand into the frozen model. Building by hand, rather than with
`safe_load`, is what lets every problem carry its location, catches duplicate keys (which `safe_load`
silently merges) and keeps scalars as written: `no`, `yes` and `0x80CF0437` stay strings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from wizard.core.links import is_safe_link
from wizard.core.model import (
    NO_KEYWORDS,
    PLATFORMS,
    Callout,
    CalloutKind,
    Choice,
    Flow,
    Keywords,
    Link,
    Location,
    Node,
    NodeKind,
    Outcome,
    Screenshot,
    Source,
    Step,
    Text,
)
from wizard.core.problems import Problem, Severity

try:  # libyaml's parser is many times faster; fall back quietly where PyYAML was built without it.
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode
_PLAIN_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Composer(_Parser):
    """Safe by construction: it only composes nodes, never constructs objects, and resolves no tags,
    so every scalar stays the text the author wrote ('no', '0x80CF0437', '2026-11-26')."""

    # The composer calls these three for every YAML node. Path-based resolution is not used, so
    # the first two do nothing; C-level callables keep that nothing cheap on 400,000-node sets.
    descend_resolver: Callable[..., object] = {}.get  # (parent, index) -> index, ignored
    ascend_resolver: Callable[[], object] = tuple  # () -> (), ignored

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        if kind is _ScalarNode:
            return _PLAIN_STR
        return _MAP if kind is _MappingNode else _SEQ


def _compose(text: str) -> yaml.Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


MAX_FILE_BYTES = 2 * 1024 * 1024
# How many YAML nodes the builder may visit in one file once aliases are followed: far above any real
# flow (a 100-node flow is about 5,000), far below what an alias bomb needs to hurt.
MAX_EXPANDED_NODES = 400_000
MAX_FLOW_NESTING = 2000  # libyaml's composer was seen to crash somewhere past 10,000
MAX_KEYWORDS = 40  # per node and language: keywords name what users say, they are not a second text
MAX_KEYWORD_CHARS = 80
_BRACKETS = re.compile(r"[\[\]{}]")

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Language codes already seen to match LANG_PATTERN, so the common ones skip the regular expression.
_KNOWN_LANGUAGES: dict[str, str] = {"sv": "sv", "en": "en"}
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?\Z")
ANCHOR_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
TARGET_PATTERN = re.compile(r"([a-z0-9][a-z0-9-]*#)?[a-z0-9][a-z0-9-]*\Z")
ERROR_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")

FLOW_KEYS = ("id", "version", "title", "description", "platforms", "entry", "source", "reviewed", "nodes")
FLOW_REQUIRED = ("id", "version", "title", "description", "platforms", "entry", "nodes")
NODE_COMMON_KEYS = (
    "id",
    "kind",
    "title",
    "body",
    "section",
    "callouts",
    "screenshots",
    "links",
    "error_codes",
    "error_ids",
    "messages",
    "keywords",
)
NODE_KEYS_BY_KIND: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.QUESTION: (*NODE_COMMON_KEYS, "choices"),
    NodeKind.STEPS: (*NODE_COMMON_KEYS, "steps", "next", "choices"),
    NodeKind.INFO: (*NODE_COMMON_KEYS, "next", "choices"),
    NodeKind.END: (*NODE_COMMON_KEYS, "outcome", "escalate_to", "reason"),
}
ALL_NODE_KEYS = tuple(dict.fromkeys(key for keys in NODE_KEYS_BY_KIND.values() for key in keys))
# Lookups prepared once: enum calls and tuple scans add up over tens of thousands of nodes.
_NODE_KEY_SETS = {kind: frozenset(keys) for kind, keys in NODE_KEYS_BY_KIND.items()}
_ALL_NODE_KEY_SET = frozenset(ALL_NODE_KEYS)
_KINDS = {kind.value: kind for kind in NodeKind}
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
_KIND_NAMES = tuple(_KINDS)
_OUTCOME_NAMES = tuple(_OUTCOMES)
_CALLOUT_NAMES = tuple(kind.value for kind in CalloutKind)


@dataclass(frozen=True, slots=True)
class RefSite:
    """A reference to a node, where it was written: checked once every flow is known."""

    flow: str
    node: str  # the node holding the reference
    target: str
    location: Location


@dataclass
class LoadedFile:
    """What loading one file gave: the flow (None when it has errors) and everything found."""

    path: Path
    flow: Flow | None
    problems: list[Problem] = field(default_factory=list)
    refs: list[RefSite] = field(default_factory=list)
    texts: list[tuple[Text, int, int]] = field(default_factory=list)  # every text with its line and column
    images: list[tuple[str, Location]] = field(default_factory=list)
    flow_id: str | None = None  # known even when the flow itself failed to build
    built: Flow | None = None  # the flow as built, even when checks later refused it

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)


class _Abort(Exception):
    """Stops building a file whose structure cannot be read any further."""


T = TypeVar("T")


class _Builder:
    """Builds one file's model from its composed YAML, collecting problems as it goes."""

    def __init__(self, path: Path, resource_root: Path | None) -> None:
        self.path = path
        self.resource_root = resource_root
        self.problems: list[Problem] = []
        self.refs: list[RefSite] = []
        self.texts: list[tuple[Text, int, int]] = []
        self.images: list[tuple[str, Location]] = []
        self.budget = MAX_EXPANDED_NODES
        self.current_node_id = ""
        self.flow_id = ""
        # Every section anchor named (by the flow's source and by nodes), and every section title given,
        # with where it was written: checked against each other once the whole flow is read.
        self.section_uses: list[tuple[str, yaml.Node]] = []
        self.title_sites: dict[str, yaml.Node] = {}

    # -- problems ---------------------------------------------------------------------------------

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node | None, message: str) -> None:
        self.report(node, message, Severity.ERROR)

    def warn(self, node: yaml.Node | None, message: str) -> None:
        self.report(node, message, Severity.WARNING)

    def report(self, node: yaml.Node | None, message: str, severity: Severity) -> None:
        line, column = (0, 0) if node is None else (node.start_mark.line + 1, node.start_mark.column + 1)
        self.problems.append(Problem(self.path, line, column, message, severity))

    def spend(self, node: yaml.Node, count: int) -> None:
        """Count nodes visited; aliases can make a small file expand without bound, so stop early."""
        self.budget -= count
        if self.budget < 0:
            self.error(
                node,
                "YAML aliases expand this file far beyond what a flow needs; remove the anchors (&) and aliases (*)",
            )
            raise _Abort

    # -- generic shapes ---------------------------------------------------------------------------

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        allowed: tuple[str, ...] | frozenset[str],
        required: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node] | None:
        if node.__class__ is not _MappingNode:
            self.error(node, f"{what} must be a mapping of keys to values, not {_describe(node)}")
            return None
        result: dict[str, yaml.Node] = {}
        self.spend(node, len(node.value) + 1)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"keys of {what} must be plain words")
                continue
            key = key_node.value
            if key == "<<":
                self.error(key_node, "merge keys (<<) are not supported in flows; write the keys out")
                continue
            if key in result:
                self.error(key_node, f"duplicate key '{key}' in {what}; keep one of them")
                continue
            if key not in allowed:
                self.error(
                    key_node, f"unknown key '{key}' in {what}{_did_you_mean(key, tuple(sorted(allowed)))}"
                )
                continue
            result[key] = value_node
        for key in required:
            if key not in result:
                self.error(node, f"{what} is missing the required key '{key}'")
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list (items starting with '- '), not {_describe(node)}")
            return []
        self.spend(node, len(node.value) + 1)
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value, not {_describe(node)}")
            return None
        if node.style is None and node.value in _NULLS:
            self.error(node, f"{what} is empty; give it a value")
            return None
        return str(node.value)

    def string(self, node: yaml.Node, what: str) -> str | None:
        if node.__class__ is _ScalarNode:  # the common case, checked without further calls
            value = node.value
            if value and (node.style is not None or value not in _NULLS) and not value.isspace():
                return value  # type: ignore[no-any-return]
        value = self.scalar(node, what)
        if value is not None and not value.strip():
            self.error(node, f"{what} is empty; give it a value")
            return None
        return value

    def pattern(self, node: yaml.Node, what: str, pattern: re.Pattern[str], hint: str) -> str | None:
        value = self.string(node, what)
        if value is not None and not pattern.match(value):
            self.error(node, f"{what} '{value}' is not valid: {hint}")
            return None
        return value

    def choice_of(self, node: yaml.Node, what: str, options: tuple[str, ...]) -> str | None:
        value = self.string(node, what)
        if value is not None and value not in options:
            self.error(
                node, f"{what} '{value}' is not one of {', '.join(options)}{_did_you_mean(value, options)}"
            )
            return None
        return value

    def text(self, node: yaml.Node, what: str) -> Text | None:
        if node.__class__ is _MappingNode:  # the common case: checked inline, reported by text_slowly
            pairs = node.value
            self.spend(node, len(pairs) + 1)
            by_lang: dict[str, str] = {}
            for key_node, value_node in pairs:
                lang = key_node.value
                value = value_node.value
                if (
                    key_node.__class__ is _ScalarNode
                    and lang in _KNOWN_LANGUAGES
                    and lang not in by_lang
                    and value_node.__class__ is _ScalarNode
                    and value
                    and (value_node.style is not None or value not in _NULLS)
                    and not value.isspace()
                ):
                    by_lang[_KNOWN_LANGUAGES[lang]] = value  # one shared "sv", not one per text
                else:
                    return self.text_slowly(node, what)
            if by_lang:
                text = Text(by_lang)
                mark = node.start_mark
                self.texts.append((text, mark.line + 1, mark.column + 1))
                return text
        return self.text_slowly(node, what)

    def text_slowly(self, node: yaml.Node, what: str) -> Text | None:
        if isinstance(node, yaml.ScalarNode):
            self.error(node, f'{what} must give one text per language, e.g. {{sv: "…", en: "…"}}')
            return None
        fields = self.mapping(node, what, allowed=_AnyKey(), required=())
        if fields is None:
            return None
        by_lang: dict[str, str] = {}
        for lang, value_node in fields.items():
            if not LANG_PATTERN.match(lang):
                self.error(value_node, f"'{lang}' in {what} is not a language code such as sv, en or nb")
                continue
            value = self.string(value_node, f"the '{lang}' text of {what}")
            if value is not None:
                _KNOWN_LANGUAGES.setdefault(lang, lang)
                by_lang[lang] = value
        if not by_lang:
            if fields:
                return None
            self.error(node, f'{what} has no text; give one per language, e.g. {{sv: "…", en: "…"}}')
            return None
        text = Text(by_lang)
        mark = node.start_mark
        self.texts.append((text, mark.line + 1, mark.column + 1))
        return text

    def optional(
        self, fields: dict[str, yaml.Node], key: str, build: Callable[[yaml.Node, str], T], what: str
    ) -> T | None:
        node = fields.get(key)
        return None if node is None else build(node, what)

    def list_of(
        self, fields: dict[str, yaml.Node], key: str, build: Callable[[yaml.Node, str], T | None], what: str
    ) -> tuple[T, ...]:
        node = fields.get(key)
        if node is None:
            return ()
        built: list[T] = []
        for index, item in enumerate(self.sequence(node, what), 1):
            value = build(item, f"{what} {index}")
            if value is not None:
                built.append(value)
        return tuple(built)

    # -- flow parts -------------------------------------------------------------------------------

    def flow(self, root: yaml.Node) -> Flow | None:
        fields = self.mapping(root, "the flow", FLOW_KEYS, FLOW_REQUIRED)
        if fields is None:
            raise _Abort
        flow_id = self.optional(
            fields, "id", lambda n, w: self.pattern(n, w, ID_PATTERN, _ID_HINT), "the flow id"
        )
        self.flow_id = flow_id or ""
        version = self.optional(fields, "version", self.positive_int, "version")
        title = self.optional(fields, "title", self.text, "the flow title")
        description = self.optional(fields, "description", self.text, "the flow description")
        platforms = self.list_of(
            fields, "platforms", lambda n, w: self.choice_of(n, "platform", PLATFORMS), "platforms"
        )
        if "platforms" in fields and not platforms and not self.problems:
            self.error(fields["platforms"], "platforms must name at least one of " + ", ".join(PLATFORMS))
        entry = self.optional(fields, "entry", lambda n, w: self.pattern(n, w, ID_PATTERN, _ID_HINT), "entry")
        source = self.optional(fields, "source", self.source, "source")
        reviewed = self.optional(fields, "reviewed", self.date, "reviewed")
        nodes = self.nodes(fields["nodes"]) if "nodes" in fields else {}
        if source is not None:
            self.check_section_titles(source)
        if entry is not None and nodes and entry not in nodes:
            self.error(
                fields["entry"],
                f"entry '{entry}' is not a node of this flow{_did_you_mean(entry, tuple(nodes))}",
            )
        if None in (flow_id, version, title, description, entry) or not platforms or not nodes:
            return None
        assert flow_id is not None and version is not None and title is not None
        assert description is not None and entry is not None
        return Flow(
            id=flow_id,
            version=version,
            title=title,
            description=description,
            platforms=platforms,
            entry=entry,
            nodes=nodes,
            source=source,
            reviewed=reviewed,
            path=self.path,
            resource_root=self.resource_root,
        )

    def positive_int(self, node: yaml.Node, what: str) -> int | None:
        value = self.string(node, what)
        if value is None:
            return None
        if not value.isdigit() or int(value) < 1:
            self.error(node, f"{what} must be a whole number from 1 up, not '{value}'")
            return None
        return int(value)

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        value = self.string(node, what)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(node, f"{what} must be a date written YYYY-MM-DD, not '{value}'")
            return None

    def source(self, node: yaml.Node, what: str) -> Source | None:
        fields = self.mapping(node, what, ("url", "section", "titles"), ("url",))
        if fields is None or "url" not in fields:
            return None
        url = self.https(fields["url"], "the source url")
        section = self.optional(fields, "section", self.section, "the source section")
        titles = self.optional(fields, "titles", self.section_titles, "the section titles of the source")
        return None if url is None else Source(url, section, titles or {})

    def section(self, node: yaml.Node, what: str) -> str | None:
        anchor = self.anchor(node, what)
        if anchor is not None:
            self.section_uses.append((anchor, node))
        return anchor

    def section_titles(self, node: yaml.Node, what: str) -> dict[str, Text]:
        """`titles:` under `source:`: the article's heading of each section, by anchor, in every language."""
        fields = self.mapping(node, what, allowed=_AnyKey())
        titles: dict[str, Text] = {}
        for anchor, value_node in (fields or {}).items():
            if not ANCHOR_PATTERN.match(anchor):
                self.error(
                    value_node,
                    f"'{anchor}' in {what} is not a section anchor: use the anchor of the article's section, e.g. device-cap-reached",
                )
                continue
            title = self.text(value_node, f"the title of section '{anchor}'")
            if title is not None:
                titles[anchor] = title
                self.title_sites[anchor] = value_node
        return titles

    def check_section_titles(self, source: Source) -> None:
        """Every section a page names has a title to show, and every title given is named somewhere."""
        titles = tuple(source.titles)
        used: set[str] = set()
        for anchor, node in self.section_uses:
            if anchor in used:
                continue  # reported once, where the section is first named
            used.add(anchor)
            if anchor not in source.titles:
                self.warn(
                    node,
                    f'section \'{anchor}\' has no title: add `{anchor}: {{sv: "…", en: "…"}}` under source: titles:, '
                    f"so that pages show the article's heading rather than the anchor{_did_you_mean(anchor, titles)}",
                )
        for anchor, node in self.title_sites.items():
            if anchor not in used:
                self.warn(
                    node,
                    f"the title of section '{anchor}' is not used: no node and not the source names that section"
                    f"{_did_you_mean(anchor, tuple(sorted(used)))}",
                )

    def https(self, node: yaml.Node, what: str) -> str | None:
        value = self.string(node, what)
        if value is not None and not is_safe_link(value):
            self.error(node, f"{what} '{value}' must be an https:// address")
            return None
        return value

    def anchor(self, node: yaml.Node, what: str) -> str | None:
        return self.pattern(node, what, ANCHOR_PATTERN, "use the section's anchor, e.g. device-cap-reached")

    def nodes(self, node: yaml.Node) -> dict[str, Node]:
        items = self.sequence(node, "nodes")
        if not items and isinstance(node, yaml.SequenceNode):
            self.error(node, "nodes is empty; a flow needs at least one node")
        result: dict[str, Node] = {}
        for item in items:
            built = self.node(item)
            if built is None:
                continue
            if built.id in result:
                first = result[built.id].location
                self.error(
                    item,
                    f"duplicate node id '{built.id}' (first used at line {first.line if first else '?'}); node ids must be unique in a flow",
                )
                continue
            result[built.id] = built
        return result

    def node(self, item: yaml.Node) -> Node | None:
        fields = self.mapping(item, "a node", _ALL_NODE_KEY_SET, ("id", "kind", "title"))
        if fields is None:
            return None
        get = fields.get
        node_id = self.pattern(n, "the node id", ID_PATTERN, _ID_HINT) if (n := get("id")) else None
        self.current_node_id = node_id or "?"
        what = f"node '{node_id}'" if node_id else "a node"
        kind_name = self.choice_of(n, f"the kind of {what}", _KIND_NAMES) if (n := get("kind")) else None
        kind = _KINDS[kind_name] if kind_name else None
        if kind is not None:
            allowed = _NODE_KEY_SETS[kind]
            for key, value_node in fields.items():
                if key not in allowed:
                    self.error(value_node, f"a {kind} node cannot have '{key}'{_kind_hint(key)}")
        text = self.text
        title = text(n, f"the title of {what}") if (n := get("title")) else None
        body = text(n, f"the body of {what}") if (n := get("body")) else None
        section = self.section(n, f"the section of {what}") if (n := get("section")) else None
        list_of = self.list_of
        callouts = list_of(fields, "callouts", self.callout, "callout")
        screenshots = list_of(fields, "screenshots", self.screenshot, "screenshot")
        links = list_of(fields, "links", self.link, "link")
        error_codes = list_of(fields, "error_codes", self.string, "error code")
        error_ids = list_of(fields, "error_ids", self.error_id, "error id")
        messages = list_of(fields, "messages", text, "message")
        choices = list_of(fields, "choices", self.choice, "choice")
        steps = list_of(fields, "steps", self.step, "step")
        next_target = self.target(n, f"next of {what}") if (n := get("next")) else None
        outcome_name = self.choice_of(n, "outcome", _OUTCOME_NAMES) if (n := get("outcome")) else None
        escalate_to = text(n, f"escalate_to of {what}") if (n := get("escalate_to")) else None
        reason = text(n, f"reason of {what}") if (n := get("reason")) else None
        keywords = self.keywords(n, f"the keywords of {what}") if (n := get("keywords")) else NO_KEYWORDS
        outcome = _OUTCOMES[outcome_name] if outcome_name else None

        if kind is not None and node_id is not None:
            self.check_shape(item, fields, kind, node_id, choices, steps, outcome, escalate_to, reason)
        if node_id is None or kind is None or title is None:
            return None
        return Node(
            id=node_id,
            kind=kind,
            title=title,
            body=body,
            section=section,
            callouts=callouts,
            screenshots=screenshots,
            links=links,
            error_codes=error_codes,
            error_ids=error_ids,
            messages=messages,
            choices=choices,
            steps=steps,
            next=next_target,
            outcome=outcome,
            escalate_to=escalate_to,
            reason=reason,
            keywords=keywords,
            location=self.loc(item),
        )

    def keywords(self, node: yaml.Node, what: str) -> Keywords:
        """`{sv: [ord, …], en: [word, …]}`: words or short phrases per language, one language is enough."""
        fields = self.mapping(node, what, allowed=_AnyKey())
        if fields is None:
            return NO_KEYWORDS
        by_lang: dict[str, tuple[str, ...]] = {}
        for lang, value_node in fields.items():
            if not LANG_PATTERN.match(lang):
                self.error(value_node, f"'{lang}' in {what} is not a language code such as sv, en or nb")
                continue
            items = self.sequence(value_node, f"the {lang} {what}")
            if len(items) > MAX_KEYWORDS:
                self.error(
                    value_node,
                    f"{what} has {len(items)} {lang} keywords; at most {MAX_KEYWORDS}: keep the words users really say",
                )
                continue
            words: list[str] = []
            for item in items:
                word = self.string(item, f"a {lang} keyword of {what}")
                if word is None:
                    continue
                if len(word) > MAX_KEYWORD_CHARS:
                    self.error(item, f"keyword '{word[:30]}…' is longer than {MAX_KEYWORD_CHARS} characters")
                    continue
                words.append(word)
            if words:
                by_lang[_KNOWN_LANGUAGES.setdefault(lang, lang)] = tuple(words)
        return Keywords(by_lang) if by_lang else NO_KEYWORDS

    def check_shape(
        self,
        item: yaml.Node,
        fields: dict[str, yaml.Node],
        kind: NodeKind,
        node_id: str,
        choices: tuple[Choice, ...],
        steps: tuple[Step, ...],
        outcome: Outcome | None,
        escalate_to: Text | None,
        reason: Text | None,
    ) -> None:
        written = fields.get("choices")
        written_count = len(written.value) if isinstance(written, yaml.SequenceNode) else 0
        if kind is NodeKind.QUESTION and written_count < 2:
            self.error(
                written or item, f"question '{node_id}' needs at least two choices (it has {written_count})"
            )
        if kind in (NodeKind.STEPS, NodeKind.INFO):
            has_next, has_choices = "next" in fields, "choices" in fields
            if has_next and has_choices:
                self.error(fields["next"], f"{kind} node '{node_id}' has both next and choices; keep one")
            elif not has_next and not has_choices:
                self.error(item, f"{kind} node '{node_id}' is a dead end: give it next: or choices:")
            elif has_choices and not choices:
                self.error(fields["choices"], f"{kind} node '{node_id}' has an empty choices list")
        if kind is NodeKind.STEPS and "steps" not in fields:
            self.error(item, f"steps node '{node_id}' has no steps: list the actions under steps:")
        if kind is NodeKind.END:
            if "outcome" not in fields:
                self.error(item, f"end node '{node_id}' needs an outcome: resolved, escalate or not_resolved")
            if outcome is Outcome.ESCALATE and escalate_to is None and "escalate_to" not in fields:
                self.error(item, f"end node '{node_id}' escalates but does not say to whom: add escalate_to:")
            if outcome is Outcome.ESCALATE and reason is None and "reason" not in fields:
                self.warn(
                    item, f"end node '{node_id}' escalates without a reason: add reason: for the next line"
                )
        labels: dict[tuple[str, str], int] = {}
        for index, choice in enumerate(choices, 1):
            for lang, label in choice.label.by_lang.items():
                key = (lang, label.strip().casefold())
                if key in labels:
                    self.error(
                        written.value[index - 1] if isinstance(written, yaml.SequenceNode) else item,
                        f"choices {labels[key]} and {index} of '{node_id}' have the same {lang} label '{label}'",
                    )
                else:
                    labels[key] = index

    def error_id(self, node: yaml.Node, what: str) -> str | None:
        return self.pattern(node, what, ERROR_ID_PATTERN, "letters, digits, '_', '.' or '-'")

    def target(self, node: yaml.Node, what: str) -> str | None:
        value = self.pattern(
            node, what, TARGET_PATTERN, "write node-id, or flow-id#node-id for a node of another flow"
        )
        if value is not None:
            self.refs.append(RefSite(self.flow_id, self.current_node_id, value, self.loc(node)))
        return value

    def choice(self, node: yaml.Node, what: str) -> Choice | None:
        fields = self.mapping(node, what, ("label", "next", "hint"), ("label", "next"))
        if fields is None:
            return None
        label = self.optional(fields, "label", self.text, f"the label of {what}")
        target = self.optional(fields, "next", self.target, f"next of {what}")
        hint = self.optional(fields, "hint", self.text, f"the hint of {what}")
        if label is None or target is None:
            return None
        return Choice(label, target, hint)

    def step(self, node: yaml.Node, what: str) -> Step | None:
        fields = self.mapping(node, what, ("text", "hint", "command", "screenshot"), ("text",))
        if fields is None:
            return None
        text = self.optional(fields, "text", self.text, f"the text of {what}")
        hint = self.optional(fields, "hint", self.text, f"the hint of {what}")
        command = self.optional(fields, "command", self.string, f"the command of {what}")
        screenshot = self.optional(fields, "screenshot", self.screenshot, f"the screenshot of {what}")
        return None if text is None else Step(text, hint, command, screenshot)

    def callout(self, node: yaml.Node, what: str) -> Callout | None:
        fields = self.mapping(node, what, ("kind", "text"), ("kind", "text"))
        if fields is None:
            return None
        kind = self.optional(
            fields, "kind", lambda n, w: self.choice_of(n, w, _CALLOUT_NAMES), f"the kind of {what}"
        )
        text = self.optional(fields, "text", self.text, f"the text of {what}")
        return None if kind is None or text is None else Callout(CalloutKind(kind), text)

    def link(self, node: yaml.Node, what: str) -> Link | None:
        fields = self.mapping(node, what, ("url", "label"), ("url", "label"))
        if fields is None:
            return None
        url = self.optional(fields, "url", self.https, f"the url of {what}")
        label = self.optional(fields, "label", self.text, f"the label of {what}")
        return None if url is None or label is None else Link(url, label)

    def screenshot(self, node: yaml.Node, what: str) -> Screenshot | None:
        fields = self.mapping(node, what, ("image", "alt", "caption"), ("image", "alt"))
        if fields is None:
            return None
        image = self.optional(fields, "image", self.string, f"the image of {what}")
        alt = self.optional(fields, "alt", self.text, f"the alt text of {what}")
        caption = self.optional(fields, "caption", self.text, f"the caption of {what}")
        if image is not None and not self.image_path_ok(fields["image"], image):
            return None
        if image is not None:
            self.images.append((image, self.loc(fields["image"])))
        if image is None or alt is None:
            return None
        return Screenshot(image, alt, caption)

    def image_path_ok(self, node: yaml.Node, image: str) -> bool:
        pure = Path(image)
        if pure.is_absolute() or image.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", image):
            self.error(
                node,
                f"screenshot '{image}' is an absolute path; write it relative to the pack's resources/ folder",
            )
            return False
        if ".." in re.split(r"[\\/]", image):
            self.error(
                node, f"screenshot '{image}' points outside the pack ('..'); keep images under resources/"
            )
            return False
        return True


class _AnyKey(tuple[str, ...]):
    """An `allowed` that admits every key (language codes are checked separately)."""

    def __contains__(self, key: object) -> bool:
        return True


_ID_HINT = "use lower-case letters, digits and '-', starting with a letter or digit"
_KIND_HINTS = {
    "choices": " (only question, steps and info nodes have choices)",
    "next": " (only steps and info nodes have next)",
    "steps": " (only steps nodes have steps)",
    "outcome": " (only end nodes have an outcome)",
    "escalate_to": " (only end nodes escalate)",
    "reason": " (only end nodes have a reason)",
}


def _kind_hint(key: str) -> str:
    return _KIND_HINTS.get(key, "")


def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'" if node.value else "nothing"


def resource_root_for(directory: Path) -> Path:
    """Where a flow directory's images live: `D/resources`, else `resources/` beside `D`."""
    inside = directory / "resources"
    return inside if inside.is_dir() else directory.parent / "resources"


def _size_text(size: int) -> str:
    """A file size as people read it, exact enough to compare with the limit: "2.0 MiB (2,097,153 bytes)"."""
    return f"{size / 1024 / 1024:.1f} MiB ({size:,} bytes)"


def read_flow_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or the reason it cannot be a flow (size, emptiness, binary, encoding)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(
                path,
                0,
                0,
                f"file is {_size_text(size)}; a flow file may be at most {MAX_FILE_BYTES // 1024 // 1024} MiB: split it into several flows",
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(path, 0, 0, f"cannot read the file: {exc.strerror or exc}")
    if not data.strip():
        return None, Problem(path, 0, 0, "file is empty; a flow needs at least id, title and nodes")
    if b"\x00" in data:
        return None, Problem(path, 0, 0, "file is binary, not a YAML text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(path, line, column, "file is not UTF-8 text; save it as UTF-8")
    return text.removeprefix("\ufeff"), None


def load_flow_file(path: Path, resource_root: Path | None = None) -> LoadedFile:
    """Load one flow file. Never raises for a bad file: problems come back in the result."""
    text, problem = read_flow_text(path)
    if problem is not None:
        return LoadedFile(path, None, [problem])
    assert text is not None
    return load_flow_text(text, path, resource_root)


def load_flow_text(text: str, path: Path, resource_root: Path | None = None) -> LoadedFile:
    # libyaml's composer recurses per level and crashes the process on absurd nesting: refuse first.
    if _flow_nesting(text) > MAX_FLOW_NESTING:
        return LoadedFile(
            path,
            None,
            [
                Problem(
                    path, 1, 1, f"YAML nests deeper than {MAX_FLOW_NESTING} levels; flows are never that deep"
                )
            ],
        )
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
        return LoadedFile(path, None, [Problem(path, line, column, f"YAML syntax error: {detail}")])
    except yaml.YAMLError as exc:
        return LoadedFile(path, None, [Problem(path, 0, 0, f"YAML error: {exc}")])
    if root is None:
        return LoadedFile(path, None, [Problem(path, 0, 0, "file holds no YAML document")])
    builder = _Builder(path, resource_root)
    try:
        flow = builder.flow(root)
    except _Abort:
        flow = None
    result = LoadedFile(
        path, flow, builder.problems, builder.refs, builder.texts, builder.images, builder.flow_id or None
    )
    result.built = flow
    if result.has_errors:
        result.flow = None
    return result


def _flow_nesting(text: str) -> int:
    """An upper bound of how deep `[` and `{` nest (quotes ignored, so it may overcount)."""
    if text.count("[") + text.count("{") <= MAX_FLOW_NESTING:
        return 0  # too few brackets to nest that deep: the usual case, decided without a scan
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        depth = depth + 1 if bracket in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest
