"""The flow map: a whole flow laid out as a layered graph, left to right. No Qt here.

`layout_flow` gives a `FlowMap` in abstract pixels that the window (QGraphicsView), the SVG writer and
the PNG export all draw the same way. The layout is a Sugiyama-style one:

1. cycles are broken by a depth-first search from the entry: an edge back to a node on the search stack
   is a *back edge*; it is reversed for the layout and drawn as going back;
2. nodes get layers by the longest path from the sources (the entry first; nodes nothing reaches are
   placed too); a link into another flow ends at a small *external* box of its own, one per source
   node, in the layer after it (an off-page connector), so such links never cross the map;
3. between two node layers lies a label layer: every edge passes it at a dummy item as tall as its
   choice label, so labels take part in the layout and never overlap boxes or each other; an edge
   longer than one layer gets a dummy in each layer it crosses;
4. crossings are reduced by a few barycentre sweeps (the best order seen is kept);
5. positions within a layer come from alternating sweeps towards the neighbours' mean, each solved
   exactly under the no-overlap constraints (isotonic regression by pooling adjacent violators).

Edges come out as polylines whose segments are either horizontal (across a layer) or cross the gap
between two layers; renderers may draw the latter as S-curves with horizontal ends (`curve_path`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

from wizard.core.inline import plain_text
from wizard.core.model import Flow, FlowSet, NodeKind, NodeRef, Outcome

if TYPE_CHECKING:
    from wizard.core.engine import Session

Measure = Callable[[str], tuple[float, float]]
Point = tuple[float, float]

FONT_PX = 13.0  # the size the default measure assumes (the SVG's node text)
LABEL_SCALE = 0.85  # edge labels and external captions, relative to node text
TITLE_CHARS = 28  # a node title wraps at about this many characters a line…
TITLE_LINES = 4  # …in at most this many lines, the last one ending in "…" when cut
EXTERNAL_LINES = 2
LABEL_CHARS = 24
LABEL_LINES = 2
ELLIPSIS = "…"
CAPTION_MARK = "↗ "  # before an external box's flow title

PAD_X = 12.0
PAD_Y = 8.0
MIN_NODE_W = 72.0
MARGIN = 24.0
NODE_GAP = 22.0  # between two boxes in a layer
LABEL_GAP = 6.0  # between a label (or a bare edge) and its neighbour
MIN_LAYER_GAP = 36.0  # the gap an edge crosses between two layers; grows with how steep it gets
MAX_LAYER_GAP = 110.0
BARE_LABEL_LAYER_W = 12.0  # a label layer without any labels
PORT_SPREAD = 0.6  # edges leave and enter over this share of a box's height
LARGE = 4000  # items (boxes + dummies) above which crossing counts are skipped: speed over polish


@dataclass(frozen=True, slots=True)
class MapNode:
    """A box on the map. `key` is unique on the map; `ref` is the node it stands for (an external box
    stands for a node of another flow, and the same node may have several external boxes)."""

    key: str
    ref: NodeRef
    kind: NodeKind
    outcome: Outcome | None
    label_lines: tuple[str, ...]
    x: float
    y: float
    w: float
    h: float
    external: bool = False
    caption: str = ""  # an external box: the other flow's title, above the node's (all its text is small)
    title: str = ""  # the whole title, plain (tooltips, accessible text)
    layer: int = 0

    @property
    def center(self) -> Point:
        return (self.x + self.w / 2, self.y + self.h / 2)

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


@dataclass(frozen=True, slots=True)
class MapEdge:
    """One way from a box to another: the choices of `source` that lead to `target` (merged when
    several do), its label and route. A back edge goes to a node at the same or an earlier layer."""

    source: NodeRef
    target: NodeRef
    label: str
    points: tuple[Point, ...]
    back: bool
    source_key: str
    target_key: str
    choices: tuple[int, ...]  # indices into the source node's targets()
    label_lines: tuple[str, ...] = ()
    label_box: tuple[float, float, float, float] | None = None  # x, y, w, h of the label's background


@dataclass(frozen=True, slots=True)
class FlowMap:
    flow_id: str
    title: str
    lang: str
    nodes: list[MapNode]
    edges: list[MapEdge]
    width: float
    height: float
    line_height: float
    label_line_height: float
    # What marking a walk looks up, made on first use: on a map of thousands of boxes, making it
    # again at every step of the walk would be felt.
    lookups: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def node(self, key: str) -> MapNode:
        for node in self.nodes:
            if node.key == key:
                return node
        raise KeyError(key)

    def nodes_for(self, ref: NodeRef) -> list[MapNode]:
        return [node for node in self.nodes if node.ref == ref]


@dataclass(frozen=True, slots=True)
class Highlight:
    """What a walk marks on a map: boxes and edges on the path taken, the box where it is now, and
    each box's step numbers."""

    nodes: frozenset[str] = frozenset()
    edges: frozenset[int] = frozenset()  # indices into FlowMap.edges
    current: str | None = None
    steps: dict[str, tuple[int, ...]] | None = None

    def step_numbers(self, key: str) -> tuple[int, ...]:
        return (self.steps or {}).get(key, ())


