"""PDF through Qt: A4 pages, headings, page numbers and notes, read back with pypdf."""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf
import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from wizard.core.case import Case
from wizard.export import export_case, write_export
from wizard.export.pdf import ensure_gui_application, html_to_pdf, pdf_text

A4_POINTS = (595, 842)


def read(pdf: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # pypdf separates words of Qt's PDFs with tabs or newlines; compare with single spaces.
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_has_headings_page_numbers_and_notes(qapp: QApplication, fixed_case: Case) -> None:
    reader, pages = read(export_case(fixed_case, "pdf", "en"))
    assert all(tuple(round(v) for v in page.mediabox.upper_right) == A4_POINTS for page in reader.pages)
    text = " ".join(pages)
    for heading in ["Case TW-20261126-0930-QHT", "Case details", "Summary", "Path", "Actions", "Notes"]:
        assert heading in text
    assert "Anna restarted Company Portal twice; serial R58M12AB checked in Intune." in text
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {total}" in page and fixed_case.id in page
    assert reader.metadata is not None and reader.metadata.title == f"Case {fixed_case.id}"


def test_swedish_redacted_pdf_with_screenshots(qapp: QApplication, fixed_case: Case) -> None:
    plain = export_case(fixed_case, "pdf", "sv", redact=True)
    with_shots = export_case(fixed_case, "pdf", "sv", redact=True, screenshots=True)
    _, pages = read(with_shots)
    text = " ".join(pages)
    assert "Sammanfattning" in text and "Anteckningar" in text and "Skärmbilder" in text
    assert f"Sida 1 av {len(pages)}" in pages[0]
    assert "[borttaget] restarted Company Portal twice" in text
    assert "Anna" not in text and "R58M12AB" not in text
    assert b"/Subtype /Image" in with_shots and b"/Subtype /Image" not in plain


PLACEHOLDER = re.compile(r"\[U\+([0-9A-F]{4,6})\]")


def assert_text_layer_is(text: str, source: str) -> None:
    """Every character read back from the PDF is one of `source`'s, or a placeholder naming one of
    them; never a control character (what a glyph without a text mapping reads as)."""
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", text)
    for match in PLACEHOLDER.finditer(text):
        assert chr(int(match.group(1), 16)) in source, match.group()
    # Ligatures (fi, ffl) read back as their presentation forms; NFKC turns them into letters again.
    unknown = set(unicodedata.normalize("NFKC", PLACEHOLDER.sub("", text))) - set(source) - {" "}
    assert not unknown


def test_hostile_pdf(qapp: QApplication, hostile_case: Case, hostile_visible: list[str]) -> None:
    _, pages = read(export_case(hostile_case, "pdf", "en"))
    assert len(pages) > 20  # two notes of 100,000 characters each, laid out whole
    text = " ".join(pages)
    assert "<script>alert('x')</script>" in text and "[click](javascript:alert(1))" in text
    # Emoji are outside the BMP, which is all Qt's PDF writer can map back to text: with or without an
    # emoji font, the PDF says which characters they were.
    assert "emoji [U+1F642][U+1F469][U+1F4BB]" in text
    # What the PDF may show: the case's text and labels, as the HTML export (the PDF's source) has them.
    source = (
        export_case(hostile_case, "html", "en").decode() + export_case(hostile_case, "txt", "en").decode()
    )
    assert_text_layer_is(text, source)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_characters_without_a_text_mapping_become_placeholders(qapp: QApplication) -> None:
    ensure_gui_application()
    source = "Kö 漢 \uffff 𝐀 \ud800 ✓ 👍🏽 ❤\ufe0f end"
    pdf = html_to_pdf(f"<p>{source}</p>", "Title", "foot 🙂", lambda page, pages: f"{page}/{pages}")
    _, pages = read(pdf)
    # U+FFFF is no character (no font has it), 𝐀 and the emoji are outside the BMP, U+D800 is half a pair.
    assert "[U+FFFF] [U+1D400] [U+D800]" in pages[0]
    assert "[U+1F44D][U+1F3FD]" in pages[0] and "foot [U+1F642]" in pages[0]
    assert_text_layer_is(pages[0], source + "foot 🙂 1/1")
    assert pdf_text("plain Åsa", QFont()) == "plain Åsa"


def test_write_export_is_atomic_and_readable(qapp: QApplication, fixed_case: Case, tmp_path) -> None:
    target = tmp_path / "case.pdf"
    write_export(target, fixed_case, "pdf", "en")
    assert target.read_bytes().startswith(b"%PDF-") and [p.name for p in tmp_path.iterdir()] == ["case.pdf"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_unknown_format(fixed_case: Case) -> None:
    with pytest.raises(ValueError, match="unknown export format 'docx'"):
        export_case(fixed_case, "docx")
