"""PDF through Qt: A4 pages, headings, page numbers and notes, read back with pypdf."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from PySide6.QtWidgets import QApplication

from wizard.core.case import Case
from wizard.export import export_case, write_export

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


def test_hostile_pdf(qapp: QApplication, hostile_case: Case, hostile_visible: list[str]) -> None:
    _, pages = read(export_case(hostile_case, "pdf", "en"))
    assert len(pages) > 20  # two notes of 100,000 characters each, laid out whole
    text = " ".join(pages)
    assert "<script>alert('x')</script>" in text and "[click](javascript:alert(1))" in text
    # (pypdf reads the emoji, for which the test machine has no font, as NUL: not ours to check)
    assert not re.search("[\x01-\x08\x0b-\x1f\u202e]", text)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_write_export_is_atomic_and_readable(qapp: QApplication, fixed_case: Case, tmp_path) -> None:
    target = tmp_path / "case.pdf"
    write_export(target, fixed_case, "pdf", "en")
    assert target.read_bytes().startswith(b"%PDF-") and [p.name for p in tmp_path.iterdir()] == ["case.pdf"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_unknown_format(fixed_case: Case) -> None:
    with pytest.raises(ValueError, match="unknown export format 'docx'"):
        export_case(fixed_case, "docx")