# -- text --------------------------------------------------------------------------------------------

_NARROW = frozenset("iljtfrI.,:;'!|()[]{}` ")
_WIDE = frozenset("mwMW@%")


def estimate_text_size(text: str, font_px: float = FONT_PX) -> tuple[float, float]:
    """Width and line height of one line in a sans-serif face, from character classes: a little
    generous, so that text fits its box in Segoe UI, Noto Sans and DejaVu Sans alike."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.34
        elif char in _WIDE:
            units += 0.9
        elif char.isupper() or char.isdigit():
            units += 0.68
        else:
            units += 0.58
    return (units * font_px, round(font_px * 1.32, 2))


def wrap_text(text: str, width: int = TITLE_CHARS, max_lines: int = TITLE_LINES) -> tuple[str, ...]:
    """Greedy word wrap at `width` characters; words longer than a line are cut; at most `max_lines`
    lines, the last ending in an ellipsis when text was left out."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        if len(last) >= width:
            last = last[: width - 1].rstrip()
        lines = [*lines[: max_lines - 1], last.rstrip(".,:;-") + ELLIPSIS]
    return tuple(lines) or ("",)


# -- the layout --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Box:
    key: str
    ref: NodeRef
    kind: NodeKind
    outcome: Outcome | None
    lines: tuple[str, ...]
    caption: str
    title: str
    external: bool
    w: float
    h: float


@dataclass(slots=True)
class _Edge:
    source: int  # box index
    target: int
    target_ref: NodeRef
    choices: list[int]
    labels: list[str]
    back: bool = False
    chain: list[int] | None = None  # item ids from the lower layer to the higher one
    label_item: int = -1


def layout_flow(
    flow: Flow, lang: str, measure: Measure | None = None, *, flowset: FlowSet | None = None
) -> FlowMap:
    """Lay out `flow` with its texts in `lang`.

    `measure(line)` gives the width and line height of one line of node text (the window passes its
    font metrics); edge labels and captions are taken at LABEL_SCALE of it. With `flowset`, external
    boxes show the other flow's title and the node's title, and the shape and colour of that node.
    """
    measure = measure or estimate_text_size
    boxes, edges = _graph(flow, lang, measure, flowset)
    _break_cycles(flow, boxes, edges)
    layers = _layers(len(boxes), edges)
    _place_external_boxes(boxes, edges, layers)
    return _Layout(flow, lang, measure, boxes, edges, layers).run()


