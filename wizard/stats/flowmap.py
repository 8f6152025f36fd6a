"""The flow map with the statistics on it, for authors: each box shaded by how many walks passed it,
each way drawn as wide as it was taken often, with the counts written beside them.

It is the flow map's own SVG (wizard/export/map_svg.py, laid out by wizard/core/flowmap.py) with one
group of marks added on top, at the boxes' and ways' own positions; the map itself is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wizard.core.flowmap import layout_flow
from wizard.core.model import FlowSet
from wizard.export.map_svg import HEADER_H, to_svg

COUNT_COLOUR = "#1f6feb"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def counted_map_svg(flowset: FlowSet, flow_id: str, lang: str, data: Mapping[str, Any]) -> str:
    """The map of `flow_id` with the counts of a statistics report (`nodes` and `edges`) on it."""
    layout = layout_flow(flowset.flow(flow_id), lang, flowset=flowset)
    passed = {f"{row['flow']}#{row['node']}": int(row["passed"]) for row in data["nodes"]}
    taken = {(row["from"], row["to"]): int(row["count"]) for row in data["edges"]}
    # A box standing for another flow's node (often the shared ends) may appear many times: each
    # counts the walks that came to it along its own ways, not all walks that reached that node.
    into: dict[str, int] = {}
    for edge in layout.edges:
        into[edge.target_key] = into.get(edge.target_key, 0) + taken.get(
            (str(edge.source), str(edge.target)), 0
        )

    def walks(node: Any) -> int:
        return into.get(node.key, 0) if node.external else passed.get(str(node.ref), 0)

    most_passed = max((walks(node) for node in layout.nodes), default=0) or 1
    most_taken = max((taken.get((str(e.source), str(e.target)), 0) for e in layout.edges), default=0) or 1
    marks = [f'<g id="counts" transform="translate(0,{_num(HEADER_H)})">']
    for edge in layout.edges:
        count = taken.get((str(edge.source), str(edge.target)), 0)
        if not count or len(edge.points) < 2:
            continue
        width = 1.5 + 7.0 * count / most_taken
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in edge.points)
        marks.append(
            f'<polyline points="{points}" fill="none" stroke="{COUNT_COLOUR}" '
            f'stroke-opacity="0.45" stroke-width="{_num(width)}"/>'
        )
        x, y = edge.points[len(edge.points) // 2]
        marks.append(
            f'<text x="{_num(x)}" y="{_num(y - 4)}" font-size="12" font-weight="bold" '
            f'fill="{COUNT_COLOUR}">{count}</text>'
        )
    for node in layout.nodes:
        count = walks(node)
        if not count:
            continue
        opacity = 0.12 + 0.5 * count / most_passed
        marks.append(
            f'<rect x="{_num(node.x)}" y="{_num(node.y)}" width="{_num(node.w)}" height="{_num(node.h)}" '
            f'rx="6" fill="{COUNT_COLOUR}" fill-opacity="{opacity:.2f}"/>'
        )
        badge_x = node.x + node.w - 4
        marks.append(
            f'<rect x="{_num(badge_x - 34)}" y="{_num(node.y - 10)}" width="38" height="18" rx="9" '
            f'fill="{COUNT_COLOUR}"/>'
            f'<text x="{_num(badge_x - 15)}" y="{_num(node.y + 3)}" font-size="12" font-weight="bold" '
            f'fill="#ffffff" text-anchor="middle">{count}</text>'
        )
    marks.append("</g>")
    svg = to_svg(layout)
    end = svg.rindex("</svg>")
    return svg[:end] + "\n".join(marks) + "\n" + svg[end:]
