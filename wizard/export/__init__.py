"""Exports of a case: one intermediate document (document.py), a small writer per format.

`export_case` gives the bytes of any format; `write_export` writes them atomically. Only PDF needs Qt,
and only pdf.py imports it, when a PDF is asked for (and handout_pdf.py, for the PDF of a handout:
handout.py makes a whole flow one document for training).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wizard.core.case import Case
from wizard.core.files import write_output
from wizard.export.document import EXPORT_LANGUAGES, Document, build_document
from wizard.export.html import to_html
from wizard.export.json_case import to_json_text
from wizard.export.markdown import to_markdown
from wizard.export.text import to_text

FORMATS = ("md", "html", "pdf", "txt", "json")
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
    """Export to `path` as command-line tools write (wizard.core.files.write_output): a file is replaced
    atomically and keeps its permissions, a pipe or device is written through, a link is followed.

    Raises OutputRefused (an OSError) for a folder or a missing folder, OSError when writing fails.
    """
    write_output(path, export_case(case, fmt, lang, redact=redact, screenshots=screenshots, tz=tz))