def _graph(
    flow: Flow, lang: str, measure: Measure, flowset: FlowSet | None
) -> tuple[list[_Box], list[_Edge]]:
    line_h = measure("Ag")[1]
    small_h = line_h * LABEL_SCALE
    boxes: list[_Box] = []
    index: dict[str, int] = {}
    for node in flow.nodes.values():
        title = plain_text(node.title.get(lang))
        lines = wrap_text(title)
        index[node.id] = len(boxes)
        w, h = _box_size(node.kind, lines, measure, line_h)
        boxes.append(
            _Box(node.id, NodeRef(flow.id, node.id), node.kind, node.outcome, lines, "", title, False, w, h)
        )
    edges: list[_Edge] = []
    for node in flow.nodes.values():
        source = index[node.id]
        by_target: dict[str, _Edge] = {}
        choice_labels = [plain_text(choice.label.get(lang)) for choice in node.choices]
        for choice, raw in enumerate(node.targets()):
            ref = NodeRef.parse(raw, flow.id)
            label = choice_labels[choice] if node.choices else ""
            key = raw if ref.flow == flow.id else f"{node.id}->{ref}"
            edge = by_target.get(key)
            if edge is not None:  # two choices to one place: one edge, both labels
                edge.choices.append(choice)
                edge.labels.append(label)
                continue
            if ref.flow == flow.id:
                target = index[ref.node]
            else:
                target = len(boxes)
                boxes.append(_external_box(key, ref, lang, measure, line_h, small_h, flowset))
            edge = _Edge(source, target, ref, [choice], [label])
            by_target[key] = edge
            edges.append(edge)
    return boxes, edges


def _external_box(
    key: str,
    ref: NodeRef,
    lang: str,
    measure: Measure,
    line_h: float,
    small_h: float,
    flowset: FlowSet | None,
) -> _Box:
    kind, outcome, caption, title = NodeKind.INFO, None, ref.flow, ref.node
    if flowset is not None and flowset.has_node(ref):
        target = flowset.node(ref)
        kind, outcome = target.kind, target.outcome
        caption = plain_text(flowset.flow(ref.flow).title.get(lang))
        title = plain_text(target.title.get(lang))
    lines = wrap_text(title, TITLE_CHARS + 4, EXTERNAL_LINES)
    caption_line = wrap_text(caption, TITLE_CHARS + 6, 1)
    caption_w = measure(CAPTION_MARK + caption_line[0])[0] * 1.06  # drawn in italics
    text_w = max(caption_w, *(measure(line)[0] for line in lines)) * LABEL_SCALE
    h = (len(lines) + 1) * small_h + PAD_Y * 1.5
    return _Box(
        key,
        ref,
        kind,
        outcome,
        lines,
        caption_line[0],
        title,
        True,
        math.ceil(text_w + 2 * PAD_X),
        math.ceil(h),
    )


def _box_size(kind: NodeKind, lines: Sequence[str], measure: Measure, line_h: float) -> tuple[float, float]:
    text_w = max(measure(line)[0] for line in lines)
    h = len(lines) * line_h + 2 * PAD_Y
    w = text_w + 2 * PAD_X
    if kind is NodeKind.QUESTION:
        w += 2 * hexagon_indent(h)
    elif kind is NodeKind.END:
        w += h * 0.35  # the round ends of the pill
    return (max(MIN_NODE_W, math.ceil(w)), math.ceil(h))


def hexagon_indent(h: float) -> float:
    """How far the points of a question's hexagon reach in from its box."""
    return min(14.0, h / 2)


def _break_cycles(flow: Flow, boxes: list[_Box], edges: list[_Edge]) -> None:
    """Mark back edges: a depth-first search from the entry, then from each node not yet seen."""
    out: list[list[_Edge]] = [[] for _ in boxes]
    for edge in edges:
        out[edge.source].append(edge)
    state = [0] * len(boxes)  # 0 new, 1 on the stack, 2 done
    roots = [i for i, box in enumerate(boxes) if box.key == flow.entry and not box.external]
    roots += [i for i, box in enumerate(boxes) if not box.external]
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, pending = stack[-1]
            for edge in pending:
                target = edge.target
                if state[target] == 1:
                    edge.back = True
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, iter(out[target])))
                    break
            else:
                state[node] = 2
                stack.pop()


def _layers(count: int, edges: list[_Edge]) -> list[int]:
    """Longest path from the sources over the edges with back edges reversed (self-loops left out)."""
    succ: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for edge in edges:
        if edge.source == edge.target:
            continue
        low, high = (edge.target, edge.source) if edge.back else (edge.source, edge.target)
        succ[low].append(high)
        indegree[high] += 1
    layer = [0] * count
    ready = [i for i in range(count) if indegree[i] == 0]
    ready.reverse()
    while ready:
        node = ready.pop()
        for nxt in succ[node]:
            if layer[node] + 1 > layer[nxt]:
                layer[nxt] = layer[node] + 1
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return layer


