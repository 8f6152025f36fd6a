"""Exports of a case: one intermediate document (document.py), a small writer per format.

`export_case` gives the bytes of any format; `write_export` writes them atomically. Only PDF needs Qt,
and only pdf.py imports it, when a PDF is asked for (and handout_pdf.py, for the PDF of a handout:
handout.py makes a whole flow one document for training).
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from wizard.core.case import Case
from wizard.export.document import EXPORT_LANGUAGES, Document, build_document
from wizard.export.html import to_html
from wizard.export.json_case import to_json_text
from wizard.export.markdown import to_markdown
from wizard.export.text import to_text
from wizard.store.settings import write_atomically

FORMATS = ("md", "html", "pdf", "txt", "json")
EXPORT_MODE = 0o644  # an export is for sharing: readable like any document the user saves
SUFFIXES = {"md": ".md", "html": ".html", "pdf": ".pdf", "txt": ".txt", "json": ".json"}

__all__ = [
    "EXPORT_LANGUAGES",
    "FORMATS",
    "SUFFIXES",
    "Document",
    "build_document",
    "export_case",
    "write_export",
]


def export_case(
    case: Case,
    fmt: str,
    lang: str = "en",
    *,
    redact: bool = False,
    screenshots: bool = False,
    tz: dt.tzinfo = dt.UTC,
) -> bytes:
    """The case in format `fmt` (md, html, pdf, txt, json) and content language `lang`.

    Screenshots are embedded in HTML and PDF only. PDF needs a QGuiApplication (see
    wizard.export.pdf.ensure_gui_application).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt == "json":
        return to_json_text(case, redact=redact, lang=lang).encode("utf-8")
    document = build_document(
        case, lang, redact=redact, screenshots=screenshots and fmt in ("html", "pdf"), tz=tz
    )
    if fmt == "pdf":
        from wizard.export.pdf import to_pdf

        return to_pdf(document)
    writer = {"md": to_markdown, "html": to_html, "txt": to_text}[fmt]
    return writer(document).encode("utf-8")


def write_export(
    path: Path,
    case: Case,
    fmt: str,
    lang: str = "en",
    *,
    redact: bool = False,
    screenshots: bool = False,
    tz: dt.tzinfo = dt.UTC,
) -> None:
    """Export to `path` atomically: a reader never sees half a file, a failure leaves the old one."""
    data = export_case(case, fmt, lang, redact=redact, screenshots=screenshots, tz=tz)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)  # replacing a file keeps its permissions
    except OSError:
        mode = EXPORT_MODE
    write_atomically(path, data, mode)
