"""The flow map as SVG and PNG: well-formed, every title there and escaped, Qt can draw it; the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from wizard import cli
from wizard.core.engine import Session
from wizard.core.flowmap import Highlight, highlight_session, layout_flow
from wizard.core.library import flow_files_in, load_library
from wizard.core.model import Choice, Flow, FlowSet, Node, NodeKind, NodeRef, Outcome, Text
from wizard.export.map_svg import FONT_FAMILY, LABELS, to_svg
from wizard.store.paths import builtin_flows_dir

SVG = "{http://www.w3.org/2000/svg}"
BUILTIN_FLOWS = sorted(path.stem for path in flow_files_in(builtin_flows_dir()))


@pytest.fixture(scope="module")
def builtin() -> FlowSet:
    return load_library([builtin_flows_dir()]).flowset


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("flow_id", BUILTIN_FLOWS)
def test_svg_of_every_builtin_flow(builtin: FlowSet, flow_id: str, lang: str) -> None:
    flow_map = layout_flow(builtin.flow(flow_id), lang, flowset=builtin)
    svg = to_svg(flow_map)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("font-family") == FONT_FAMILY
    shown = texts(root)
    titles = [element.text for element in root.iter(f"{SVG}title")]
    for node in flow_map.nodes:
        for line in node.label_lines:
            assert line in shown, line
        assert node.title in titles
    for edge in flow_map.edges:
        for line in edge.label_lines:
            assert line in shown
    legend = [
        LABELS[lang][key] for key in ("question", "steps", "info", "resolved", "escalate", "not_resolved")
    ]
    assert set(legend) <= set(shown)
    assert flow_map.title in shown


def test_qt_draws_the_svg(qapp: QApplication, builtin: FlowSet) -> None:
    for flow in builtin:
        renderer = QSvgRenderer(QByteArray(to_svg(layout_flow(flow, "sv", flowset=builtin)).encode()))
        assert renderer.isValid(), flow.id
        assert renderer.viewBoxF().width() > 100


def test_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b> \x07bell'
    text = Text({"en": hostile})
    flow = Flow(
        "hostile",
        1,
        Text({"en": "Flow & <co>"}),
        text,
        ("general",),
        "q",
        {
            "q": Node(
                "q", NodeKind.QUESTION, text, choices=(Choice(Text({"en": "a<b"}), "e"), Choice(text, "e"))
            ),
            "e": Node("e", NodeKind.END, Text({"en": "Done"}), outcome=Outcome.RESOLVED),
        },
    )
    svg = to_svg(layout_flow(flow, "en"))
    assert "<script>" not in svg and "<b>" not in svg and "\x07" not in svg
    root = ET.fromstring(svg)  # still well-formed
    shown = " ".join(texts(root))
    assert "<script>" in shown and "&" in shown and "a<b" in shown
    assert "Flow & <co>" in shown


def test_highlight_in_the_svg(builtin: FlowSet) -> None:
    session = Session(builtin, NodeRef("ios", "symptom"))
    session.choose(1)
    session.advance()
    flow_map = layout_flow(builtin.flow("ios"), "en", flowset=builtin)
    marks = highlight_session(flow_map, session)
    assert marks.current == "sync-result"
    plain = to_svg(flow_map)
    marked = to_svg(flow_map, marks)
    assert "You are here" in marked and "You are here" not in plain
    assert "Path taken" in marked and "Path taken" not in plain
    root = ET.fromstring(marked)
    badges = texts(root)
    assert "1" in badges and "3" in badges  # step numbers on the boxes
    assert to_svg(flow_map, Highlight()) == plain


def run_cli(*args: str) -> int:
    return cli.main(["map", *args])


def test_cli_writes_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ios.svg"
    assert run_cli("ios", "-o", str(out), "--lang", "sv") == 0
    root = ET.parse(out).getroot()
    assert "iOS-problem" in texts(root)
    assert LABELS["sv"]["question"] in texts(root)
    assert run_cli("general", "-o", str(tmp_path / "general.svg")) == 0  # English by default
    assert LABELS["en"]["question"] in texts(ET.parse(tmp_path / "general.svg").getroot())
    assert capsys.readouterr().err == ""
    assert not list(tmp_path.glob(".*.tmp")), "written atomically, nothing left behind"


def test_cli_writes_png_at_twice_the_size(qapp: QApplication, tmp_path: Path) -> None:
    svg, png = tmp_path / "m.svg", tmp_path / "m.PNG"
    assert run_cli("android", "-o", str(svg)) == 0
    assert run_cli("android", "-o", str(png)) == 0
    image = QImage(str(png))
    assert not image.isNull()
    root = ET.parse(svg).getroot()
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    assert (image.width(), image.height()) == (round(width * 2), round(height * 2))
    assert image.pixelColor(2, 2).name() == "#ffffff"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nosuchflow", "-o", "{tmp}/x.svg"], 1, "no flow 'nosuchflow'"),
        (["ios", "-o", "{tmp}/x.pdf"], 2, "should end in .svg or .png"),
        (["ios", "-o", "{tmp}/x.svg", "--lang", "de"], 2, "no language 'de'"),
        (["ios", "-o", "{tmp}/file.txt/x.svg"], 1, "cannot write"),
        (["ios", "-o", "{tmp}"], 2, "should end in .svg or .png"),
        (["ios", "-o", "{tmp}/dir.svg"], 1, "it is a directory"),
    ],
)
def test_cli_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    (tmp_path / "file.txt").write_text("not a directory")
    (tmp_path / "dir.svg").mkdir()
    assert run_cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in args)) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_as_a_program(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    png = tmp_path / "start.png"
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "map", "start", "-o", str(png), "--lang", "sv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG")
    failed = subprocess.run(
        [sys.executable, "-m", "wizard", "map", "ios", "-o", str(tmp_path / "no" / "such" / "x.png")],
        capture_output=True,
        text=True,
        env={**env, "WIZARD_HOME": str(tmp_path / "home")},
        timeout=60,
    )
    assert failed.returncode == 1  # a typo in the folder does not make folders
    assert (
        failed.stderr
        == f"troubleshooting-wizard map: cannot write {tmp_path / 'no' / 'such' / 'x.png'}: folder does not exist\n"
    )
    assert not (tmp_path / "no").exists()
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    try:
        denied = subprocess.run(
            [sys.executable, "-m", "wizard", "map", "ios", "-o", str(tmp_path / "ro" / "x.svg")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        (tmp_path / "ro").chmod(0o700)
    if os.geteuid() != 0:  # root writes through permission bits
        assert denied.returncode == 1 and "cannot write" in denied.stderr
    assert "Traceback" not in denied.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "wizard", "map", "ios", "-o", str(tmp_path / "x.gif")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1 and "Traceback" not in usage.stderr
