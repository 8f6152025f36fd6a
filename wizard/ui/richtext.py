"""Flow texts as Qt rich text: escaped first, then only the three inline forms flows may use."""

from __future__ import annotations

from html import escape

from wizard.core.inline import SpanKind, parse_inline
from wizard.core.links import is_safe_link


def to_html(text: str, code_background: str = "rgba(127,127,127,0.18)") -> str:
    """HTML for a QLabel. Everything is escaped; only https links become links."""
    parts: list[str] = []
    for span in parse_inline(text):
        content = escape(span.text)
        if span.kind is SpanKind.BOLD:
            parts.append(f"<b>{content}</b>")
        elif span.kind is SpanKind.CODE:
            parts.append(
                f'<code style="background:{code_background}; font-family:monospace">&nbsp;{content}&nbsp;</code>'
            )
        elif span.kind is SpanKind.LINK and is_safe_link(span.url):
            parts.append(f'<a href="{escape(span.url, quote=True)}">{content}</a>')
        else:
            parts.append(content)
    return "".join(parts).replace("\n", "<br>")