def _place_external_boxes(boxes: list[_Box], edges: list[_Edge], layers: list[int]) -> None:
    for edge in edges:
        if boxes[edge.target].external:
            layers[edge.target] = layers[edge.source] + 1


class _Layout:
    """Ranks (node layers at even ranks, label layers at odd ones), items (boxes then dummies), and the
    order and position of the items in each rank."""

    def __init__(
        self,
        flow: Flow,
        lang: str,
        measure: Measure,
        boxes: list[_Box],
        edges: list[_Edge],
        layers: list[int],
    ) -> None:
        self.flow = flow
        self.lang = lang
        self.measure = measure
        self.boxes = boxes
        self.edges = edges
        self.line_h = measure("Ag")[1]
        self.small_h = self.line_h * LABEL_SCALE
        self.rank: list[int] = [2 * layer for layer in layers]
        self.size_w: list[float] = [box.w for box in boxes]  # along the ranks (x)
        self.size_h: list[float] = [box.h for box in boxes]  # across (y)
        self.weight: list[float] = [1.0] * len(boxes)
        self.is_box: list[bool] = [True] * len(boxes)
        self.up: list[list[int]] = [[] for _ in boxes]
        self.down: list[list[int]] = [[] for _ in boxes]
        self.label_lines: dict[int, tuple[str, ...]] = {}
        self.label_size: dict[int, tuple[float, float]] = {}

    # -- building ------------------------------------------------------------------------------------

    def _new_item(self, rank: int, w: float, h: float, weight: float) -> int:
        item = len(self.rank)
        self.rank.append(rank)
        self.size_w.append(w)
        self.size_h.append(h)
        self.weight.append(weight)
        self.is_box.append(False)
        self.up.append([])
        self.down.append([])
        return item

    def _chains(self) -> None:
        """Each edge becomes a chain of items, one per rank it crosses. Past its label, an edge shares
        its dummies with the other edges to the same target (edge concentration): edges converging
        on an end run as one trunk instead of a fan of parallel lines."""
        shared: dict[tuple[int, int], int] = {}
        linked: set[tuple[int, int]] = set()
        for edge in self.edges:
            if edge.source == edge.target:
                continue
            low, high = (edge.target, edge.source) if edge.back else (edge.source, edge.target)
            text = " / ".join(label for label in edge.labels if label)
            lines = wrap_text(text, LABEL_CHARS, LABEL_LINES) if text else ()
            first, last = self.rank[low] + 1, self.rank[high] - 1
            label_rank = last if edge.back else first
            chain = [low]
            for rank in range(first, last + 1):
                if rank == label_rank and lines:
                    w = max(self.measure(line)[0] for line in lines) * LABEL_SCALE + 8
                    h = len(lines) * self.small_h + 2
                    item = self._new_item(rank, w, h, 2.0)
                    self.label_lines[item] = lines
                    self.label_size[item] = (w, h)
                elif rank > label_rank and not edge.back:
                    item = shared.get((high, rank), -1)
                    if item < 0:
                        item = shared[(high, rank)] = self._new_item(rank, 0.0, 0.0, 4.0)
                else:
                    item = self._new_item(rank, 0.0, 0.0, 4.0 if rank % 2 == 0 else 2.0)
                if rank == label_rank:
                    edge.label_item = item
                chain.append(item)
            chain.append(high)
            for a, b in pairwise(chain):
                if (a, b) not in linked:
                    linked.add((a, b))
                    self.down[a].append(b)
                    self.up[b].append(a)
            edge.chain = chain

    def _initial_order(self) -> list[list[int]]:
        """Depth-first from the entry along the chains in choice order: a tree comes out untangled."""
        count = len(self.rank)
        seen = [False] * count
        sequence: list[int] = []
        entry = next((i for i, b in enumerate(self.boxes) if b.key == self.flow.entry and not b.external), 0)
        for root in [entry, *range(len(self.boxes))]:
            if seen[root]:
                continue
            stack = [root]
            while stack:
                item = stack.pop()
                if seen[item]:
                    continue
                seen[item] = True
                sequence.append(item)
                stack.extend(reversed(self.down[item]))
        sequence.extend(i for i in range(count) if not seen[i])
        ranks: list[list[int]] = [[] for _ in range(max(self.rank) + 1)]
        for item in sequence:
            ranks[self.rank[item]].append(item)
        return ranks

    # -- crossings -------------------------------------------------------------------------------------

    def _order(self, ranks: list[list[int]]) -> list[list[int]]:
        pos = [0] * len(self.rank)
        for items in ranks:
            for i, item in enumerate(items):
                pos[item] = i
        small = len(self.rank) <= LARGE
        best = [list(items) for items in ranks]
        best_crossings = self._crossings(ranks, pos) if small else 0
        sweeps = 6 if small else 2
        for sweep in range(sweeps):
            downwards = sweep % 2 == 0
            order = range(1, len(ranks)) if downwards else range(len(ranks) - 2, -1, -1)
            neighbours = self.up if downwards else self.down
            for r in order:
                items = ranks[r]
                keyed = []
                for item in items:
                    near = neighbours[item]
                    bary = sum(pos[n] for n in near) / len(near) if near else float(pos[item])
                    keyed.append((bary, pos[item], item))
                keyed.sort()
                ranks[r] = items = [k[2] for k in keyed]
                for i, item in enumerate(items):
                    pos[item] = i
            if small:
                crossings = self._crossings(ranks, pos)
                if crossings < best_crossings:
                    best_crossings = crossings
                    best = [list(items) for items in ranks]
            else:
                best = ranks
        return best

    def _crossings(self, ranks: list[list[int]], pos: list[int]) -> int:
        total = 0
        for r in range(len(ranks) - 1):
            size = len(ranks[r + 1])
            if size < 2:
                continue
            pairs = sorted((pos[a], pos[b]) for a in ranks[r] for b in self.down[a])
            tree = [0] * (size + 1)  # Fenwick tree over the lower rank's positions
            for seen, (_, p) in enumerate(pairs):
                i = p + 1
                at_most = 0
                while i > 0:
                    at_most += tree[i]
                    i -= i & -i
                total += seen - at_most
                i = p + 1
                while i <= size:
                    tree[i] += 1
                    i += i & -i
        return total

    # -- coordinates -----------------------------------------------------------------------------------

    def _gap(self, a: int, b: int) -> float:
        if self.is_box[a] and self.is_box[b]:
            return NODE_GAP
        if self.is_box[a] or self.is_box[b]:
            return NODE_GAP * 0.6
        return LABEL_GAP

    def _positions(self, ranks: list[list[int]]) -> list[float]:
        y = [0.0] * len(self.rank)
        seps: list[list[float]] = []
        for items in ranks:
            sep = [(self.size_h[a] + self.size_h[b]) / 2 + self._gap(a, b) for a, b in pairwise(items)]
            seps.append(sep)
            at = -sum(sep) / 2
            for i, item in enumerate(items):
                y[item] = at
                if i < len(sep):
                    at += sep[i]
        rounds = 5 if len(self.rank) <= LARGE else 2
        for _ in range(rounds):
            for r in range(1, len(ranks)):
                self._settle(ranks[r], seps[r], y, self.up)
            for r in range(len(ranks) - 2, -1, -1):
                self._settle(ranks[r], seps[r], y, self.down)
        for r in range(len(ranks)):
            self._settle(ranks[r], seps[r], y, None)
        return y

    def _settle(
        self, items: list[int], sep: list[float], y: list[float], near: list[list[int]] | None
    ) -> None:
        """Move the items of a rank as close to their neighbours' mean as the separations allow."""
        if not items:
            return
        wanted = []
        for item in items:
            neighbours = (self.up[item] + self.down[item]) if near is None else near[item]
            if neighbours:
                wanted.append(sum(y[n] for n in neighbours) / len(neighbours))
            else:
                wanted.append(y[item])
        for item, value in zip(items, _pool(wanted, [self.weight[i] for i in items], sep), strict=True):
            y[item] = value

    # -- result ----------------------------------------------------------------------------------------

    def run(self) -> FlowMap:
        self._chains()
        ranks = self._order(self._initial_order())
        y = self._positions(ranks)
        top = min((y[i] - self.size_h[i] / 2 for i in range(len(self.rank))), default=0.0)
        shift = MARGIN - top
        y = [value + shift for value in y]
        rank_w = [max((self.size_w[i] for i in items), default=0.0) for items in ranks]
        for r in range(1, len(ranks), 2):
            rank_w[r] = max(rank_w[r], BARE_LABEL_LAYER_W)
        # The gap after a rank grows with the steepest edge crossing it, so curves stay readable.
        steep = [0.0] * len(ranks)
        for a in range(len(self.rank)):
            for b in self.down[a]:
                steep[self.rank[a]] = max(steep[self.rank[a]], abs(y[a] - y[b]))
        left: list[float] = []
        at = MARGIN
        for r, width in enumerate(rank_w):
            left.append(at)
            at += width + min(MAX_LAYER_GAP, max(MIN_LAYER_GAP, steep[r] * 0.12))
        nodes = []
        for i, box in enumerate(self.boxes):
            r = self.rank[i]
            x = left[r] + (rank_w[r] - box.w) / 2
            nodes.append(
                MapNode(
                    box.key,
                    box.ref,
                    box.kind,
                    box.outcome,
                    box.lines,
                    round(x, 2),
                    round(y[i] - box.h / 2, 2),
                    box.w,
                    box.h,
                    box.external,
                    box.caption,
                    box.title,
                    r // 2,
                )
            )
        edges = self._routes(nodes, y, left, rank_w)
        width = max((n.x + n.w for n in nodes), default=0.0) + MARGIN
        height = max((y[i] + self.size_h[i] / 2 for i in range(len(self.rank))), default=0.0) + MARGIN
        for edge in edges:
            for px, py in edge.points:
                width = max(width, px + MARGIN)
                height = max(height, py + MARGIN)
        title = plain_text(self.flow.title.get(self.lang))
        return FlowMap(
            self.flow.id,
            title,
            self.lang,
            nodes,
            edges,
            math.ceil(width),
            math.ceil(height),
            self.line_h,
            self.small_h,
        )

    def _routes(
        self, nodes: list[MapNode], y: list[float], left: list[float], rank_w: list[float]
    ) -> list[MapEdge]:
        # Ports: the edges at one side of a box leave (or arrive) spread over its height, in the
        # order of where they go, so they do not all meet in one point.
        ports: dict[tuple[int, int], float] = {}  # (box, neighbouring item) -> y where they meet
        for index in range(len(self.boxes)):
            node = nodes[index]
            for attached in (self.down[index], self.up[index]):
                count = len(attached)
                spread = min(node.h * PORT_SPREAD, 10.0 * (count - 1))
                for j, item in enumerate(sorted(attached, key=lambda i: y[i])):
                    offset = 0.0 if count == 1 else spread * (j / (count - 1) - 0.5)
                    ports[(index, item)] = y[index] + offset
        edges = []
        for edge in self.edges:
            source_node, target_node = nodes[edge.source], nodes[edge.target]
            labels = [label for label in edge.labels if label]
            text = " / ".join(labels)
            label_box: tuple[float, float, float, float] | None = None
            if edge.chain is None:
                points = _self_loop(source_node)
                lines = wrap_text(text, LABEL_CHARS, LABEL_LINES) if text else ()
                if lines:
                    w = max(self.measure(line)[0] for line in lines) * LABEL_SCALE + 8
                    h = len(lines) * self.small_h + 2
                    label_box = (source_node.x + source_node.w / 2 - w / 2, points[1][1] - h - 2, w, h)
            else:
                chain = edge.chain
                route: list[Point] = []
                for position, item in enumerate(chain):
                    r = self.rank[item]
                    if position == 0:
                        py = ports[(item, chain[1])]
                        route.append((_boundary(nodes[item], py, "right"), py))
                        route.append((left[r] + rank_w[r], py))
                    elif position == len(chain) - 1:
                        py = ports[(item, chain[-2])]
                        route.append((left[r], py))
                        route.append((_boundary(nodes[item], py, "left"), py))
                    else:
                        route.append((left[r], y[item]))
                        route.append((left[r] + rank_w[r], y[item]))
                if edge.back:
                    route.reverse()
                points = _dedupe(route)
                lines = self.label_lines.get(edge.label_item, ())
                if lines:
                    w, h = self.label_size[edge.label_item]
                    r = self.rank[edge.label_item]
                    cx = left[r] + rank_w[r] / 2
                    label_box = (round(cx - w / 2, 2), round(y[edge.label_item] - h / 2, 2), w, h)
            edges.append(
                MapEdge(
                    source_node.ref,
                    edge.target_ref,
                    text,
                    points,
                    edge.back or edge.source == edge.target,
                    source_node.key,
                    target_node.key,
                    tuple(edge.choices),
                    lines,
                    label_box,
                )
            )
        return edges


