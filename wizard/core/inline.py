"""The inline formatting flows may use: **bold**, `code` and [links](https://…), nothing else.

One tokenizer serves the validator, the window and every exporter, so all agree on what a text means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class SpanKind(StrEnum):
    TEXT = "text"
    BOLD = "bold"
    CODE = "code"
    LINK = "link"
    # Never parsed from a flow text: the exports use it for words of their own that must stand apart
    # from what the agent answered (e.g. "filled in by the search"), shown in italics.
    EMPHASIS = "emphasis"


@dataclass(frozen=True, slots=True)
class Span:
    kind: SpanKind
    text: str
    url: str | None = None


_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<bold>[^*\n](?:[^\n]*?[^*\n])?)\*\*"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def parse_inline(text: str) -> list[Span]:
    """Split a text into spans; anything that is not one of the three forms stays plain text."""
    spans: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            spans.append(Span(SpanKind.TEXT, text[position : match.start()]))
        if match.group("code") is not None:
            spans.append(Span(SpanKind.CODE, match.group("code")))
        elif match.group("bold") is not None:
            spans.append(Span(SpanKind.BOLD, match.group("bold")))
        else:
            spans.append(Span(SpanKind.LINK, match.group("label"), match.group("url")))
        position = match.end()
    if position < len(text):
        spans.append(Span(SpanKind.TEXT, text[position:]))
    return spans


def plain_text(text: str) -> str:
    """The text as a person reads it, markup removed (links keep their label)."""
    if "`" not in text and "*" not in text and "[" not in text:
        return text
    return "".join(span.text for span in parse_inline(text))


def links_in(text: str) -> list[str]:
    if "](" not in text:
        return []
    return [span.url for span in parse_inline(text) if span.kind is SpanKind.LINK and span.url]


def html_tags_in(text: str) -> list[str]:
    """HTML-looking tags outside code spans (they are shown literally, which is rarely meant)."""
    if "<" not in text:
        return []
    return [
        tag
        for span in parse_inline(text)
        if span.kind is not SpanKind.CODE
        for tag in _HTML_TAG.findall(span.text)
    ]
