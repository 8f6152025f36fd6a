"""A flow map as a standalone SVG: title, the map, a legend; optionally a walk's path and current step.

No Qt. The SVG keeps to what Qt's SVG renderer (SVG Tiny 1.2) draws too, so the PNG export renders
this same text: no CSS, no markers (arrow heads are polygons), text lines laid out by the map.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from wizard.core.flowmap import (
    CAPTION_MARK,
    ELLIPSIS,
    FONT_PX,
    LABEL_SCALE,
    FlowMap,
    Highlight,
    MapEdge,
    MapNode,
    arrow_head,
    curve_path,
    estimate_text_size,
    node_outline,
)
from wizard.core.labels import MAP_LABELS
from wizard.core.model import NodeKind, Outcome

FONT_FAMILY = "Segoe UI, Noto Sans, DejaVu Sans, sans-serif"
HEADER_H = 54.0
LEGEND_ROW_H = 34.0

LABELS = MAP_LABELS  # in wizard/core/labels.py with every other content-language text


@dataclass(frozen=True)
class Theme:
    """Colours of a map; the window makes a dark one from its palette, exports use LIGHT."""

    background: str = "#ffffff"
    text: str = "#1f2328"
    muted: str = "#57606a"
    edge: str = "#6e7781"
    label_background: str = "#ffffff"
    path: str = "#0969da"
    stroke: str = "#424a53"
    question: str = "#ddeaff"
    steps: str = "#f1f3f5"
    info: str = "#f3ecff"
    external: str = "#ffffff"
    resolved: str = "#107c10"
    escalate: str = "#b25e00"
    not_resolved: str = "#b10e1c"
    resolved_fill: str = "#dff3df"
    escalate_fill: str = "#ffedd5"
    not_resolved_fill: str = "#fbe0e2"

    def fill(self, node: MapNode) -> str:
        if node.external:
            return self.external
        if node.kind is NodeKind.END:
            return {
                Outcome.RESOLVED: self.resolved_fill,
                Outcome.ESCALATE: self.escalate_fill,
                Outcome.NOT_RESOLVED: self.not_resolved_fill,
            }.get(node.outcome or Outcome.RESOLVED, self.steps)
        return {NodeKind.QUESTION: self.question, NodeKind.STEPS: self.steps}.get(node.kind, self.info)

    def border(self, node: MapNode) -> str:
        if node.kind is NodeKind.END and node.outcome is not None:
            return self.outcome(node.outcome)
        return self.muted if node.external else self.stroke

    def outcome(self, outcome: Outcome) -> str:
        return {
            Outcome.RESOLVED: self.resolved,
            Outcome.ESCALATE: self.escalate,
            Outcome.NOT_RESOLVED: self.not_resolved,
        }[outcome]


LIGHT = Theme()
DARK = Theme(
    background="#1e1f22",
    text="#e6edf3",
    muted="#9198a1",
    edge="#8b949e",
    label_background="#1e1f22",
    path="#4493f8",
    stroke="#b7bdc8",
    question="#1d3557",
    steps="#2b2f36",
    info="#2f2646",
    external="#1e1f22",
    resolved="#7fd67f",
    escalate="#f7c56b",
    not_resolved="#ff9a9a",
    resolved_fill="#173d1a",
    escalate_fill="#45310f",
    not_resolved_fill="#4a1c20",
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def labels_for(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


def text_escape(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("", text))


def path_data(commands: Sequence[tuple[str, tuple[float, ...]]]) -> str:
    return " ".join(op + " ".join(_num(value) for value in values) for op, values in commands)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def baseline(top: float, line_h: float, font_px: float) -> float:
    """The baseline of a line of `line_h` starting at `top`, with the letters centred in it."""
    return top + (line_h + font_px * 0.72) / 2


def to_svg(
    flow_map: FlowMap,
    highlight: Highlight | None = None,
    *,
    theme: Theme = LIGHT,
    header: bool = True,
    legend: bool = True,
) -> str:
    """The map as an SVG document (UTF-8 text), in the map's language."""
    words = labels_for(flow_map.lang)
    highlight = highlight or Highlight()
    top = HEADER_H if header else 0.0
    legend_items = _legend_items(words, highlight)
    legend_w = _legend_width(legend_items) if legend else 0.0
    width = max(flow_map.width, legend_w + 2 * 24)
    height = top + flow_map.height + (LEGEND_ROW_H + 16 if legend else 0.0)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'font-family={attr(FONT_FAMILY)} font-size="{_num(FONT_PX)}">',
        f"<title>{text_escape(words['map'] + ': ' + flow_map.title)}</title>",
        f'<rect x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="{theme.background}"/>',
    ]
    if header:
        out.append(
            f'<text x="24" y="32" font-size="20" font-weight="bold" fill="{theme.text}">'
            f"{text_escape(flow_map.title)}</text>"
        )
        count = sum(1 for node in flow_map.nodes if not node.external)
        subtitle = f"{flow_map.flow_id} · {count} {words['steps_count']}"
        out.append(f'<text x="24" y="48" font-size="11" fill="{theme.muted}">{text_escape(subtitle)}</text>')
    out.append(f'<g transform="translate(0,{_num(top)})">')
    path_edges = [flow_map.edges[i] for i in sorted(highlight.edges)]
    out.append('<g id="edges">')
    for number, edge in enumerate(flow_map.edges):
        if number not in highlight.edges:
            out.extend(_edge(edge, theme.edge, 1.4, theme))
    for edge in path_edges:
        out.extend(_edge(edge, theme.path, 3.2, theme))
    out.append("</g>")
    out.append('<g id="labels">')
    for number, edge in enumerate(flow_map.edges):
        out.extend(_edge_label(flow_map, edge, theme, number in highlight.edges))
    out.append("</g>")
    out.append('<g id="nodes">')
    for node in flow_map.nodes:
        out.extend(_node(flow_map, node, theme, highlight))
    out.append("</g>")
    if highlight.current is not None:
        out.extend(_here_tag(flow_map.node(highlight.current), words["current"], theme))
    out.append("</g>")
    if legend:
        out.extend(_legend(legend_items, top + flow_map.height, theme))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edge(edge: MapEdge, colour: str, width: float, theme: Theme) -> list[str]:
    if len(edge.points) < 2:
        return []
    dash = ' stroke-dasharray="6,4"' if edge.back else ""
    head = arrow_head(edge.points, 7.0 + width)
    return [
        f'<path d="{path_data(curve_path(edge.points))}" fill="none" stroke="{colour}" '
        f'stroke-width="{_num(width)}"{dash}/>',
        '<polygon points="' + " ".join(f"{_num(x)},{_num(y)}" for x, y in head) + f'" fill="{colour}"/>',
    ]


