"""The statistics report as JSON (docs/stats.schema.json), CSV (one row per period and per node) or HTML
(one self-contained page: charts as inline SVG, then the tables), in Swedish or English.

Every writer takes the data `wizard.stats.core.report` returns, which holds nothing personal: what it
shows is what the JSON holds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from wizard.core.labels import STATS_LABELS
from wizard.export.html import html_page
from wizard.export.sanitize import clean_text

FORMATS = ("html", "json", "csv")

LABELS = STATS_LABELS  # in wizard/core/labels.py with every other content-language text

OUTCOME_KEYS = ("resolved", "escalated", "not_resolved", "abandoned")


def labels(lang: str) -> Mapping[str, str]:
    return LABELS.get(lang, LABELS["en"])


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


# -- JSON ---------------------------------------------------------------------------------------


def to_json_text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "row",
    "period",
    "flow",
    "node",
    "title",
    "cases",
    *OUTCOME_KEYS,
    "passed",
    "ended",
    "stopped",
    "changed",
    "median_s",
    "p90_s",
    "unclear",
    "wrong",
)


def _cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: no formula (=, +, -, @ first), no control characters."""
    if value is None:
        return ""
    text = clean_text(str(value)) if isinstance(value, str) else str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def to_csv(data: Mapping[str, Any]) -> str:
    """One row per day, per week and per node; the kind of row in the first column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for kind in ("per_day", "per_week"):
        for row in data[kind]:
            writer.writerow(
                [
                    _cell(value)
                    for value in (kind.removeprefix("per_"), row["period"], "", "", "", row["cases"])
                ]
                + [row[key] for key in OUTCOME_KEYS]
                + [""] * 8
            )
    for node in data["nodes"]:
        writer.writerow(
            [_cell(value) for value in ("node", "", node["flow"], node["node"], node["title"], "")]
            + [""] * len(OUTCOME_KEYS)
            + [
                _cell(node[key])
                for key in ("passed", "ended", "stopped", "changed", "median_s", "p90_s", "unclear", "wrong")
            ]
        )
    return out.getvalue()


# -- HTML ---------------------------------------------------------------------------------------

CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 60em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { max-width: 100%; height: auto; }
.muted { color: #666; }
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], none: str) -> str:
    if not rows:
        return f'<p class="muted">{escape(none)}</p>'
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = []
    for row in rows:
        cells = []
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cells.append(
                f'<td class="n">{value}</td>' if numeric else f"<td>{escape(clean_text(str(value)))}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def node_label(row: Mapping[str, Any], text: Mapping[str, str]) -> str:
    title = row.get("title") or f"({text['unknown_node']})"
    return f"{title} [{row['flow']}#{row['node']}]"


def chart_svgs(data: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The report's charts as SVG, by name; empty when there is nothing to draw."""
    from wizard.stats import charts

    text = labels(lang)
    out: dict[str, str] = {}
    if data["sources"]["cases"]:
        counts = {key: data["outcomes"][key]["count"] for key in OUTCOME_KEYS}
        out["outcomes"] = charts.outcomes_bar(text["outcomes"], counts, text)
        flows = [row | {"name": row["title"] or row["flow"]} for row in data["per_flow"][:12]]
        out["per_flow"] = charts.stacked_outcomes(text["per_flow"], flows, "name", text)
        periods = data["per_week"] if len(data["per_day"]) > 31 else data["per_day"]
        title = text["per_week"] if periods is data["per_week"] else text["per_day"]
        out["per_period"] = charts.stacked_outcomes(title, periods[-26:], "period", text)
    return out


