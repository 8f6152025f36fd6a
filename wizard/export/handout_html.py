"""HTML from a handout: one self-contained file that reads on screen and prints well.

Built like the case HTML (html.py) and with its pieces: the same escaping of every text, the same
links (https only, rel="noopener noreferrer"), the same Content-Security-Policy, screenshots embedded
as data: URIs. Each node is a heading with the id `node-<id>`; choices, `next` and the contents link to
those ids.

handout_pdf.py lays out the same HTML with QTextDocument, asking for the paper variant
(`page_text`): there a choice shows the page of its target instead of linking to it, and the contents
carry page numbers. So the markup stays within what QTextDocument understands (tables, headings,
lists, simple CSS).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from wizard.core.links import is_safe_link
from wizard.export.handout import FlowPart, Handout, NodeSection, Shot, StepItem, Target
from wizard.export.html import CSS as CASE_CSS
from wizard.export.html import html_page, spans_html

CSS = (
    CASE_CSS
    + """
h2.part { font-size: 18pt; page-break-before: always; border-bottom: none; }
h2.node { font-size: 13pt; margin: 1.6em 0 0.1em 0; padding-top: 0.5em; border-bottom: none;
          border-top: 1px solid #c8c8c8; page-break-after: avoid; }
p.meta { font-size: 9pt; color: #555555; margin: 0 0 0.5em 0; }
p.label { font-weight: bold; margin: 0.7em 0 0.2em 0; }
p.facts { font-size: 9.5pt; color: #333333; }
span.kind { font-weight: bold; color: #2b5797; }
span.hint { font-size: 9pt; color: #555555; }
ul.messages li { font-style: italic; }
table.callout, table.outcome { border-collapse: collapse; margin: 0.5em 0; }
table.callout td, table.outcome td { border: none; padding: 5px 8px; }
table.callout.note td { background-color: #eaf2fb; border-left: 4px solid #2b5797; }
table.callout.important td { background-color: #f3ecfa; border-left: 4px solid #6b3fa0; }
table.callout.warning td { background-color: #fdf1e4; border-left: 4px solid #b35900; }
table.outcome td { background-color: #eef6ee; border-left: 4px solid #2e7d32; }
table.choices td.to { width: 45%; }
table.toc td { border: none; padding: 1px 6px 1px 0; }
table.toc td.page { text-align: right; white-space: nowrap; }
ul.toc { list-style: none; padding-left: 0; }
ul.toc li { margin: 0.15em 0; }
p.tocline { margin: 1px 0; }
a.pageref { color: #1b1b1b; text-decoration: none; }
@media print { a { color: #1b1b1b; } h2.node { page-break-after: avoid; } }
"""
)

IMAGE_MAX_WIDTH = 480  # CSS pixels (5 inches): a wide console picture
IMAGE_MAX_HEIGHT = 360  # a phone picture stays within a third of a page

PageText = Callable[[str], str]  # anchor -> the page number shown for it


def to_handout_html(handout: Handout) -> str:
    """The handout as one HTML page for a browser: choices link to the nodes they lead to."""
    return _page(handout, None)


def handout_paper_html(handout: Handout, page_text: PageText) -> str:
    """The handout for paper (the PDF): each reference says "page N", N being `page_text(anchor)`.

    Every N is the only text of an `<a class="pageref" href="#anchor">`, so that handout_pdf.py can find
    it again in the laid-out document.
    """
    return _page(handout, page_text)


@dataclass(frozen=True)
class PaperPiece:
    """One part of a large handout's paper HTML: a flow's header, a line of the contents or a node.

    `anchor` is the id of its first block, so that handout_pdf.py finds where the piece starts once
    laid out; `heading` says whether it opens with a node heading (kept with the text after it).
    """

    html: str
    anchor: str
    heading: bool = False


def handout_paper_pieces(handout: Handout, page_text: PageText) -> list[PaperPiece]:
    """The paper HTML of `handout_paper_html` as pieces in reading order, for handouts too large to
    lay out as one document (handout_pdf.py lays them out a few pages at a time). The contents are one
    paragraph per node ("Title (Question) · page 12"): a table of thousands of rows lays out slowly."""
    writer = _Writer(handout, page_text)
    label = handout.label
    several = len(handout.parts) > 1
    pieces: list[PaperPiece] = []
    for index, part in enumerate(handout.parts):
        pieces.append(PaperPiece(writer.part_header(part, index), part.anchor))
        if index == 0:
            pieces.append(PaperPiece(f'<h2 id="contents">{escape(label("contents"))}</h2>', "contents"))
            for listed in handout.parts:
                if several:
                    pieces.append(
                        PaperPiece(
                            f'<h3 id="contents-{_attr(listed.anchor)}">{escape(listed.title)}</h3>',
                            f"contents-{listed.anchor}",
                        )
                    )
                pieces += [writer.contents_line(node) for node in listed.nodes]
        pieces += [PaperPiece(writer.node(node), node.anchor, heading=True) for node in part.nodes]
    return pieces


def _page(handout: Handout, page_text: PageText | None) -> str:
    return html_page(handout.lang, handout.title, CSS, _Writer(handout, page_text).body())


class _Writer:
    def __init__(self, handout: Handout, page_text: PageText | None) -> None:
        self.handout = handout
        self.page_text = page_text
        self.label = handout.label

    def body(self) -> str:
        parts: list[str] = []
        several = len(self.handout.parts) > 1
        for index, part in enumerate(self.handout.parts):
            parts.append(self.part_header(part, index))
            if index == 0:
                parts.append(self.contents(several))
            parts += [self.node(node) for node in part.nodes]
        return "\n".join(parts)

    def part_header(self, part: FlowPart, index: int) -> str:
        """The flow's title, description and facts: an h1 for the first flow, h2 on a new page after."""
        level, css = (1, "") if index == 0 else (2, ' class="part"')
        out = [f'<h{level} id="{_attr(part.anchor)}"{css}>{escape(part.title)}</h{level}>']
        if part.description:
            out.append(f'<p dir="auto">{spans_html(part.description)}</p>')
        facts = [f"{escape(self.label('flow'))}: <code>{escape(part.flow_id)}</code>"]
        facts.append(f"{escape(self.label('version'))} {part.version}")
        if part.reviewed:
            facts.append(f"{escape(self.label('reviewed'))} {escape(part.reviewed)}")
        if part.source is not None:
            link = self.link(part.source.url, part.source.url)
            section = f" ({escape(self.label('section'))} {escape(part.section)})" if part.section else ""
            facts.append(f"{escape(self.label('source'))}: {link}{section}")
        out.append(f'<p class="facts">{" · ".join(facts)}</p>')
        return "\n".join(out)

    def contents(self, several: bool) -> str:
        out = [f"<h2>{escape(self.label('contents'))}</h2>"]
        for part in self.handout.parts:
            if several:
                out.append(f"<h3>{escape(part.title)}</h3>")
            if self.page_text is None:
                items = [
                    f'<li dir="auto"><a href="#{_attr(node.anchor)}">{escape(node.title)}</a> '
                    f'<span class="hint">({escape(node.kind_label)})</span></li>'
                    for node in part.nodes
                ]
                out.append('<ul class="toc">\n' + "\n".join(items) + "\n</ul>")
            else:
                rows = [
                    f'<tr><td dir="auto">{escape(node.title)} <span class="hint">({escape(node.kind_label)})'
                    f'</span></td><td class="page">{self.page_number(node.anchor)}</td></tr>'
                    for node in part.nodes
                ]
                out.append('<table class="toc" width="100%">\n' + "\n".join(rows) + "\n</table>")
        return "\n".join(out)

    def contents_line(self, node: NodeSection) -> PaperPiece:
        before, _, after = self.label("page_ref").replace(" ", "\u00a0").partition("{page}")
        anchor = f"contents-{node.anchor}"
        return PaperPiece(
            f'<p id="{_attr(anchor)}" class="tocline" dir="auto">{escape(node.title)} '
            f'<span class="hint">({escape(node.kind_label)})</span> · '
            f"{escape(before)}{self.page_number(node.anchor)}{escape(after)}</p>",
            anchor,
        )

    def page_number(self, anchor: str) -> str:
        assert self.page_text is not None
        return f'<a class="pageref" href="#{_attr(anchor)}">{escape(self.page_text(anchor))}</a>'

    def link(self, url: str, label: str) -> str:
        if not is_safe_link(url):
            return escape(label)
        return f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">{escape(label)}</a>'

    def target(self, target: Target) -> str:
        text = escape(target.text(self.handout.labels))
        if target.anchor is None:
            return f"→ {text}"
        if self.page_text is None:
            return f'→ <a href="#{_attr(target.anchor)}">{text}</a>'
        before, _, after = self.label("page_ref").replace(" ", "\u00a0").partition("{page}")
        return f"→ {text}\u00a0({escape(before)}{self.page_number(target.anchor)}{escape(after)})"

    def node(self, node: NodeSection) -> str:
        label = self.label
        out = [f'<h2 id="{_attr(node.anchor)}" class="node" dir="auto">{escape(node.title)}</h2>']
        meta = [
            f'<span class="kind">{escape(node.kind_label)}</span>',
            f"<code>{escape(node.ref.node)}</code>",
        ]
        if node.is_entry:
            meta.append(escape(label("start")))
        if node.entered_from:
            meta.append(escape(label("entered_from").format(flows=", ".join(node.entered_from))))
        elif not node.reachable:
            meta.append(escape(label("unreachable")))
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        out += [f'<p dir="auto">{spans_html(paragraph)}</p>' for paragraph in node.body]
        if node.messages:
            out.append(f'<p class="label">{escape(label("messages"))}</p>')
            items = "\n".join(f'<li dir="auto">“{escape(message)}”</li>' for message in node.messages)
            out.append(f'<ul class="messages">\n{items}\n</ul>')
        for callout in node.callouts:
            out.append(
                f'<table class="callout {_attr(callout.kind)}" width="100%"><tr><td dir="auto">'
                f"<b>{escape(callout.label)}</b> {spans_html(callout.text)}</td></tr></table>"
            )
        out += [self.shot(shot) for shot in node.screenshots]
        if node.steps:
            out.append('<ol class="steps">\n' + "\n".join(self.step(step) for step in node.steps) + "\n</ol>")
        codes = []
        if node.error_codes:
            joined = ", ".join(f"<code>{escape(code)}</code>" for code in node.error_codes)
            codes.append(f"<b>{escape(label('error_codes'))}:</b> {joined}")
        if node.error_ids:
            joined = ", ".join(f"<code>{escape(error_id)}</code>" for error_id in node.error_ids)
            codes.append(f"<b>{escape(label('error_ids'))}:</b> {joined}")
        if codes:
            out.append(f"<p>{'<br>'.join(codes)}</p>")
        if node.links:
            out.append(f'<p class="label">{escape(label("links"))}</p>')
            items = "\n".join(f'<li dir="auto">{self.link(link.url, link.label)}</li>' for link in node.links)
            out.append(f"<ul>\n{items}\n</ul>")
        if node.choices:
            rows = []
            for choice in node.choices:
                hint = f'<br><span class="hint">{spans_html(choice.hint)}</span>' if choice.hint else ""
                rows.append(
                    f'<tr><td dir="auto">{spans_html(choice.label)}{hint}</td>'
                    f'<td class="to" dir="auto">{self.target(choice.target)}</td></tr>'
                )
            head = f"<tr><th>{escape(label('answer'))}</th><th>{escape(label('leads_to'))}</th></tr>"
            out.append(
                f'<table class="choices" width="100%">\n<thead>{head}</thead>\n<tbody>\n'
                + "\n".join(rows)
                + "\n</tbody>\n</table>"
            )
        if node.next is not None:
            out.append(f'<p class="next"><b>{escape(label("next"))}:</b> {self.target(node.next)}</p>')
        if node.outcome:
            lines = [f"<b>{escape(label('outcome'))}:</b> {escape(node.outcome)}"]
            if node.escalate_to:
                lines.append(f"<b>{escape(label('escalate_to'))}:</b> {spans_html(node.escalate_to)}")
            if node.reason:
                lines.append(f"<b>{escape(label('reason'))}:</b> {spans_html(node.reason)}")
            out.append(
                f'<table class="outcome" width="100%"><tr><td dir="auto">{"<br>".join(lines)}</td></tr></table>'
            )
        if node.source is not None:
            link = self.link(node.source.url, node.source.label)
            out.append(f'<p class="meta">{escape(label("source"))}: {link}</p>')
        return "\n".join(out)

    def step(self, step: StepItem) -> str:
        parts = [spans_html(step.text)]
        if step.hint:
            parts.append(f'<span class="hint">{spans_html(step.hint)}</span>')
        if step.command:
            parts.append(f"{escape(self.label('command'))}: <code>{escape(step.command)}</code>")
        text = "<br>".join(parts)
        shot = self.shot(step.screenshot) if step.screenshot is not None else ""
        return f'<li dir="auto">{text}{shot}</li>'

    def shot(self, shot: Shot) -> str:
        described = f"{self.label('screenshot')}: {shot.alt}"
        caption = escape(described)
        if shot.caption:
            caption = f"{escape(shot.caption)}<br>\n{caption}"
        if shot.image is None:
            return f'<p class="shot"><span class="caption">{caption} {escape(self.label("missing_image"))}</span></p>'
        image = shot.image
        data = base64.b64encode(image.data).decode("ascii")
        width, height = image.scaled(IMAGE_MAX_WIDTH)
        if height > IMAGE_MAX_HEIGHT:
            width, height = round(width * IMAGE_MAX_HEIGHT / height), IMAGE_MAX_HEIGHT
        return (
            f'<p class="shot"><img src="data:{escape(image.mime, quote=True)};base64,{data}" '
            f'alt="{escape(shot.alt, quote=True)}" width="{width}" height="{height}"><br>\n'
            f'<span class="caption">{caption}</span></p>'
        )


def _attr(text: str) -> str:
    return escape(text, quote=True)