def _edge_label(flow_map: FlowMap, edge: MapEdge, theme: Theme, on_path: bool) -> list[str]:
    if not edge.label_lines or edge.label_box is None:
        return []
    x, y, w, h = edge.label_box
    size = FONT_PX * LABEL_SCALE
    line_h = flow_map.label_line_height
    colour = theme.path if on_path else theme.muted
    weight = ' font-weight="bold"' if on_path else ""
    out = [
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" rx="4" '
        f'fill="{theme.label_background}" fill-opacity="0.92"/>',
    ]
    for i, line in enumerate(edge.label_lines):  # one <text> a line: SVG Tiny places no <tspan>
        out.append(
            f'<text x="{_num(x + w / 2)}" y="{_num(baseline(y + 1 + i * line_h, line_h, size))}" '
            f'font-size="{_num(size)}" fill="{colour}" text-anchor="middle"{weight}>{text_escape(line)}</text>'
        )
    return out


def _node(flow_map: FlowMap, node: MapNode, theme: Theme, highlight: Highlight) -> list[str]:
    on_path = node.key in highlight.nodes
    current = node.key == highlight.current
    stroke = theme.path if on_path or current else theme.border(node)
    width = 4.0 if current else 2.6 if on_path else 1.8 if node.kind is NodeKind.END else 1.2
    dash = ' stroke-dasharray="5,3"' if node.external else ""
    out = [
        f"<g id={attr('node-' + node.key)}>",
        f"<title>{text_escape(node.title)}</title>",
        f'<path d="{path_data(node_outline(node))}" fill="{theme.fill(node)}" stroke="{stroke}" '
        f'stroke-width="{_num(width)}"{dash}/>',
    ]
    if node.kind is NodeKind.STEPS and not node.external:  # a second bar: a list of actions
        out.append(
            f'<path d="M{_num(node.x + 5)} {_num(node.y)} L{_num(node.x + 5)} {_num(node.y + node.h)}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
    out.extend(_node_text(flow_map, node, theme))
    steps = highlight.step_numbers(node.key)
    if steps:
        out.extend(_badge(node, steps, theme))
    out.append("</g>")
    return out


def _node_text(flow_map: FlowMap, node: MapNode, theme: Theme) -> list[str]:
    """The lines of a box, centred; an external box's text is small, its first line the other flow."""
    line_h = flow_map.label_line_height if node.external else flow_map.line_height
    size = FONT_PX * LABEL_SCALE if node.external else FONT_PX
    lines = [(CAPTION_MARK + node.caption, True), *((line, False) for line in node.label_lines)]
    if not node.external:
        lines = lines[1:]
    top = node.y + (node.h - len(lines) * line_h) / 2
    cx = node.x + node.w / 2
    weight = ' font-weight="bold"' if node.kind is NodeKind.QUESTION and not node.external else ""
    out = []
    for i, (line, caption) in enumerate(lines):
        style = f' font-style="italic" fill="{theme.muted}"' if caption else f' fill="{theme.text}"{weight}'
        out.append(
            f'<text x="{_num(cx)}" y="{_num(baseline(top + i * line_h, line_h, size))}" '
            f'font-size="{_num(size)}" text-anchor="middle"{style}>{text_escape(line)}</text>'
        )
    return out


def _badge(node: MapNode, steps: tuple[int, ...], theme: Theme) -> list[str]:
    text = ", ".join(str(step) for step in steps[:3]) + (ELLIPSIS if len(steps) > 3 else "")
    w = max(20.0, estimate_text_size(text, 11)[0] + 10)
    x, y = node.x - 6, node.y - 9
    return [
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="18" rx="9" fill="{theme.path}"/>',
        f'<text x="{_num(x + w / 2)}" y="{_num(y + 13)}" font-size="11" font-weight="bold" '
        f'fill="{theme.background}" text-anchor="middle">{text_escape(text)}</text>',
    ]


def _here_tag(node: MapNode, text: str, theme: Theme) -> list[str]:
    w = estimate_text_size(text, 11)[0] + 14
    x, y = node.x + node.w - w, node.y - 20
    return [
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="18" rx="4" fill="{theme.path}"/>',
        f'<text x="{_num(x + w / 2)}" y="{_num(y + 13)}" font-size="11" font-weight="bold" '
        f'fill="{theme.background}" text-anchor="middle">{text_escape(text)}</text>',
    ]


# -- legend ------------------------------------------------------------------------------------------

_SWATCH_W = 46.0


def _legend_items(words: dict[str, str], highlight: Highlight) -> list[tuple[str, str]]:
    items = [
        ("question", words["question"]),
        ("steps", words["steps"]),
        ("info", words["info"]),
        ("resolved", words["resolved"]),
        ("escalate", words["escalate"]),
        ("not_resolved", words["not_resolved"]),
        ("external", words["external"]),
        ("back", words["back"]),
    ]
    if highlight.nodes:
        items.append(("path", words["path"]))
    return items


def _legend_width(items: list[tuple[str, str]]) -> float:
    return sum(_SWATCH_W + 8 + estimate_text_size(text, 12)[0] + 22 for _, text in items)


def _legend(items: list[tuple[str, str]], top: float, theme: Theme) -> list[str]:
    out = [f'<g id="legend" font-size="12" fill="{theme.text}">']
    out.append(
        f'<path d="M24 {_num(top + 4)} L{_num(24 + _legend_width(items))} {_num(top + 4)}" '
        f'stroke="{theme.edge}" stroke-width="0.6"/>'
    )
    x = 24.0
    y = top + 14
    for kind, text in items:
        out.extend(_swatch(kind, x, y, theme))
        out.append(f'<text x="{_num(x + _SWATCH_W + 8)}" y="{_num(y + 15)}">{text_escape(text)}</text>')
        x += _SWATCH_W + 8 + estimate_text_size(text, 12)[0] + 22
    out.append("</g>")
    return out


def _swatch(kind: str, x: float, y: float, theme: Theme) -> list[str]:
    w, h = _SWATCH_W, 20.0
    if kind in ("back", "path"):
        colour, width = (theme.edge, 1.4) if kind == "back" else (theme.path, 3.2)
        dash = ' stroke-dasharray="6,4"' if kind == "back" else ""
        points = ((x, y + h / 2), (x + w, y + h / 2))
        head = arrow_head(points, 7.0 + width)
        return [
            f'<path d="M{_num(x)} {_num(y + h / 2)} L{_num(x + w)} {_num(y + h / 2)}" stroke="{colour}" '
            f'stroke-width="{_num(width)}"{dash}/>',
            '<polygon points="' + " ".join(f"{_num(a)},{_num(b)}" for a, b in head) + f'" fill="{colour}"/>',
        ]
    from wizard.core.model import NodeRef

    node_kind = {
        "question": NodeKind.QUESTION,
        "steps": NodeKind.STEPS,
        "info": NodeKind.INFO,
        "external": NodeKind.INFO,
    }.get(kind, NodeKind.END)
    outcome = Outcome(kind) if node_kind is NodeKind.END else None
    node = MapNode(kind, NodeRef("", kind), node_kind, outcome, (), x, y, w, h, external=kind == "external")
    stroke = theme.border(node)
    dash = ' stroke-dasharray="5,3"' if node.external else ""
    out = [
        f'<path d="{path_data(node_outline(node))}" fill="{theme.fill(node)}" stroke="{stroke}" '
        f'stroke-width="{1.8 if outcome else 1.2}"{dash}/>'
    ]
    if node_kind is NodeKind.STEPS:
        out.append(f'<path d="M{_num(x + 5)} {_num(y)} L{_num(x + 5)} {_num(y + h)}" stroke="{stroke}"/>')
    return out
