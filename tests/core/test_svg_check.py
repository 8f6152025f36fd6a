"""SVG screenshots that refer outside themselves: found by kind and line, refused by `validate` with
`file:line:column: message`; only #fragments, data: URIs and paths inside the pack pass."""

from __future__ import annotations

import base64
import gzip
import shutil
import sys
from pathlib import Path

import pytest

from wizard import cli
from wizard.core.library import load_library
from wizard.core.svg_check import RefKind, external_references, is_self_contained

DATA = Path(__file__).resolve().parents[1] / "data"
HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">\n'
PIXEL = base64.b64encode(bytes.fromhex("89504e470d0a1a0a")).decode()
CLEAN_SVG = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/></svg>').decode()

REFUSED = {
    "xlink-absolute": (
        '<image xlink:href="/home/agent/private.png" width="9" height="9"/>',
        RefKind.ABSOLUTE,
    ),
    "href-absolute": ('<image href="/etc/passwd"/>', RefKind.ABSOLUTE),
    "windows-drive": ('<image href="C:\\Users\\agent\\private.png"/>', RefKind.ABSOLUTE),
    "file-url": ('<image xlink:href="file:///home/agent/private.png"/>', RefKind.FILE_URL),
    "file-url-spaced": ('<image href=" fi\nle:///etc/passwd"/>', RefKind.FILE_URL),
    "https": ('<image href="https://tracker.example/pixel.png"/>', RefKind.REMOTE),
    "http-use": ('<use xlink:href="http://example.com/icons.svg#a"/>', RefKind.REMOTE),
    "other-scheme": ('<image href="smb://server/share/a.png"/>', RefKind.OTHER_URL),
    "css-url-attribute": ('<rect fill="url(file:///etc/x.svg#g)"/>', RefKind.FILE_URL),
    "css-style-attribute": ("<rect style=\"fill: url('https://example.com/p.svg#g')\"/>", RefKind.REMOTE),
    "css-style-element": (
        "<style>rect { fill: url(/home/agent/pattern.svg#p) }</style>",
        RefKind.ABSOLUTE,
    ),
    "css-import": ('<style>@import "https://example.com/a.css";</style>', RefKind.CSS_IMPORT),
    "css-import-cdata": (
        "<style><![CDATA[@import url(/home/agent/a.css);]]></style>",
        RefKind.CSS_IMPORT,
    ),
    "css-escape": ("<style>rect { fill: u\\72l(/x.svg#p) }</style>", RefKind.CSS_ESCAPE),
    "xml-base": ('<g xml:base="file:///home/agent/"><image href="#a"/></g>', RefKind.XML_BASE),
    "nested-data-svg": (
        '<image href="data:image/svg+xml;base64,'
        + base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/x.png"/></svg>'
        ).decode()
        + '"/>',
        RefKind.NESTED,
    ),
    "svg-labelled-png": (  # Qt goes by the bytes, not by the type the URI names
        '<image href="data:image/png;base64,'
        + base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/x.png"/></svg>'
        ).decode()
        + '"/>',
        RefKind.NESTED,
    ),
    "gzipped-svg": (
        '<image href="data:image/svg+xml;base64,'
        + base64.b64encode(gzip.compress(b'<svg><image href="/etc/x.png"/></svg>')).decode()
        + '"/>',
        RefKind.NESTED,
    ),
}


def svg(body: str, prolog: str = "") -> bytes:
    return (prolog + HEAD + body + "\n</svg>\n").encode("utf-8")


@pytest.mark.parametrize("name", REFUSED)
def test_each_kind_of_external_reference_is_found_on_its_line(name: str) -> None:
    body, kind = REFUSED[name]
    found = external_references(svg(body))
    assert [reference.kind for reference in found][:1] == [kind]
    assert found[0].line == 2
    assert not is_self_contained(svg(body))


def test_references_inside_the_document_pass() -> None:
    body = (
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill:url( #g )"/>'
        f'<use xlink:href="#g"/><image href="data:image/png;base64,{PIXEL}"/>'
        f'<image href="data:image/svg+xml;base64,{CLEAN_SVG}"/>'
        '<style>rect { fill: url("#g") }</style><a href="">x</a>'
    )
    assert external_references(svg(body)) == []


def test_an_entity_declaration_is_refused_before_anything_is_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
        + "]>\n"
    )
    found = external_references(svg('<text>&j;</text><image href="&a;"/>', bomb))
    assert [reference.kind for reference in found] == [RefKind.ENTITY] and found[0].line == 3