def _pool(wanted: list[float], weights: list[float], sep: list[float]) -> list[float]:
    """Positions closest to `wanted` (weighted least squares) with item i+1 at least sep[i] after item
    i: with offsets taken out this is isotonic regression, solved by pooling adjacent violators."""
    offsets = list(accumulate(sep, initial=0.0))
    means: list[float] = []  # per block: its level, total weight and size
    masses: list[float] = []
    sizes: list[int] = []
    for value, weight, offset in zip(wanted, weights, offsets, strict=True):
        mean, mass, size = value - offset, weight, 1
        while means and means[-1] > mean:
            other = masses.pop()
            mean = (means.pop() * other + mean * mass) / (other + mass)
            mass += other
            size += sizes.pop()
        means.append(mean)
        masses.append(mass)
        sizes.append(size)
    result: list[float] = []
    for mean, size in zip(means, sizes, strict=True):
        result.extend([mean] * size)
    return [level + offset for level, offset in zip(result, offsets, strict=True)]


def _boundary(node: MapNode, py: float, side: str) -> float:
    """Where a horizontal line at height `py` meets the outline of `node` on `side`."""
    dy = min(abs(py - (node.y + node.h / 2)), node.h / 2)
    inset = 0.0
    if node.external:
        inset = 0.0
    elif node.kind is NodeKind.QUESTION:
        inset = hexagon_indent(node.h) * dy / (node.h / 2) if node.h else 0.0
    elif node.kind is NodeKind.END:
        radius = node.h / 2
        inset = radius - math.sqrt(max(0.0, radius * radius - dy * dy))
    return round(node.x + inset if side == "left" else node.x + node.w - inset, 2)


