"""One intermediate document per case: every exporter writes this small tree, none reads the case itself.

The tree has five kinds of block: headings, paragraphs of inline spans, key/value tables, lists and the
path table (plus images, which only HTML and PDF show). Flow texts keep their inline markup as spans;
text people typed (notes, names, ticket) is always a plain text span, cleaned of control characters
and, when asked, redacted, so no writer can mistake it for markup.

The labels of an export (headings like "Summary"/"Sammanfattning") are content in the export's own
language, chosen apart from the language of the window, so they live here and not in Qt's .ts files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wizard.core.case import Case, summary_label
from wizard.core.engine import FilledBy
from wizard.core.inline import Span, SpanKind, parse_inline, plain_text
from wizard.core.labels import CASE_LABELS
from wizard.core.model import NodeKind, Screenshot
from wizard.core.redact import NO_REDACTION, Redactor, is_personal, redactor_for
from wizard.core.svg_check import is_self_contained
from wizard.export.sanitize import clean_text

LABELS = CASE_LABELS  # in wizard/core/labels.py with every other content-language text

EXPORT_LANGUAGES = tuple(LABELS)
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"])[key]


Spans = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 to 3
    text: str
    section: str = ""  # a stable name for the section it opens ("summary"), whatever the language


@dataclass(frozen=True)
class Paragraph:
    spans: Spans


@dataclass(frozen=True)
class KeyValues:
    key_header: str
    value_header: str
    rows: tuple[tuple[str, Spans], ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[Spans, ...]


@dataclass(frozen=True)
class PathTable:
    headers: tuple[str, ...]  # number, step, answer, time
    rows: tuple[tuple[Spans, ...], ...]


@dataclass(frozen=True)
class Image:
    data: bytes
    mime: str  # image/svg+xml, image/png, image/jpeg
    alt: str
    caption: str = ""
    size: tuple[float, float] | None = None  # intrinsic width and height, when known

    def scaled(self, width: float) -> tuple[int, int]:
        """Width and height for showing it `width` wide (4:3 when the size is unknown)."""
        natural_width, natural_height = self.size or (4.0, 3.0)
        return round(width), round(width * natural_height / natural_width)


Block = Heading | Paragraph | KeyValues | BulletList | PathTable | Image


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    case_id: str
    blocks: tuple[Block, ...]
    labels: Mapping[str, str] = field(default_factory=dict)

    def section(self, name: str) -> Document:
        """The section opened by the heading named `name`, without that heading: the blocks up to the
        next heading of the same or a higher level (e.g. the summary the end page shows)."""
        blocks: list[Block] = []
        opening: Heading | None = None
        for block in self.blocks:
            if opening is None:
                if isinstance(block, Heading) and block.section == name:
                    opening = block
                continue
            if isinstance(block, Heading) and block.level <= opening.level:
                break
            blocks.append(block)
        return Document(self.title, self.lang, self.case_id, tuple(blocks), self.labels)

    def page_label(self, page: int, pages: int) -> str:
        return self.labels.get("page", LABELS["en"]["page"]).format(page=page, pages=pages)


# The label of each way a step can be filled in rather than answered.
FILLED_LABELS: Mapping[FilledBy, str] = {
    FilledBy.SEARCH: "filled_search",
    FilledBy.LINK: "filled_link",
    FilledBy.MAP: "filled_map",
    FilledBy.FLOW_CHANGE: "filled_flow_change",
    FilledBy.UNKNOWN: "filled_unknown",
}


def filled_label(lang: str, filled_by: FilledBy) -> str:
    """'(filled in by the search)' and the like, in the export language."""
    return label(lang, FILLED_LABELS[filled_by])


def text_span(text: str) -> Span:
    return Span(SpanKind.TEXT, clean_text(text))


def bold_span(text: str) -> Span:
    return Span(SpanKind.BOLD, clean_text(text))


def flow_spans(text: str) -> Spans:
    """A flow text: its inline markup kept as spans, control characters removed."""
    return tuple(parse_inline(clean_text(text)))


def format_time(moment: dt.datetime, tz: dt.tzinfo = dt.UTC, *, seconds: bool = False) -> str:
    local = moment.astimezone(tz)
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    offset = local.utcoffset()
    return f"{shown} UTC" if not offset else f"{shown} {local.strftime('%z')}"


def build_document(
    case: Case,
    lang: str,
    *,
    redact: bool = False,
    screenshots: bool = False,
    tz: dt.tzinfo = dt.UTC,
) -> Document:
    """The case as a document in content language `lang` (flow texts and labels alike)."""
    labels = LABELS.get(lang, LABELS["en"])
    redactor = redactor_for(case, lang) if redact else NO_REDACTION

    def free(text: str) -> Span:  # text someone typed
        return text_span(redactor.text(text))

    blocks: list[Block] = [Heading(1, labels["title"].format(id=case.id))]
    blocks += _details(case, lang, labels, redactor, tz)
    blocks += _summary(case, lang, labels, redactor)
    blocks += _path(case, lang, labels, tz)
    blocks += _actions(case, lang, labels)
    notes: list[Block] = []
    if case.general_note.strip():
        notes += [Heading(3, labels["general_note"]), Paragraph((free(case.general_note),))]
    for row in case.path_rows(lang):
        if row.note.strip():
            title = labels["step_note"].format(number=row.index + 1, title="")
            notes.append(Paragraph((bold_span(title), *flow_spans(row.title))))
            notes.append(Paragraph((free(row.note),)))
    if case.searches:  # an unanswered search tells the next reader what the flows lack
        notes.append(Heading(3, labels["searches"]))
        for record in case.searches:
            query = redactor.text(record.query)
            known = record.hit is not None and case.flowset.has_node(record.hit)
            if record.hit is not None and known:
                title = plain_text(case.flowset.node(record.hit).title.get(lang))
                line = labels["search_hit"].format(query=query, title=title)
            else:
                line = labels["search_none"].format(query=query)
            notes.append(Paragraph((text_span(line),)))
    if case.feedback:  # for the flows' authors: which step confused the agent, and how
        notes.append(Heading(3, labels["feedback"]))
        for note in case.feedback:
            known = case.flowset.has_node(note.ref)
            title = plain_text(case.flowset.node(note.ref).title.get(lang)) if known else str(note.ref)
            line = labels[f"feedback_{note.kind}"].format(title=title)
            comment = redactor.text(note.comment).strip()
            notes.append(Paragraph((text_span(f"{line} – {comment}" if comment else line),)))
    if notes:
        blocks += [Heading(2, labels["notes"]), *notes]
    if screenshots:
        images = _screenshots(case, lang)
        if images:
            blocks += [Heading(2, labels["screenshots"]), *images]
    return Document(labels["title"].format(id=case.id), lang, case.id, tuple(blocks), labels)


def _details(
    case: Case, lang: str, labels: Mapping[str, str], redactor: Redactor, tz: dt.tzinfo
) -> list[Block]:
    rows: list[tuple[str, Spans]] = [(labels["case_id"], (text_span(case.id),))]

    def add(label: str, value: str, field: tuple[str, str] = ("", "")) -> None:
        if value.strip():
            shown = redactor.field(value) if is_personal(*field) else redactor.text(value)
            rows.append((labels[label], (text_span(shown),)))

    add("ticket", case.ticket)
    add("agent", case.agent)
    add("user", case.user.name, ("user", "name"))
    add("upn", case.user.upn, ("user", "upn"))
    add("device", case.device.name, ("device", "name"))
    add("platform", case.device.platform, ("device", "platform"))
    add("os_version", case.device.os_version, ("device", "os_version"))
    add("serial", case.device.serial, ("device", "serial"))
    add("imei", case.device.imei, ("device", "imei"))
    rows.append((labels["started"], (text_span(format_time(case.started_at, tz)),)))
    ended = case.ended_at or case.walk_ended_at
    if ended is not None:
        rows.append((labels["ended"], (text_span(format_time(ended, tz)),)))
    rows.append((summary_label(lang, "outcome"), (text_span(redactor.text(case.outcome_line(lang))),)))
    flows = ", ".join(
        f"{flow_id} ({labels['version'].format(version=version)})"
        for flow_id, version in case.flow_versions().items()
    )
    rows.append((labels["flows"], (text_span(flows),)))
    return [Heading(2, labels["details"]), KeyValues(labels["field"], labels["value"], tuple(rows))]


def _summary(case: Case, lang: str, labels: Mapping[str, str], redactor: Redactor) -> list[Block]:
    summary = case.summary(lang)
    blocks: list[Block] = [Heading(2, labels["summary"], section="summary")]
    parts = [("checked", summary.checked), ("found", summary.found), ("done", summary.done)]
    if summary.not_done:
        parts.append(("not_done", summary.not_done))
    for key, items in parts:
        blocks.append(Heading(3, summary_label(lang, key)))
        shown = items or (summary_label(lang, "nothing"),)
        blocks.append(BulletList(tuple((text_span(redactor.text(item)),) for item in shown)))
    blocks.append(
        Paragraph(
            (
                bold_span(summary_label(lang, "outcome") + ": "),
                text_span(redactor.text(summary.outcome)),
            )
        )
    )
    if case.outcome is not None and case.outcome.value == "escalate":
        to, why = case.escalation(lang)
        rows = [(labels["escalated_to"], (text_span(redactor.text(to)),))]
        if why:
            rows.append((labels["reason"], (text_span(redactor.text(why)),)))
        blocks.append(KeyValues(labels["field"], labels["value"], tuple(rows)))
    return blocks


def _path(case: Case, lang: str, labels: Mapping[str, str], tz: dt.tzinfo) -> list[Block]:
    rows: list[tuple[Spans, ...]] = []
    last = len(case.visits) - 1
    for row in case.path_rows(lang):
        title = flow_spans(row.title)
        if row.current and row.index != last:
            title = (*title, text_span(" " + labels["current"]))
        if row.answer is not None:
            answer = flow_spans(row.answer)
        elif row.left_at is not None:
            answer = (text_span(labels["continued"]),)
        else:
            answer = ()
        if row.inferred:  # set apart: the agent did not give this answer
            marker = Span(SpanKind.EMPHASIS, labels[FILLED_LABELS[row.filled_by]])
            answer = (*answer, text_span(" "), marker) if answer else (marker,)
        time = row.entered_at.astimezone(tz).strftime("%H:%M:%S")
        rows.append(((text_span(str(row.index + 1)),), title, answer, (text_span(time),)))
    headers = ("#", labels["step"], labels["answer"], labels["time"])
    return [Heading(2, labels["path"]), PathTable(headers, tuple(rows))]


def _actions(case: Case, lang: str, labels: Mapping[str, str]) -> list[Block]:
    blocks: list[Block] = []
    for visit in case.visits:
        node = case.session.node_of(visit)
        if node.kind is not NodeKind.STEPS or not node.steps:
            continue
        items = []
        for number, step in enumerate(node.steps, 1):
            mark = "[x] " if number - 1 in visit.ticked else "[ ] "
            items.append((text_span(f"{mark}{number}. "), *flow_spans(step.text.get(lang))))
        blocks += [Heading(3, plain_text(clean_text(node.title.get(lang)))), BulletList(tuple(items))]
    return [Heading(2, labels["actions"]), *blocks] if blocks else []


def _screenshots(case: Case, lang: str) -> list[Block]:
    images: list[Block] = []
    seen: set[Path] = set()
    for visit in case.visits:
        flow = case.flowset.flow(visit.ref.flow)
        if flow.resource_root is None:
            continue
        root = flow.resource_root.resolve()
        for shot in case.session.node_of(visit).all_screenshots():
            path = screenshot_path(root, shot, lang)
            if path is None or path in seen:
                continue
            seen.add(path)
            images.append(read_image(path, shot, lang))
    return images


def screenshot_path(root: Path, shot: Screenshot, lang: str) -> Path | None:
    """The file of a screenshot in `lang` (else in English) inside the resolved `root`, when it exists
    and is of a type exports embed; an SVG only when it refers to nothing outside itself."""
    candidates = [(root / shot.image_for(code)).resolve() for code in (lang, "en")]
    path = next((p for p in candidates if p.is_relative_to(root) and p.is_file()), None)
    if path is None or path.suffix.lower() not in _IMAGE_TYPES:
        return None
    if path.suffix.lower() == ".svg" and not is_self_contained(path.read_bytes()):
        return None  # Qt would follow the reference and embed what it points at
    return path


def read_image(path: Path, shot: Screenshot, lang: str) -> Image:
    """The screenshot at `path` (from screenshot_path) as an image block, alt text and caption in `lang`."""
    mime = _IMAGE_TYPES[path.suffix.lower()]
    caption = clean_text(shot.caption.get(lang)) if shot.caption else ""
    data = path.read_bytes()
    return Image(data, mime, clean_text(shot.alt.get(lang)), caption, image_size(data, mime))


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.DOTALL)
_SVG_VIEWBOX = re.compile(rb"""viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)""")
_SVG_SIZE = re.compile(rb"""\b(width|height)\s*=\s*["']\s*([\d.]+)(?:px)?\s*["']""")


def image_size(data: bytes, mime: str) -> tuple[float, float] | None:
    """The intrinsic size of an SVG (viewBox, else width and height) or a PNG; None when unknown."""
    try:
        if mime == "image/png" and data[:8] == b"\x89PNG\r\n\x1a\n":
            return float(int.from_bytes(data[16:20], "big")), float(int.from_bytes(data[20:24], "big"))
        if mime == "image/svg+xml":
            tag = _SVG_TAG.search(data[:4096])
            if tag is None:
                return None
            box = _SVG_VIEWBOX.search(tag.group())
            if box:
                size = float(box.group(1)), float(box.group(2))
            else:
                found = {name.decode(): float(value) for name, value in _SVG_SIZE.findall(tag.group())}
                size = found.get("width", 0.0), found.get("height", 0.0)
            return size if size[0] > 0 and size[1] > 0 else None
    except ValueError:
        return None
    return None