def test_a_stylesheet_instruction_and_broken_xml_are_refused() -> None:
    pi = '<?xml-stylesheet href="file:///home/agent/a.css"?>\n'
    assert [r.kind for r in external_references(svg("<rect/>", pi))] == [RefKind.STYLESHEET]
    assert [r.kind for r in external_references(b"<svg><rect></svg>")] == [RefKind.UNREADABLE]


def test_a_relative_path_is_reported_for_the_caller_to_place() -> None:
    (found,) = external_references(svg('<image href="../icons/a.png"/>'))
    assert found.kind is RefKind.RELATIVE and found.target == "../icons/a.png"


def test_the_built_in_screenshots_are_self_contained() -> None:
    shots = sorted((Path(__file__).resolve().parents[2] / "resources" / "screenshots").glob("*.svg"))
    assert shots and all(is_self_contained(path.read_bytes()) for path in shots)


# -- the validator -----------------------------------------------------------------------------------


def pack_with(tmp_path: Path, body: str) -> tuple[Path, Path]:
    """The test pack, its English screenshot carrying `body`: (flows folder, the flow file)."""
    shutil.copytree(DATA / "pack", tmp_path / "pack")
    shot = tmp_path / "pack" / "resources" / "screenshots" / "phone.en.svg"
    shot.write_bytes(svg(body))
    return tmp_path / "pack" / "flows", tmp_path / "pack" / "flows" / "demo.yaml"


def screenshot_line(flow: Path) -> int:
    lines = flow.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if "image: screenshots/phone" in line)


@pytest.mark.parametrize("name", REFUSED)
def test_validate_refuses_an_external_reference_with_file_line_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _flows, flow = pack_with(tmp_path, REFUSED[name][0])
    assert cli.main(["validate", str(flow)]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if "phone.en.svg" in line and ": warning:" not in line]
    assert errors, out
    assert errors[0].startswith(f"{flow}:{screenshot_line(flow)}:")
    assert "screenshot 'screenshots/phone.en.svg' line 2 " in errors[0]


def test_a_flow_with_an_external_reference_is_not_loaded(tmp_path: Path) -> None:
    flows, _flow = pack_with(tmp_path, '<image xlink:href="/home/agent/private.png"/>')
    library = load_library([flows])
    assert "demo" not in library.flowset and library.errors


def test_a_relative_path_inside_the_pack_passes_with_a_warning(tmp_path: Path) -> None:
    flows, flow = pack_with(tmp_path, '<image href="phone.sv.svg"/>')
    library = load_library([flows])
    assert "demo" in library.flowset and not library.errors
    (warning,) = library.warnings
    assert warning.path == flow and "refers to the file 'phone.sv.svg'" in warning.message


def test_a_relative_path_out_of_the_pack_is_an_error(tmp_path: Path) -> None:
    flows, _flow = pack_with(tmp_path, '<image href="../../../private.png"/>')
    library = load_library([flows])
    assert "demo" not in library.flowset
    assert any("outside the pack's resources folder" in p.message for p in library.errors)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_resources_folder_that_is_a_link_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DATA / "pack", tmp_path / "pack")
    elsewhere = tmp_path / "home" / "agent"
    shutil.move(tmp_path / "pack" / "resources", elsewhere)
    (tmp_path / "pack" / "resources").symlink_to(elsewhere)
    library = load_library([tmp_path / "pack" / "flows"])
    assert "demo" not in library.flowset
    assert any("outside the pack" in p.message and str(elsewhere) in p.message for p in library.errors)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_screenshot_that_is_a_link_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DATA / "pack", tmp_path / "pack")
    private = tmp_path / "private.svg"
    private.write_bytes(svg("<rect/>"))
    shot = tmp_path / "pack" / "resources" / "screenshots" / "phone.en.svg"
    shot.unlink()
    shot.symlink_to(private)
    library = load_library([tmp_path / "pack" / "flows"])
    assert "demo" not in library.flowset
    assert any("points outside the pack's resources folder" in p.message for p in library.errors)
