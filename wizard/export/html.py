"""HTML from the intermediate document: one self-contained file, inline CSS, every text escaped.

No script, no external resource (a Content-Security-Policy says so to the browser as well), links only
to https addresses and with rel="noopener noreferrer"; screenshots, when wanted, are embedded as data:
URIs. The PDF exporter lays out the same HTML with Qt, so the markup stays within what QTextDocument
understands (tables, headings, lists, simple CSS).
"""

from __future__ import annotations

import base64
from html import escape

from wizard.core.inline import SpanKind
from wizard.core.links import is_safe_link
from wizard.export.document import (
    BulletList,
    Document,
    Heading,
    Image,
    KeyValues,
    Paragraph,
    PathTable,
    Spans,
)

CSS = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #1b1b1b;
       max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 0.6em 0; }
h2 { font-size: 13.5pt; margin: 1.4em 0 0.4em 0; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 11pt; margin: 1em 0 0.3em 0; }
table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border: 1px solid #c8c8c8; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background-color: #f0f0f0; }
td.num, td.time { white-space: nowrap; }
p, td { overflow-wrap: break-word; }  /* a pasted token wraps instead of widening the page */
code { font-family: Consolas, "DejaVu Sans Mono", monospace; background-color: #f3f3f3; }
p.shot { margin: 0.8em 0; line-height: 100%; }
span.caption { font-size: 9pt; color: #555555; }
i.filled { color: #5f5f5f; }
"""

IMAGE_WIDTH = 240
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def spans_html(items: Spans) -> str:
    out: list[str] = []
    for span in items:
        text = escape(span.text, quote=True)
        if span.kind is SpanKind.BOLD:
            out.append(f"<b>{text}</b>")
        elif span.kind is SpanKind.CODE:
            out.append(f"<code>{text}</code>")
        elif span.kind is SpanKind.EMPHASIS:
            out.append(f'<i class="filled">{text}</i>')
        elif span.kind is SpanKind.LINK and is_safe_link(span.url):
            href = escape(span.url or "", quote=True)
            out.append(f'<a href="{href}" rel="noopener noreferrer">{text}</a>')
        else:
            out.append(text)
    return "".join(out).replace("\n", "<br>\n")


def _table(
    headers: tuple[str, ...],
    rows: list[list[str]],
    classes: tuple[str, ...] = (),
    *,
    full_width: bool = False,
) -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            css = f' class="{classes[index]}"' if index < len(classes) and classes[index] else ""
            cells.append(f"<td{css}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    opening = '<table width="100%">' if full_width else "<table>"
    return f"{opening}\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def body_html(document: Document) -> str:
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(f'<p dir="auto">{spans_html(block.spans)}</p>')
        elif isinstance(block, KeyValues):
            rows = [[escape(key), spans_html(value)] for key, value in block.rows]
            parts.append(_table((block.key_header, block.value_header), rows))
        elif isinstance(block, BulletList):
            items = "\n".join(f'<li dir="auto">{spans_html(item)}</li>' for item in block.items)
            parts.append(f"<ul>\n{items}\n</ul>")
        elif isinstance(block, PathTable):
            rows = [[spans_html(cell) for cell in row] for row in block.rows]
            parts.append(_table(block.headers, rows, ("num", "", "", "time"), full_width=True))
        elif isinstance(block, Image):
            data = base64.b64encode(block.data).decode("ascii")
            alt = escape(block.alt, quote=True)
            caption = escape(block.caption or block.alt)
            width, height = block.scaled(IMAGE_WIDTH)
            parts.append(
                f'<p class="shot"><img src="data:{escape(block.mime, quote=True)};base64,{data}" alt="{alt}" '
                f'width="{width}" height="{height}"><br>\n<span class="caption">{caption}</span></p>'
            )
    return "\n".join(parts)


def to_html(document: Document) -> str:
    return html_page(document.lang, document.title, CSS, body_html(document))


def html_page(lang: str, title: str, css: str, body: str) -> str:
    """A whole, self-contained page: nothing is loaded from elsewhere (the CSP says so to browsers)."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Troubleshooting Wizard">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
