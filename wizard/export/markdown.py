"""Markdown (CommonMark with GitHub tables) from the intermediate document.

Everything that is text is escaped so that it stays text: it cannot open emphasis, code, a link, an
image, raw HTML, a heading, a list, a quote, a fence or a table, cannot end a table cell, and cannot
become an autolink (GitHub links bare `https://…`, `www.…` and e-mail addresses, so `:` before `//`, the
second `/` of `//`,
`.` before a letter inside a word and `@` are escaped too). Links come only from flow texts and only with https.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wizard.core.inline import Span, SpanKind
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

_ALWAYS = re.compile(r"([\\`*_\[\]<>!&|~#@{}])")
_DOT_IN_WORD = re.compile(r"(?<=\w)\.(?=[^\W\d_])")  # "evil.com", "www.x"; not "18.1"
_SCHEME = re.compile(r":(?=//)")
_DOUBLE_SLASH = re.compile(r"/(?=/)")  # linkify reads "//www.x" as a scheme-relative link
_BLOCK_START = re.compile(r"([-+=>:])")
_ORDERED = re.compile(r"(\d{1,9})([.)])")
_URL_UNSAFE = re.compile(r"[\s()<>\\\"'`]")


def escape(text: str) -> str:
    """One line of text, escaped for any inline position (and a line start, and a table cell)."""
    text = text.strip()
    if not text:
        return ""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _DOT_IN_WORD.sub(r"\\.", text)
    text = _SCHEME.sub(r"\\:", text)
    text = _DOUBLE_SLASH.sub(r"/\\", text)
    if _BLOCK_START.match(text):
        return "\\" + text
    return _ORDERED.sub(r"\1\\\2", text, count=1) if _ORDERED.match(text) else text


def escape_lines(text: str, indent: str = "") -> str:
    """Text with line breaks: lines joined by hard breaks, blank lines kept as paragraph breaks."""
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        escaped = escape(line)
        if escaped:
            paragraphs[-1].append(escaped)
        elif paragraphs[-1]:
            paragraphs.append([])
    blocks = ("\\\n".join(lines) for lines in paragraphs if lines)
    return f"\n\n{indent}".join(block.replace("\n", "\n" + indent) for block in blocks)


def _code(text: str, in_table: bool) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def spans(items: Spans, *, in_table: bool = False, indent: str = "") -> str:
    out: list[str] = []
    for span in items:
        text = span.text.replace("\n", " ") if in_table or span.kind is not SpanKind.TEXT else span.text
        out.append(_span(span, text, in_table, indent))
    return "".join(out).strip() if in_table else "".join(out)


def _span(span: Span, text: str, in_table: bool, indent: str) -> str:
    if span.kind is SpanKind.CODE:
        return _code(text.strip("\n"), in_table)
    if span.kind is SpanKind.BOLD:
        inner = escape(text)
        return f"{_lead(text)}**{inner}**{_trail(text)}" if inner else text
    if span.kind is SpanKind.EMPHASIS:
        inner = escape(text.strip())
        return f"{_lead(text)}*{inner}*{_trail(text)}" if inner else text
    if span.kind is SpanKind.LINK:
        label = escape(text)
        url = span.url or ""
        if is_safe_link(url) and label:
            safe = _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)
            return f"{_lead(text)}[{label}]({safe}){_trail(text)}"
        return f"{_lead(text)}{label}{_trail(text)}"
    if "\n" in text:
        return escape_lines(text, indent)
    return f"{_lead(text)}{escape(text)}{_trail(text)}"


def _lead(text: str) -> str:
    return " " if text[:1].isspace() else ""


def _trail(text: str) -> str:
    return " " if text[-1:].isspace() and text.strip() else ""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines += ["| " + " | ".join(cell for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(document: Document) -> str:
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + escape(block.text.replace("\n", " ")))
        elif isinstance(block, Paragraph):
            text = spans(block.spans)
            if text.strip():
                parts.append(text)
        elif isinstance(block, KeyValues):
            rows: list[tuple[str, ...]] = [
                (escape(key), spans(value, in_table=True)) for key, value in block.rows
            ]
            parts.append(_table((block.key_header, block.value_header), rows))
        elif isinstance(block, BulletList):
            parts.append("\n".join("- " + spans(item, indent="  ") for item in block.items))
        elif isinstance(block, PathTable):
            cells = [tuple(spans(cell, in_table=True) for cell in row) for row in block.rows]
            parts.append(_table(block.headers, cells))
        elif isinstance(block, Image):
            continue  # Markdown for a ticket stays one file of text
    return "\n\n".join(parts) + "\n"