def _self_loop(node: MapNode) -> tuple[Point, ...]:
    top = node.y
    return (
        (node.x + node.w * 0.65, top),
        (node.x + node.w * 0.65, top - 14),
        (node.x + node.w * 0.35, top - 14),
        (node.x + node.w * 0.35, top),
    )


def _dedupe(points: Iterable[Point]) -> tuple[Point, ...]:
    """The route without repeated points, nor points in the middle of a straight horizontal run."""
    result: list[Point] = []
    for px, py in points:
        point = (round(px, 2), round(py, 2))
        if result and result[-1] == point:
            continue
        if len(result) >= 2 and result[-1][1] == point[1] == result[-2][1]:
            result[-1] = point
        else:
            result.append(point)
    return tuple(result)


# -- drawing helpers shared by the renderers -----------------------------------------------------------


def curve_path(points: Sequence[Point]) -> list[tuple[str, tuple[float, ...]]]:
    """The route as drawing commands: ("M", (x, y)), ("L", (x, y)) for horizontal runs and
    ("C", (x1, y1, x2, y2, x, y)) for S-curves with horizontal ends across the gaps."""
    if not points:
        return []
    commands: list[tuple[str, tuple[float, ...]]] = [("M", points[0])]
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(y1 - y0) < 0.5 or abs(x1 - x0) < 0.5:
            commands.append(("L", (x1, y1)))
        else:
            mid = (x1 - x0) / 2
            commands.append(("C", (x0 + mid, y0, x1 - mid, y1, x1, y1)))
    return commands


