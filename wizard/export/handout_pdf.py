"""A handout as PDF (A4, page numbers in the footer) through Qt, with "page N" for every reference.

The paper HTML (handout_html.handout_paper_html) is laid out by QTextDocument and painted by
pdf.html_to_pdf, like a case. Page references need the layout itself, so they are filled in between
laying out and painting (`fill_page_references`):

1. The HTML is written with a placeholder ("00") as the page of every reference, each placeholder the
   only text of an internal link `<a href="#node-…">`, and laid out with the page size set.
2. Each node heading carries its anchor name (its `id`); the page of the heading's first line is its
   top in the document (documentLayout().blockBoundingRect plus the line's offset) divided by the page
   height.
3. A node heading whose next lines would start on the following page gets a page break before it, so
   a heading never stands alone at the foot of a page (this moves later headings, so it comes first).
4. Every placeholder is replaced in place (a QTextCursor over the link's fragment, keeping its
   format), which lays out again only from there on. A number of another width can move text, so
   steps 2 to 4 repeat until no page changes (once more at most, in practice).

Internal links are then made plain text: a PDF viewer would take "#node-…" for a web address.

A handout of more than LARGE_HANDOUT_NODES nodes is laid out a few pages at a time instead
(`_large_handout_pdf`): in one QTextDocument every page break inserted lays out everything after it
again, and painting a page walks all blocks before it, so time grew with the square of the flow's size
(a 32,000-node flow took minutes). Its paper HTML comes in pieces (handout_html.handout_paper_pieces),
and each chunk of pieces is its own document that starts on a new page. A chunk ends where the next
piece starts a page anyway: before a node heading that would stand alone at a page's foot (the page
break the small path inserts), else before the last piece that begins a page; only when no piece
does (a node longer than a chunk) does a chunk end with a page break of its own. Page references are
then filled in chunk by chunk, as above.

QTextDocument lays out lazily: what is not asked for yet is left to a timer, which never runs
without an event loop, and an edit made meanwhile leaves the blocks after it without lines (they are
then not painted at all). So the layout is finished (`pageCount()`) before the first edit and after
every one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from wizard.export.handout import Handout
from wizard.export.handout_html import CSS, PaperPiece, handout_paper_html, handout_paper_pieces
from wizard.export.html import html_page
from wizard.export.pdf import BASE_POINT_SIZE, FOOTER_HEIGHT, a4_writer, html_to_pdf, pdf_text

PLACEHOLDER = "00"  # two digits: as wide as most handouts' page numbers, so the layout seldom moves
MAX_PASSES = 5
LARGE_HANDOUT_NODES = 300  # above this many nodes, the handout is laid out in chunks
CHUNK_CHARACTERS = 20_000  # of paper HTML per chunk: a few pages
MAX_CHUNK_GROWTH = 2  # a chunk with no piece beginning a page is laid out again up to 4 times as large
IMAGE_WEIGHT = 1500  # characters of paper HTML that a screenshot's place on a page is counted as


def to_handout_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes; needs a QGuiApplication (pdf.ensure_gui_application)."""
    if sum(len(part.nodes) for part in handout.parts) > LARGE_HANDOUT_NODES:
        return _large_handout_pdf(handout)
    html = handout_paper_html(handout, lambda anchor: PLACEHOLDER)
    footer = handout.parts[0].title
    return html_to_pdf(html, handout.title, footer, handout.page_label, fill_page_references)


def fill_page_references(text: QTextDocument, page_height: float) -> None:
    """Replace the page placeholders of `text` (laid out in pages of `page_height`) by the pages of
    the anchors they link to; see the module's description."""
    text.pageCount()  # finishes the layout
    anchored = _anchored_blocks(text)
    _drop_anchor_names(text, anchored)
    headings = [(block, name) for block, name in anchored if name.startswith("node-")]
    anchor_pages: dict[str, int] = {}
    for _ in range(MAX_PASSES):
        keep_headings_with_text(headings, page_height)
        found = {name: line_page(block, page_height) + 1 for block, name in headings}
        if found == anchor_pages:
            break
        anchor_pages = found
        _replace_references(text, anchor_pages)
    _unlink_references(text)


