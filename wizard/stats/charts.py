"""The statistics' charts as SVG, drawn by pygal (pure Python, no browser, no display needed).

pygal is imported here only, and this module only when statistics are made: opening the app never
loads it. The same SVG is inlined in the HTML report and drawn in the window through QtSvg, so the
charts carry no script and no reference to anything outside themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# pygal always writes a <script> with its configuration for its optional browser script: nothing
# here needs it, and a report must run no script, so it is taken out.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)

# Outcome colours: the flow map's end-node colours (resolved green, escalated amber, not resolved red),
# and grey for walks that stopped before an end.
OUTCOME_COLOURS = {
    "resolved": "#2e7d32",
    "escalated": "#ef8f00",
    "not_resolved": "#c62828",
    "abandoned": "#8a8a8a",
}


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#222222",
        foreground_strong="#111111",
        foreground_subtle="#dddddd",
        font_family="sans-serif",
        colors=tuple(OUTCOME_COLOURS.values()),
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        title_font_size=16,
        value_font_size=12,
        tooltip_font_size=12,
    )


def _config(chart: Any) -> None:
    chart.config.js = []  # no script from the web: the SVG must stand alone
    chart.config.disable_xml_declaration = True
    chart.config.explicit_size = True


def _render(chart: Any) -> str:
    _config(chart)
    svg: str = chart.render(is_unicode=True)
    return _SCRIPT.sub("", svg)


def _whole_numbers(chart: Any, top: int) -> None:
    """Counts are whole: ticks 0, step, 2·step … up to the top, about five of them."""
    step = max(1, -(-top // 5))
    chart.y_labels = list(range(0, top + step, step))
    chart.value_formatter = lambda value: f"{value:.0f}"


def outcomes_bar(
    title: str, counts: Mapping[str, int], labels: Mapping[str, str], width: int = 640, height: int = 260
) -> str:
    """One bar per outcome."""
    import pygal

    chart = pygal.Bar(
        width=width,
        height=height,
        style=_style(),
        title=title,
        show_legend=True,
        legend_at_bottom=True,
        print_values=True,
        print_zeroes=False,
        margin=10,
    )
    for outcome, colour in OUTCOME_COLOURS.items():
        chart.add(labels[outcome], [{"value": counts.get(outcome, 0), "color": colour}])
    _whole_numbers(chart, max(counts.values(), default=0))
    return _render(chart)


def stacked_outcomes(
    title: str,
    rows: Sequence[Mapping[str, Any]],
    key: str,
    labels: Mapping[str, str],
    *,
    width: int = 640,
    height: int = 300,
) -> str:
    """A bar per row (a flow, a week), its height split by outcome. Bars stand upright with their
    names below, slanted: QtSvg ignores the CSS that would right-align names beside lying bars."""
    import pygal

    chart = pygal.StackedBar(
        width=width,
        height=height,
        style=_style(),
        title=title,
        legend_at_bottom=True,
        print_values=False,
        margin=10,
        truncate_label=28,
        x_label_rotation=20,
    )
    chart.x_labels = [str(row[key]) for row in rows]
    for outcome in OUTCOME_COLOURS:
        chart.add(labels[outcome], [int(row.get(outcome, 0)) for row in rows])
    _whole_numbers(chart, max((int(row.get("cases", 0)) for row in rows), default=0))
    return _render(chart)
