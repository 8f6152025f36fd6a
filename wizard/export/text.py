"""Plain text from the intermediate document, for ticket systems that take no markup.

Wrapped at 78 columns; headings underlined; the path as numbered lines. The result holds no control
character but newline (no tab, no terminal escape, no bidi control), whatever the notes held.
"""

from __future__ import annotations

import textwrap

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
from wizard.export.sanitize import clean_text

WIDTH = 78
KEY_WIDTH_MAX = 20


def spans_text(items: Spans) -> str:
    out = []
    for span in items:
        if span.kind is SpanKind.LINK and is_safe_link(span.url):
            out.append(f"{span.text} <{span.url}>")
        else:
            out.append(span.text)
    return "".join(out)


def wrap(text: str, first: str = "", rest: str | None = None, width: int = WIDTH) -> list[str]:
    """Wrap each line of `text`; `first` prefixes the first output line, `rest` the others."""
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    for raw in text.expandtabs(4).split("\n"):
        prefix = first if not lines else rest
        if not raw.strip():
            lines.append(prefix.rstrip())
            continue
        wrapped = textwrap.wrap(
            raw,
            width=width,
            initial_indent=prefix,
            subsequent_indent=rest,
            break_on_hyphens=False,
            drop_whitespace=True,
        )
        lines.extend(wrapped or [prefix.rstrip()])
    return lines or [first.rstrip()]


def to_text(document: Document) -> str:
    out: list[str] = []

    def gap() -> None:
        if out and out[-1] != "":
            out.append("")

    for block in document.blocks:
        if isinstance(block, Heading):
            gap()
            title = " ".join(block.text.split())
            lines = wrap(title)
            out += lines
            if block.level <= 2:
                underline = "=" if block.level == 1 else "-"
                out.append(underline * min(WIDTH, max(len(line) for line in lines)))
        elif isinstance(block, Paragraph):
            gap()
            out += wrap(spans_text(block.spans))
        elif isinstance(block, KeyValues):
            gap()
            key_width = min(KEY_WIDTH_MAX, max(len(key) for key, _ in block.rows) + 1)
            for key, value in block.rows:
                label = f"{key}:".ljust(key_width) + " "
                out += wrap(spans_text(value), label, " " * len(label))
        elif isinstance(block, BulletList):
            gap()
            for item in block.items:
                out += wrap(spans_text(item), "- ", "  ")
        elif isinstance(block, PathTable):
            gap()
            number_width = len(str(len(block.rows))) + 2
            for row in block.rows:
                number, step, answer, time = (spans_text(cell) for cell in row)
                first = f"{number}.".rjust(number_width - 1) + " "
                indent = " " * len(first)
                out += wrap(f"{time}  {step}".replace("\n", " "), first, indent)
                if answer.strip():
                    out += wrap(answer.replace("\n", " "), indent + "→ ", indent + "  ")
        elif isinstance(block, Image):
            gap()
            out += wrap(f"[{block.alt}]")
    text = "\n".join(line.rstrip() for line in out).strip("\n") + "\n"
    return clean_text(text).replace("\t", " ")