def line_page(block: QTextBlock, page_height: float, *, last: bool = False) -> int:
    """The page (0-based) on which the first (or last) line of a laid-out block is."""
    layout = block.layout()
    top = block.document().documentLayout().blockBoundingRect(block).top()  # where the layout is
    if layout.lineCount():  # lines are placed relative to it (pagination may push one down)
        top += layout.lineAt(layout.lineCount() - 1 if last else 0).y()
    return int(top // page_height)


def _anchors_of(block: QTextBlock) -> list[str]:
    names: list[str] = []
    iterator = block.begin()
    while not iterator.atEnd():
        names += iterator.fragment().charFormat().anchorNames()
        iterator += 1
    return names


def _anchored_blocks(text: QTextDocument) -> list[tuple[QTextBlock, str]]:
    """The blocks that hold an anchor name (an `id` in the HTML), with the name."""
    found = []
    block = text.begin()
    while block.isValid():
        found += [(block, name) for name in _anchors_of(block)]
        block = block.next()
    return found


def _drop_anchor_names(text: QTextDocument, anchored: list[tuple[QTextBlock, str]]) -> None:
    """Give the first letter of each anchored block (which carried the anchor name) the format of the
    rest: else it is drawn apart, and a reader copying "What" from the PDF gets "W hat"."""
    cursor = QTextCursor(text)
    cursor.beginEditBlock()
    for block, _ in anchored:
        fragment = block.begin().fragment()
        plain = fragment.charFormat()
        plain.clearProperty(QTextFormat.Property.IsAnchor)
        plain.clearProperty(QTextFormat.Property.AnchorName)
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(plain)
    cursor.endEditBlock()
    text.pageCount()


def keep_headings_with_text(headings: list[tuple[QTextBlock, str]], page_height: float) -> None:
    """Put a page break before each node heading whose following lines start on another page
    (unless the heading already opens its page).

    The headings are taken in order and each decision is made on the layout as the earlier breaks
    left it (asking a block's position lays out the document up to there)."""
    always_before = QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore
    for block, _ in headings:
        after = block.next().next()  # the kind line, then the first of the node's text
        before = block.previous()
        if (
            not after.isValid()
            or not before.isValid()
            or block.blockFormat().pageBreakPolicy() & always_before
        ):
            continue
        page = line_page(block, page_height)
        if line_page(after, page_height) != page and line_page(before, page_height, last=True) == page:
            breaking = QTextBlockFormat()
            breaking.setPageBreakPolicy(always_before)
            QTextCursor(block).mergeBlockFormat(breaking)
            block.document().pageCount()


def _references(text: QTextDocument) -> list[tuple[int, int, str, QTextCharFormat]]:
    """(position, length, anchor, format) of every internal link: in the paper HTML, only the page
    placeholders (and page numbers once filled in) link inside the document."""
    found = []
    block = text.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            char_format = fragment.charFormat()
            href = char_format.anchorHref()
            if char_format.isAnchor() and href.startswith("#"):
                found.append((fragment.position(), fragment.length(), href[1:], char_format))
            iterator += 1
        block = block.next()
    return found


def _replace_references(text: QTextDocument, anchor_pages: dict[str, int]) -> None:
    cursor = QTextCursor(text)
    cursor.beginEditBlock()
    for position, length, anchor, char_format in reversed(_references(text)):
        page = str(anchor_pages.get(anchor, "?"))
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != page:
            cursor.insertText(page, char_format)
    cursor.endEditBlock()
    text.pageCount()


def _unlink_references(text: QTextDocument) -> None:
    cursor = QTextCursor(text)
    cursor.beginEditBlock()
    for position, length, _, _ in _references(text):
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        plain = QTextCharFormat()
        plain.setAnchor(False)
        plain.setAnchorHref("")
        cursor.mergeCharFormat(plain)
    cursor.endEditBlock()
    text.pageCount()


# ------------------------------------------------------------------ large handouts


@dataclass
class _Chunk:
    text: QTextDocument
    headings: list[tuple[QTextBlock, str]]  # node headings with their anchors
    anchors: list[tuple[QTextBlock, str]]  # every anchored block (headings, parts, contents lines)
    references: list[tuple[int, int, str, QTextCharFormat]]  # as _references gives them
    first_page: int = 0  # in the whole handout, 0-based
    filled: bool = False


def _fill_chunk(chunk: _Chunk, anchor_pages: dict[str, int]) -> None:
    """Write the pages of `anchor_pages` into the chunk's references, in one edit (one layout).

    The references are written as plain text at once, so they are found by the positions kept
    from the first time rather than by their links. The first time, the anchor names go too (see
    `_drop_anchor_names`), in the same edit.
    """
    text = chunk.text
    cursor = QTextCursor(text)
    cursor.beginEditBlock()
    if not chunk.filled:
        for block, _ in chunk.anchors:
            fragment = block.begin().fragment()
            plain = fragment.charFormat()
            plain.clearProperty(QTextFormat.Property.IsAnchor)
            plain.clearProperty(QTextFormat.Property.AnchorName)
            cursor.setPosition(fragment.position())
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(plain)
    pages = [str(anchor_pages.get(anchor, "?")) for _, _, anchor, _ in chunk.references]
    for (position, length, _, char_format), page in zip(
        reversed(chunk.references), reversed(pages), strict=True
    ):
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if not chunk.filled or cursor.selectedText() != page:
            plain = QTextCharFormat(char_format)
            plain.setAnchor(False)
            plain.setAnchorHref("")
            cursor.insertText(page, plain)
    cursor.endEditBlock()
    shift = 0
    moved = []
    for (position, length, anchor, char_format), page in zip(chunk.references, pages, strict=True):
        moved.append((position + shift, len(page), anchor, char_format))
        shift += len(page) - length
    chunk.references = moved
    chunk.filled = True
    text.pageCount()


def _large_handout_pdf(handout: Handout) -> bytes:
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError("PDF export needs a QGuiApplication; call ensure_gui_application() first")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = a4_writer(buffer, handout.title)
    font = QFont(QTextDocument().defaultFont())
    font.setPointSize(BASE_POINT_SIZE)
    width, height = float(writer.width()), float(writer.height())
    body_height = height - FOOTER_HEIGHT

    def lay_out(pieces: list[PaperPiece]) -> QTextDocument:
        text = QTextDocument()
        text.documentLayout().setPaintDevice(writer)
        text.setDefaultFont(font)
        body = "\n".join(piece.html for piece in pieces)
        text.setHtml(pdf_text(html_page(handout.lang, handout.title, CSS, body), font))
        text.setPageSize(QSizeF(width, body_height))
        text.pageCount()
        return text

    # Page numbers are not known yet: a placeholder as wide as those of a handout this size.
    placeholder = "0" * len(str(sum(len(part.nodes) for part in handout.parts)))
    chunks = _chunks(handout_paper_pieces(handout, lambda anchor: placeholder), lay_out, body_height)
    anchor_pages: dict[str, int] = {}
    for _ in range(MAX_PASSES):
        for chunk in chunks:
            keep_headings_with_text(chunk.headings, body_height)
        page = 0
        for chunk in chunks:
            chunk.first_page = page
            page += chunk.text.pageCount()
        found = {
            name: chunk.first_page + line_page(block, body_height) + 1
            for chunk in chunks
            for block, name in chunk.anchors
        }
        if found == anchor_pages:
            break
        anchor_pages = found
        for chunk in chunks:
            _fill_chunk(chunk, anchor_pages)
    pages = sum(chunk.text.pageCount() for chunk in chunks)

    painter = QPainter(writer)
    footer_font = QFont(font)
    footer_font.setPointSize(BASE_POINT_SIZE - 2)
    footer = pdf_text(handout.parts[0].title, footer_font)
    footer_rect = QRectF(0, height - FOOTER_HEIGHT + 8, width, FOOTER_HEIGHT - 8)
    try:
        for chunk in chunks:
            for page in range(chunk.text.pageCount()):
                number = chunk.first_page + page
                if number:
                    writer.newPage()
                painter.save()
                painter.translate(0, -page * body_height)
                chunk.text.drawContents(painter, QRectF(0, page * body_height, width, body_height))
                painter.restore()
                painter.setFont(footer_font)
                painter.drawText(
                    footer_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, footer
                )
                painter.drawText(
                    footer_rect,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                    pdf_text(handout.page_label(number + 1, pages), footer_font),
                )
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _chunks(
    pieces: list[PaperPiece], lay_out: Callable[[list[PaperPiece]], QTextDocument], page_height: float
) -> list[_Chunk]:
    """The pieces laid out as documents of a few pages each, every one starting on a new page where
    the whole would have started one (see the module's description)."""
    chunks: list[_Chunk] = []
    start = 0
    while start < len(pieces):
        for grown in range(MAX_CHUNK_GROWTH + 1):  # a chunk in which no piece begins a page grows
            end, size = start, 0
            while end < len(pieces) and (end == start or size < CHUNK_CHARACTERS << grown):
                size += _weight(pieces[end])
                end += 1
            text = lay_out(pieces[start:end])
            anchored = _anchored_blocks(text)
            headings = [(block, name) for block, name in anchored if name.startswith("node-")]
            keep_headings_with_text(headings, page_height)
            first_blocks = {name: block for block, name in anchored}
            cut = (
                _last_starting_a_page(pieces, start, end, first_blocks, page_height)
                if end < len(pieces)
                else end
            )
            if cut is not None:
                break
        if cut is None:
            cut = end  # the next chunk starts on a page of its own
        if cut < end:  # the rest is laid out again at the top of the next chunk
            cursor = QTextCursor(text)
            cursor.setPosition(first_blocks[pieces[cut].anchor].position() - 1)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            text.pageCount()
            kept = {piece.anchor for piece in pieces[start:cut]}
            anchored = [(block, name) for block, name in anchored if name in kept]
            headings = [(block, name) for block, name in headings if name in kept]
        chunks.append(_Chunk(text, headings, anchored, _references(text)))
        start = cut
    return chunks


_EMBEDDED_IMAGE = re.compile(r"base64,[A-Za-z0-9+/=]*")


def _weight(piece: PaperPiece) -> int:
    """About how much of a page a piece takes, in characters of text: an embedded screenshot counts
    as the text of a third of a page, not as the length of its data."""
    if "base64," not in piece.html:
        return len(piece.html)
    images = _EMBEDDED_IMAGE.findall(piece.html)
    return len(piece.html) - sum(map(len, images)) + IMAGE_WEIGHT * len(images)


def _last_starting_a_page(
    pieces: list[PaperPiece], start: int, end: int, first_blocks: dict[str, QTextBlock], page_height: float
) -> int | None:
    """The last of pieces[start + 1:end] that begins a page in its laid-out chunk (after a page break
    or because the piece before it filled the page), if any."""
    for index in range(end - 1, start, -1):
        block = first_blocks.get(pieces[index].anchor)
        if block is None:
            continue
        before = block.previous()
        if before.isValid() and line_page(before, page_height, last=True) != line_page(block, page_height):
            return index
    return None