def arrow_head(points: Sequence[Point], size: float = 8.0) -> tuple[Point, Point, Point]:
    """The triangle at the end of a route, pointing along its last segment."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - ux * size, y1 - uy * size
    half = size * 0.5
    return ((x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half))


def node_outline(node: MapNode) -> list[tuple[str, tuple[float, ...]]]:
    """The shape of a box by kind: question a hexagon, steps a rectangle, info a rounded rectangle,
    end a pill; an external box is a rounded rectangle (drawn dashed). Commands as in curve_path, plus
    ("Z", ()) to close; arcs are given as cubic curves so every renderer can draw them."""
    x, y, w, h = node.x, node.y, node.w, node.h
    if node.external:
        return _rounded(x, y, w, h, 6.0)
    if node.kind is NodeKind.QUESTION:
        d = hexagon_indent(h)
        return [
            ("M", (x + d, y)),
            ("L", (x + w - d, y)),
            ("L", (x + w, y + h / 2)),
            ("L", (x + w - d, y + h)),
            ("L", (x + d, y + h)),
            ("L", (x, y + h / 2)),
            ("Z", ()),
        ]
    if node.kind is NodeKind.STEPS:
        return [("M", (x, y)), ("L", (x + w, y)), ("L", (x + w, y + h)), ("L", (x, y + h)), ("Z", ())]
    if node.kind is NodeKind.END:
        return _rounded(x, y, w, h, h / 2)
    return _rounded(x, y, w, h, 10.0)


def _rounded(x: float, y: float, w: float, h: float, r: float) -> list[tuple[str, tuple[float, ...]]]:
    r = min(r, w / 2, h / 2)
    k = r * 0.5523  # cubic approximation of a quarter circle
    return [
        ("M", (x + r, y)),
        ("L", (x + w - r, y)),
        ("C", (x + w - r + k, y, x + w, y + r - k, x + w, y + r)),
        ("L", (x + w, y + h - r)),
        ("C", (x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h)),
        ("L", (x + r, y + h)),
        ("C", (x + r - k, y + h, x, y + h - r + k, x, y + h - r)),
        ("L", (x, y + r)),
        ("C", (x, y + r - k, x + r - k, y, x + r, y)),
        ("Z", ()),
    ]


# -- a walk on the map ------------------------------------------------------------------------------


def path_lookups(
    flow_map: FlowMap,
) -> tuple[dict[str, MapNode], dict[tuple[str, int], int], dict[NodeRef, str]]:
    """The boxes by key, the edge taken by (box, choice), and each node's own box (kept in the map)."""
    found = flow_map.lookups.get("path")
    if found is None:
        by_key = {node.key: node for node in flow_map.nodes}
        edge_of: dict[tuple[str, int], int] = {}
        for number, edge in enumerate(flow_map.edges):
            for index in edge.choices:
                edge_of[(edge.source_key, index)] = number
        internal = {node.ref: node.key for node in flow_map.nodes if not node.external}
        found = flow_map.lookups["path"] = (by_key, edge_of, internal)
    return found