def to_html(data: Mapping[str, Any], lang: str, flow_map: str | None = None) -> str:
    """The report as one page; `flow_map` is the SVG of counted_map_svg, shown after the flows."""
    text = labels(lang)
    none = text["none"]
    sources = data["sources"]
    query = data["query"]
    names = [text["store"] if source == "store" else source for source in sources["read"]]
    period = " – ".join(filter(None, [query["since"], query["until"]])) or text["all_time"]
    svgs = chart_svgs(data, lang)
    parts = [f"<h1>{escape(text['title'])}</h1>"]
    parts.append(
        f"<p>{escape(text['period'])}: {escape(period)}"
        + (f" · {escape(text['flow'])}: {escape(query['flow'])}" if query["flow"] else "")
        + "</p>"
    )
    parts.append(
        "<p>"
        + escape(
            text["sources"].format(
                sources=", ".join(names) or "–",
                cases=sources["cases"],
                duplicates=sources["duplicates"],
                skipped=len(sources["skipped"]),
            )
        )
        + "</p>"
    )
    parts.append(f"<h2>{escape(text['outcomes'])}</h2>")
    if "outcomes" in svgs:
        parts.append(f'<div class="chart">{svgs["outcomes"]}</div>')
    parts.append(
        _table(
            [text["outcome"], text["count"], text["rate"]],
            [
                [text[key], data["outcomes"][key]["count"], percent(data["outcomes"][key]["rate"])]
                for key in OUTCOME_KEYS
            ],
            none,
        )
    )
    parts.append(f"<h2>{escape(text['per_flow'])}</h2>")
    if "per_flow" in svgs:
        parts.append(f'<div class="chart">{svgs["per_flow"]}</div>')
    parts.append(
        _table(
            [text["flow"], text["cases"], *(text[key] for key in OUTCOME_KEYS), text["not_resolved_share"]],
            [
                [
                    row["title"] or row["flow"],
                    row["cases"],
                    *(row[key] for key in OUTCOME_KEYS),
                    percent(row["not_resolved_share"]),
                ]
                for row in data["per_flow"]
            ],
            none,
        )
    )
    if flow_map:
        parts.append(f"<h2>{escape(text['flow_map'])}</h2>")
        parts.append(f'<p class="muted">{escape(text["flow_map_note"])}</p>')
        inline = flow_map[flow_map.index("<svg") :]  # no XML declaration inside a page
        parts.append(f'<div class="chart">{inline}</div>')
    parts.append(f"<h2>{escape(text['per_week'])}</h2>")
    if "per_period" in svgs:
        parts.append(f'<div class="chart">{svgs["per_period"]}</div>')
    parts.append(
        _table(
            [text["period"], text["cases"], *(text[key] for key in OUTCOME_KEYS)],
            [[row["period"], row["cases"], *(row[key] for key in OUTCOME_KEYS)] for row in data["per_week"]],
            none,
        )
    )
    parts.append(f"<h2>{escape(text['per_language'])}</h2>")
    parts.append(
        _table(
            [text["language"], text["cases"]],
            [
                [text["unknown"] if row["lang"] == "unknown" else row["lang"], row["count"]]
                for row in data["per_language"]
            ],
            none,
        )
    )
    if "per_agent" in data:
        parts.append(f"<h2>{escape(text['per_agent'])}</h2>")
        parts.append(
            _table(
                [text["agent"], text["cases"], *(text[key] for key in OUTCOME_KEYS)],
                [
                    [row["agent"], row["cases"], *(row[key] for key in OUTCOME_KEYS)]
                    for row in data["per_agent"]
                ],
                none,
            )
        )
    parts.append(f"<h2>{escape(text['end_nodes'])}</h2>")
    parts.append(
        _table(
            [text["node"], text["outcome"], text["count"]],
            [
                [node_label(row, text), text.get(row["outcome"], text["unknown"]), row["count"]]
                for row in data["end_nodes"]
            ],
            none,
        )
    )
    for key in ("drop_offs", "answer_changes"):
        parts.append(f"<h2>{escape(text[key])}</h2>")
        parts.append(
            _table(
                [text["node"], text["count"]],
                [[node_label(row, text), row["count"]] for row in data[key]],
                none,
            )
        )
    durations = data["durations"]
    parts.append(f"<h2>{escape(text['durations'])}</h2>")
    parts.append(
        "<p>"
        + escape(
            text["case_time"].format(
                median=duration_text(durations["median_s"]),
                p90=duration_text(durations["p90_s"]),
                cases=durations["cases"],
            )
        )
        + "</p>"
    )
    parts.append(f"<h3>{escape(text['slowest_steps'])}</h3>")
    parts.append(
        _table(
            [text["node"], text["count"], text["median"], text["p90"]],
            [
                [
                    node_label(row, text),
                    row["count"],
                    duration_text(row["median_s"]),
                    duration_text(row["p90_s"]),
                ]
                for row in durations["slowest_steps"]
            ],
            none,
        )
    )
    searches = data["searches"]
    parts.append(f"<h2>{escape(text['searches'])}</h2>")
    for key, column in (
        ("no_hit", "query"),
        ("not_opened", "query"),
        ("unknown_codes", "code"),
        ("top", "query"),
    ):
        heading = text["top_queries"] if key == "top" else text[key]
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(
            _table(
                [text[column], text["count"]], [[row[column], row["count"]] for row in searches[key]], none
            )
        )
    parts.append(f"<h2>{escape(text['feedback'])}</h2>")
    parts.append(
        _table(
            [text["node"], text["version"], text["unclear"], text["wrong"], text["comments"]],
            [
                [
                    node_label(row, text),
                    row["version"],
                    row["unclear"],
                    row["wrong"],
                    " · ".join(row["comments"]),
                ]
                for row in data["feedback"]
            ],
            none,
        )
    )
    if sources["skipped"]:
        parts.append(f"<h2>{escape(text['skipped'])}</h2>")
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{escape(clean_text(item['source']))}: {escape(clean_text(item['why']))}</li>"
                for item in sources["skipped"][:200]
            )
            + "</ul>"
        )
    return html_page(lang, text["title"], CSS, "\n".join(parts))


def render(data: Mapping[str, Any], fmt: str, lang: str, flow_map: str | None = None) -> str:
    if fmt == "json":
        return to_json_text(data)
    if fmt == "csv":
        return to_csv(data)
    if fmt == "html":
        return to_html(data, lang, flow_map)
    raise ValueError(f"unknown format '{fmt}'")
