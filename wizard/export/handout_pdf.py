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

QTextDocument lays out lazily: what is not asked for yet is left to a timer, which never runs
without an event loop, and an edit made meanwhile leaves the blocks after it without lines (they are
then not painted at all). So the layout is finished (`pageCount()`) before the first edit and after
every one.
"""

from __future__ import annotations

from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from wizard.export.handout import Handout
from wizard.export.handout_html import handout_paper_html
from wizard.export.pdf import html_to_pdf

PLACEHOLDER = "00"  # two digits: as wide as most handouts' page numbers, so the layout seldom moves
MAX_PASSES = 5


def to_handout_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes; needs a QGuiApplication (pdf.ensure_gui_application)."""
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