def highlight_path(
    flow_map: FlowMap, path: Sequence[tuple[NodeRef, int | None]], current: NodeRef | None
) -> Highlight:
    """Mark the path (node, choice taken) on the map: its boxes in this flow, the edges taken, the
    external boxes it left the flow by, the step numbers (from 1) and the current box."""
    by_key, edge_of, internal = path_lookups(flow_map)
    nodes: set[str] = set()
    edges: set[int] = set()
    steps: dict[str, list[int]] = {}
    current_key: str | None = None
    for step, (ref, choice) in enumerate(path, 1):
        key = internal.get(ref)
        if key is None:
            continue
        nodes.add(key)
        steps.setdefault(key, []).append(step)
        if ref == current:
            current_key = key
        if choice is None:
            continue
        taken = edge_of.get((key, choice))
        if taken is not None:
            edges.add(taken)
            target = flow_map.edges[taken].target_key
            if by_key[target].external:
                nodes.add(target)
    return Highlight(frozenset(nodes), frozenset(edges), current_key, {k: tuple(v) for k, v in steps.items()})


def highlight_session(flow_map: FlowMap, session: Session | None) -> Highlight:
    """The session's path up to its current step, marked on the map."""
    if session is None:
        return Highlight()
    path = session.path
    steps = [(visit.ref, visit.choice if i < len(path) - 1 else None) for i, visit in enumerate(path)]
    return highlight_path(flow_map, steps, session.current_ref)
