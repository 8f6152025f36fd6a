"""Rendering never follows an SVG's external reference, even when the file changed after validation:
the handout and the case PDF leave such a screenshot out instead of embedding the private file."""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from wizard.core.case import Case
from wizard.core.library import load_library
from wizard.core.model import FlowSet
from wizard.export import export_case
from wizard.export.handout import build_handout
from wizard.export.handout_html import to_handout_html
from wizard.export.handout_pdf import to_handout_pdf

DATA = Path(__file__).resolve().parents[1] / "data"
PRIVATE_COLOUR = "#13ab37"


def png_bytes() -> bytes:
    image = QImage(24, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(PRIVATE_COLOUR))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def shot_svg(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="24" height="24" viewBox="0 0 24 24"><image xlink:href="{href}" width="24" height="24"/></svg>'
    )


def pdf_images(pdf: bytes) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pack(tmp_path: Path, qapp: QApplication) -> tuple[FlowSet, Path, bytes]:
    """The test pack loaded while its screenshots were clean: (flows, screenshots folder, private PNG)."""
    shutil.copytree(DATA / "pack", tmp_path / "pack")
    library = load_library([tmp_path / "pack" / "flows"])
    assert not library.errors
    private = png_bytes()
    (tmp_path / "private.png").write_bytes(private)
    return library.flowset, tmp_path / "pack" / "resources" / "screenshots", private


def swap_screenshots(folder: Path, href: str) -> None:
    """What an edit after validation (or a pack never validated) would put there."""
    for lang in ("en", "sv"):
        (folder / f"phone.{lang}.svg").write_text(shot_svg(href), encoding="utf-8")


@pytest.mark.parametrize("style", ["path", "file-url", "relative"])
def test_the_handout_pdf_does_not_embed_a_referenced_private_file(
    pack: tuple[FlowSet, Path, bytes], style: str
) -> None:
    flowset, folder, private = pack
    target = folder.parents[2] / "private.png"
    href = {"path": str(target), "file-url": target.as_uri(), "relative": "../../../private.png"}[style]
    swap_screenshots(folder, href)
    pdf = to_handout_pdf(build_handout(flowset, "demo", "en"))
    assert pdf_images(pdf) == 0
    assert private not in pdf
    html = to_handout_html(build_handout(flowset, "demo", "en"))
    assert "(picture missing)" in html and str(target) not in html and "private.png" not in html


def test_a_self_contained_screenshot_is_still_embedded(pack: tuple[FlowSet, Path, bytes]) -> None:
    """The check above can fail: the same picture held in the SVG as a data: URI is embedded."""
    flowset, folder, private = pack
    swap_screenshots(folder, "data:image/png;base64," + base64.b64encode(private).decode())
    assert pdf_images(to_handout_pdf(build_handout(flowset, "demo", "en"))) >= 1


def test_the_case_pdf_with_screenshots_leaves_it_out(
    pack: tuple[FlowSet, Path, bytes], make_case: Callable[..., Case]
) -> None:
    flowset, folder, private = pack
    case = make_case(flowset)
    case.session.choose(0)  # Android: the step with the screenshot
    swap_screenshots(folder, "data:image/png;base64," + base64.b64encode(private).decode())
    assert pdf_images(export_case(case, "pdf", "en", screenshots=True)) >= 1
    swap_screenshots(folder, str(folder.parents[2] / "private.png"))
    pdf = export_case(case, "pdf", "en", screenshots=True)
    assert pdf_images(pdf) == 0 and private not in pdf
    html = export_case(case, "html", "en", screenshots=True).decode("utf-8")
    assert "private.png" not in html
