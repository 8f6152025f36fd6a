"""PDF (A4) from the intermediate document, through Qt: the HTML writer's output laid out by
QTextDocument and painted page by page onto a QPdfWriter, with the page number in a footer.

The only exporter that imports Qt, with handout_pdf.py (which lays out its pages through
`html_to_pdf` here). Both need a QGuiApplication; `ensure_gui_application()` makes an offscreen one for
the command line.

Copy-paste from the PDF gives the text that was laid out: Qt's PDF writer maps each embedded glyph back
to its character (the font's ToUnicode table), but only for characters of the Basic Multilingual Plane,
and a character that no installed font has is drawn as the font's blank box, mapped to U+0000. So before
layout, every character that would be read back as a control character (one outside the BMP, such as an
emoji, a lone surrogate, or one no font can draw) is written as a visible placeholder naming it,
`[U+1F642]` (`pdf_text`); joiners and variation selectors around it go with it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextCursor,
    QTextDocument,
    QTextLayout,
    QTextOption,
)

from wizard.core.limits import LONG_RUN, LONG_RUN_PATTERN
from wizard.export.document import Document
from wizard.export.html import to_html

RESOLUTION = 96  # layout in CSS pixels; text and lines stay vectors in the PDF
MARGINS_MM = QMarginsF(18, 16, 18, 14)
FOOTER_HEIGHT = 28  # pixels at RESOLUTION, taken from the bottom of each page's text area
BASE_POINT_SIZE = 10
LINE_SEPARATOR = "\u2028"  # a line break inside a paragraph, as <br> makes it; it copies out as one


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen when there is no display)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([sys.argv[0] if sys.argv else "troubleshooting-wizard"])


# Characters Qt's writer maps back to text without a font check: ASCII and Latin-1 (every text font has
# them). Anything else is looked up once per font family (`_has_text_mapping`).
_NOT_LATIN1 = re.compile("[^\x00-\xff]")
_JOINERS = "[\u200d\ufe0e\ufe0f]*"  # zero-width joiner and variation selectors around a replaced character
_mapped_characters: dict[tuple[str, str], bool] = {}


def placeholder(character: str) -> str:
    """What the PDF shows for a character it cannot carry as text: `[U+1F642]`."""
    return f"[U+{ord(character):04X}]"


def pdf_text(text: str, font: QFont) -> str:
    """`text` with every character that the PDF would read back as a control character written as its
    placeholder (see the module's description); `font` is the one the text is laid out in, whose
    fallbacks decide which characters can be drawn."""
    if text.isascii():
        return text
    unmapped = sorted(c for c in set(_NOT_LATIN1.findall(text)) if not _has_text_mapping(c, font))
    if not unmapped:
        return text
    pattern = re.compile(f"{_JOINERS}([{''.join(map(re.escape, unmapped))}]){_JOINERS}")
    return pattern.sub(lambda match: placeholder(match.group(1)), text)


def _has_text_mapping(character: str, font: QFont) -> bool:
    """Whether Qt draws `character` with a glyph that its PDF writer maps back to the character."""
    code = ord(character)
    if code > 0xFFFF or 0xD800 <= code <= 0xDFFF:
        return False  # Qt's ToUnicode covers the BMP only; a lone surrogate is no character
    key = (font.family(), character)
    if key not in _mapped_characters:
        layout = QTextLayout(character, font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        # Glyph 0 is the font's blank box: no font, fallbacks included, has the character.
        _mapped_characters[key] = all(0 not in run.glyphIndexes() for run in layout.glyphRuns())
    return _mapped_characters[key]


def to_pdf(document: Document) -> bytes:
    """The document as PDF bytes: A4, its headings and tables, a footer with the case id and page
    number on every page."""
    return html_to_pdf(to_html(document), document.title, document.case_id, document.page_label)


def a4_writer(buffer: QBuffer, title: str) -> QPdfWriter:
    """The one page set-up of our PDFs (cases and handouts): A4 portrait, our margins and resolution."""
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Troubleshooting Wizard")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def html_to_pdf(
    html: str,
    title: str,
    footer: str,
    page_label: Callable[[int, int], str],
    prepare: Callable[[QTextDocument, float], None] | None = None,
) -> bytes:
    """HTML laid out on A4 pages as PDF bytes, `footer` at the left and `page_label(page, pages)` at
    the right of every page's foot.

    `prepare(text, page_height)` may change the laid-out document before it is painted (the handout
    fills in its page references there); `page_height` is the height of one page of `text`.
    """
    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError("PDF export needs a QGuiApplication; call ensure_gui_application() first")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = a4_writer(buffer, title)

    text = QTextDocument()
    font = QFont(text.defaultFont())
    font.setPointSize(BASE_POINT_SIZE)
    text.setDefaultFont(font)
    text.setHtml(pdf_text(html, font))
    width, height = float(writer.width()), float(writer.height())
    body_height = height - FOOTER_HEIGHT
    break_long_runs(text, width, writer)  # before the document has a layout: it is laid out once
    text.documentLayout().setPaintDevice(writer)
    text.setPageSize(QSizeF(width, body_height))
    if prepare is not None:
        prepare(text, body_height)
    pages = text.pageCount()

    painter = QPainter(writer)
    footer_font = QFont(font)
    footer_font.setPointSize(BASE_POINT_SIZE - 2)
    footer = pdf_text(footer, footer_font)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body_height)
            text.drawContents(painter, QRectF(0, page * body_height, width, body_height))
            painter.restore()
            painter.setFont(footer_font)
            footer_rect = QRectF(0, height - FOOTER_HEIGHT + 8, width, FOOTER_HEIGHT - 8)
            painter.drawText(footer_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, footer)
            painter.drawText(
                footer_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                pdf_text(page_label(page + 1, pages), footer_font),
            )
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def break_long_runs(text: QTextDocument, page_width: float, device: QPaintDevice) -> None:
    """Lay out every run of LONG_RUN or more characters without a space in time linear in its length.

    The run starts a line of its own and is cut where a layout that wraps anywhere cuts it (a
    QTextLayout of the run alone, same font, same width), with line separators there: each line of
    the run is full, and the text copied out of the PDF is the note with a line break at each line's
    end, as it was when Qt wrapped the run itself, but Qt no longer searches the rest of the run for
    a word end on every line. Called before the document has a layout (documentLayout() makes one):
    each change would lay it all out again.
    """
    cursor = QTextCursor(text)
    cursor.beginEditBlock()  # inside an edit block a cursor that moves does not lay its block out
    block = text.begin()
    while block.isValid():
        content = block.text()
        runs = list(LONG_RUN_PATTERN.finditer(content)) if len(content) >= LONG_RUN else []
        if runs and QTextCursor(block).currentTable() is None:  # notes are paragraphs, not cells
            block_format = block.blockFormat()
            width = (
                page_width
                - 2 * text.documentMargin()
                - block_format.leftMargin()
                - block_format.rightMargin()
                - block_format.textIndent()
            )
            offsets = _utf16_offsets(content)
            for run in reversed(runs):  # from the end, so earlier positions stay valid
                start, end = block.position() + offsets(run.start()), block.position() + offsets(run.end())
                cursor.setPosition(start + 1)
                char_format = cursor.charFormat()  # the format of the run's first character
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                font = char_format.font().resolve(text.defaultFont())  # as the layout resolves it
                lines = _wrapped_anywhere(run.group(), font, width, device)
                own_line = run.start() == 0 or content[run.start() - 1] == LINE_SEPARATOR
                cursor.insertText(
                    ("" if own_line else LINE_SEPARATOR) + LINE_SEPARATOR.join(lines), char_format
                )
        block = block.next()
    cursor.endEditBlock()


def _utf16_offsets(content: str) -> Callable[[int], int]:
    """Qt counts positions in UTF-16 code units, Python in code points: a character above U+FFFF is two."""
    if content.isascii() or all(ord(char) < 0x10000 for char in content):
        return lambda index: index
    return lambda index: len(content[:index].encode("utf-16-le")) // 2


def _wrapped_anywhere(run: str, font: QFont, width: float, device: QPaintDevice) -> list[str]:
    """The run cut where a layout that may wrap anywhere cuts it, `width` pixels a line."""
    layout = QTextLayout(run, font, device)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAnywhere)
    layout.setTextOption(option)
    starts = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width - 1, 1))  # a hair narrower: rounding never wraps a line twice
        starts.append(line.textStart())
    layout.endLayout()
    cuts = _code_points(run, [*starts, len(run.encode("utf-16-le")) // 2])
    return [run[begin:end] for begin, end in pairwise(cuts)]


def _code_points(run: str, units: list[int]) -> list[int]:
    """UTF-16 offsets into `run` as indexes of its characters."""
    if all(ord(char) < 0x10000 for char in run):
        return units
    index_at: dict[int, int] = {}
    unit = 0
    for index, char in enumerate(run):
        index_at[unit] = index
        unit += 2 if ord(char) >= 0x10000 else 1
    index_at[unit] = len(run)
    return [index_at.get(offset, len(run)) for offset in units]
