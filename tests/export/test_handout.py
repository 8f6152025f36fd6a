"""Handouts: a whole flow as HTML and PDF, parsed back (html.parser, pypdf) for every built-in flow in
both languages; the PDF's page references checked against the pages the titles are on; hostile flow
texts; the command line."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from PySide6.QtWidgets import QApplication

from wizard.cli import main
from wizard.core.library import flow_files_in, load_library
from wizard.core.model import FlowSet, NodeKind
from wizard.export import handout_pdf
from wizard.export.handout import Handout, Target, build_handout, walk_order
from wizard.export.handout_html import to_handout_html
from wizard.export.handout_pdf import to_handout_pdf

REPO = Path(__file__).resolve().parents[2]
BUILTIN_FLOWS = sorted(path.stem for path in flow_files_in(REPO / "flows"))
LANGUAGES = ("sv", "en")
PAGE_WORD = {"en": "page", "sv": "sida"}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Page(HTMLParser):
    """Tags with attributes, ids, links with their text, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.text: list[str] = []
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "a":
            self._link = (str(attributes.get("href") or ""), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], "".join(self._link[1])))
            self._link = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._link is not None:
            self._link[1].append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def squash(text: str) -> str:
    """Single spaces, and ligatures (pypdf reads Qt's "fi" as "ﬁ") as their letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_pages(pdf: bytes) -> list[str]:
    # pypdf separates Qt's text runs with tabs or newlines; compare with single spaces.
    return [squash(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def flowset() -> FlowSet:
    library = load_library([REPO / "flows"])
    assert library.errors == []
    return library.flowset


@pytest.fixture(scope="module", params=["whole", "chunked"])
def ios_pdfs(
    request: pytest.FixtureRequest, qapp: QApplication, flowset: FlowSet
) -> dict[str, tuple[Handout, list[str]]]:
    """The ios handout as PDF pages, laid out as one document or, as a large handout is, a few pages
    at a time (here in chunks of about two pages, so that every rule for cutting is used)."""
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "chunked":
            patch.setattr(handout_pdf, "LARGE_HANDOUT_NODES", 0)
            patch.setattr(handout_pdf, "CHUNK_CHARACTERS", 6000)
        for lang in LANGUAGES:
            handout = build_handout(flowset, "ios", lang)
            found[lang] = (handout, pdf_pages(to_handout_pdf(handout)))
    return found


def test_builtin_flows_are_all_covered() -> None:
    assert "ios" in BUILTIN_FLOWS and len(BUILTIN_FLOWS) >= 9


def test_walk_order_is_breadth_first_then_unreached(pack_flowset: FlowSet, flowset: FlowSet) -> None:
    ordered, reached = walk_order(pack_flowset.flow("demo"))
    assert [node.id for node in ordered] == ["platform", "android-steps", "ios-info", "done", "escalate"]
    assert reached == {node.id for node in ordered}
    ios = flowset.flow("ios")
    ordered, reached = walk_order(ios)
    assert ordered[0].id == ios.entry and sorted(node.id for node in ordered) == sorted(ios.nodes)
    # every reached node comes before every node the entry does not lead to
    flags = [node.id in reached for node in ordered]
    assert flags == sorted(flags, reverse=True)
    general, _ = walk_order(flowset.flow("general"))
    assert len(general) == len(flowset.flow("general").nodes)


def test_handout_document_of_the_demo_flow(pack_flowset: FlowSet) -> None:
    handout = build_handout(pack_flowset, "demo", "sv")
    part = handout.parts[0]
    assert part.title == "Demoflöde" and part.reviewed == "2026-11-26" and part.section == "Inledning"
    assert part.source is not None and part.source.url == "https://example.com/article#intro"
    nodes = {node.ref.node: node for node in part.nodes}
    assert nodes["platform"].is_entry and nodes["platform"].kind_label == "Fråga"
    assert nodes["platform"].anchor == "node-platform"
    steps = nodes["android-steps"]
    assert steps.kind_label == "Åtgärder" and [step.number for step in steps.steps] == [1, 2]
    assert steps.steps[1].command == "certlm.msc"
    shot = steps.steps[0].screenshot
    assert shot is not None and shot.alt == "En telefon" and shot.image is not None
    assert shot.image.mime == "image/svg+xml" and b"<svg" in shot.image.data
    assert steps.error_codes == ("0x80CF0437", "hr 0x8007064c") and steps.error_ids == ("DeviceCapReached",)
    assert steps.callouts[0].label == "Viktigt:" and steps.messages
    other = nodes["platform"].choices[2].target
    assert other.anchor is None and other.flow_title is not None
    assert other.text(handout.labels).endswith(f"(i flödet {other.flow_title})")
    assert nodes["ios-info"].next == Target(nodes["done"].ref, "Löst", "node-done")
    end = nodes["escalate"]
    assert (end.kind, end.outcome) == (NodeKind.END, "Eskalera")
    assert "".join(span.text for span in end.escalate_to) == "Andra linjen"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("flow_id", BUILTIN_FLOWS)
def test_html_handout_parses_with_every_title_and_choice_link(
    flowset: FlowSet, flow_id: str, lang: str
) -> None:
    handout = build_handout(flowset, flow_id, lang)
    html = to_handout_html(handout)
    page = parsed(html)
    text = page.all_text
    assert squash(flowset.flow(flow_id).title.get(lang)) in text
    links = set(page.links)
    for node in handout.nodes:
        assert squash(node.title) in text
        assert node.anchor in page.ids
        assert (f"#{node.anchor}", node.title) in links  # the contents
        for choice in node.choices:
            target = choice.target
            if target.ref.flow == flow_id:
                assert target.anchor in page.ids
                assert (f"#{target.anchor}", target.text(handout.labels)) in links
            else:  # another flow: named as text, with its flow
                assert target.anchor is None and squash(target.text(handout.labels)) in text
    for href, _ in page.links:
        assert href.startswith("https://") or href[1:] in page.ids
    assert {anchor for anchor in page.ids if anchor.startswith("node-")} == handout.anchors
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "iframe", "object", "embed", "link"})
    assert all(
        not value.startswith(("http:", "javascript:")) for _, a in page.tags for value in a.values() if value
    )
    shots = [tag for tag, attributes in page.tags if tag == "img"]
    expected = sum(
        1 for node in handout.nodes for _ in flowset.flow(flow_id).node(node.ref.node).all_screenshots()
    )
    assert len(shots) == expected
    assert all(str(a.get("src")).startswith("data:image/svg+xml;base64,") for t, a in page.tags if t == "img")


def test_html_links_into_other_flows_of_the_same_handout(flowset: FlowSet) -> None:
    handout = build_handout(flowset, ["ios", "general"], "en")
    page = parsed(to_handout_html(handout))
    device_cap = flowset.flow("general").node("device-cap").title.get("en")
    assert "node-general.device-cap" in page.ids
    assert (
        "#node-general.device-cap",
        f"{device_cap} (in the flow General enrollment problems)",
    ) in page.links
    assert all(href[1:] in page.ids for href, _ in page.links if href.startswith("#"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("flow_id", BUILTIN_FLOWS)
def test_pdf_handout_has_every_title_and_page_numbers(
    qapp: QApplication, flowset: FlowSet, flow_id: str, lang: str
) -> None:
    handout = build_handout(flowset, flow_id, lang)
    pdf = to_handout_pdf(handout)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert all(tuple(round(v) for v in page.mediabox.upper_right) == (595, 842) for page in reader.pages)
    pages = [squash(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    flow = flowset.flow(flow_id)
    unspaced = "".join(text.split())
    for node in handout.nodes:
        assert squash(node.title) in text
        assert f"{node.kind_label} · {node.ref.node}" in text  # the line under the heading
        for step in node.steps:  # the last of a node's text is laid out and painted too
            # (pypdf puts spaces between runs of text in other fonts: compare without spaces)
            assert "".join(squash("".join(span.text for span in step.text)).split())[:40] in unspaced
    for number, page in enumerate(pages, 1):
        assert handout.page_label(number, len(pages)) in page
    shots = {shot.image_for(lang) for node in flow.nodes.values() for shot in node.all_screenshots()}
    assert pdf.count(b"/Subtype /Image") >= len(shots)
    assert "#node-" not in text and "/URI (#" not in pdf.decode("latin-1")


def unspaced(text: str) -> str:
    """Text without any white space: Qt breaks lines after hyphens too ("APNs-|certifikatet"), and
    pypdf puts spaces between runs in other fonts."""
    return "".join(squash(text).split())


def heading_pages(handout: Handout, pages: list[str]) -> dict[str, int]:
    """The page (1-based) of each node's heading: its title followed by its kind and id line."""
    found = {}
    for node in handout.nodes:
        heading = unspaced(f"{node.title} {node.kind_label} · {node.ref.node}")
        where = [number for number, page in enumerate(pages, 1) if heading in unspaced(page)]
        assert len(where) == 1, (heading, where)
        found[node.anchor] = where[0]
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_page_references_point_at_the_titles(
    ios_pdfs: dict[str, tuple[Handout, list[str]]], lang: str
) -> None:
    handout, pages = ios_pdfs[lang]
    text = unspaced(" ".join(pages))
    headings = heading_pages(handout, pages)
    word = PAGE_WORD[lang]
    checked = 0
    for node in handout.nodes:
        targets = [choice.target for choice in node.choices] + ([node.next] if node.next else [])
        for target in targets:
            if target.anchor is None:
                continue
            pattern = re.escape(unspaced(target.text(handout.labels))) + rf"\({word}(\d+)\)"
            numbers = {int(number) for number in re.findall(pattern, text)}
            assert numbers == {headings[target.anchor]}, (target.title, numbers, headings[target.anchor])
            assert unspaced(target.title) in unspaced(pages[headings[target.anchor] - 1])
            checked += 1
    assert checked >= 20  # ios: 22 references inside the flow
    # the contents give the same pages
    contents = pages[0] + " " + pages[1]
    for node in handout.nodes:
        loose = r"\s*".join(re.escape(char) for char in unspaced(f"{node.title} ({node.kind_label})"))
        # (a large handout's contents are lines: "Title (Question) · page 12")
        entry = re.search(loose + rf" (?:· {word} )?(\d+) ", contents)
        assert entry is not None and int(entry.group(1)) == headings[node.anchor], node.title


def test_pdf_headings_never_end_a_page(ios_pdfs: dict[str, tuple[Handout, list[str]]]) -> None:
    for handout, pages in ios_pdfs.values():
        for node in handout.nodes:
            for page in pages:
                heading = f"{squash(node.title)} {node.kind_label} · {node.ref.node}"
                if heading in page:
                    footer = handout.page_label(pages.index(page) + 1, len(pages))
                    assert not page.endswith(f"{heading} {footer}")


# ------------------------------------------------------------------ hostile texts

HOSTILE_TITLE = "<script>alert('t')</script> <img src=x onerror=alert(1)> &amp; \x07bell\u202eevil"
HOSTILE_BODY = (
    "<b>not bold</b> <a href='javascript:alert(2)'>x</a> "
    'javascript:alert(3) "quoted" \x1b[31mred\x1b[0m\x00nul'
)


def write_hostile_pack(root: Path) -> Path:
    flows = root / "flows"
    shots = root / "resources" / "screenshots"
    flows.mkdir(parents=True)
    shots.mkdir(parents=True)
    for lang in ("sv", "en"):
        (shots / f"evil.{lang}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30">'
            '<rect width="40" height="30" fill="#c00"/></svg>',
            encoding="utf-8",
        )

    def text(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = escaped.replace("\x07", "\\a").replace("\x1b", "\\e").replace("\x00", "\\0")
        escaped = escaped.replace("\u202e", "\\u202E")
        return f'{{sv: "{escaped}", en: "{escaped}"}}'

    quoted_label = text('no " onclick="x')
    (flows / "evil.yaml").write_text(
        f"""id: evil
version: 1
title: {text("Evil </title><script>x</script>")}
description: {text(HOSTILE_BODY)}
platforms: [general]
entry: start
nodes:
  - id: start
    kind: steps
    title: {text(HOSTILE_TITLE)}
    body: {text(HOSTILE_BODY)}
    messages: [{text("</li><script>m</script>")}]
    callouts: [{{kind: warning, text: {text("</td></table><script>c</script>")}}}]
    steps:
      - text: {text("<style>body{{display:none}}</style>")}
        command: "</code><script>cmd</script>"
        hint: {text("--><!-- ")}
        screenshot: {{image: "screenshots/evil.{{lang}}.svg", alt: {text('"><script>alt</script>')}}}
    choices:
      - label: {text("<i>yes</i>")}
        next: end
      - label: {quoted_label}
        next: end
  - id: end
    kind: end
    outcome: escalate
    title: {text("</h2><h1>End</h1>")}
    escalate_to: {text("<u>second line</u>")}
    reason: {text("<marquee>why</marquee>")}
""",
        encoding="utf-8",
    )
    return flows


@pytest.fixture
def hostile_flowset(tmp_path: Path) -> FlowSet:
    library = load_library([write_hostile_pack(tmp_path)])
    assert library.errors == [], library.errors
    return library.flowset


VISIBLE = [
    "<script>alert('t')</script> <img src=x onerror=alert(1)> &amp; bellevil",
    "<b>not bold</b> <a href='javascript:alert(2)'>x</a> javascript:alert(3) \"quoted\" rednul",
    "</li><script>m</script>",
    "</td></table><script>c</script>",
    "</code><script>cmd</script>",
    '"><script>alt</script>',
    "</h2><h1>End</h1>",
    "<marquee>why</marquee>",
]


def test_hostile_flow_texts_stay_text_in_html(hostile_flowset: FlowSet) -> None:
    html = to_handout_html(build_handout(hostile_flowset, "evil", "en"))
    page = parsed(html)
    tags = {tag for tag, _ in page.tags}
    assert tags.isdisjoint({"script", "marquee", "u", "i"})
    assert sum(1 for tag, _ in page.tags if tag == "style") == 1  # ours, in <head>
    assert [tag for tag, _ in page.tags].count("h1") == 1
    assert [tag for tag, _ in page.tags].count("img") == 1  # the screenshot
    for _, attributes in page.tags:
        assert not any(name.startswith("on") for name in attributes)
        href = attributes.get("href")
        assert href is None or href.startswith(("https://", "#"))
    for visible in VISIBLE:
        assert visible in page.all_text, visible
    assert not CONTROL.search(html)


def test_hostile_flow_texts_stay_text_in_pdf(qapp: QApplication, hostile_flowset: FlowSet) -> None:
    pages = pdf_pages(to_handout_pdf(build_handout(hostile_flowset, "evil", "en")))
    text = " ".join(pages)
    for visible in VISIBLE:
        assert visible in text, visible
    assert not CONTROL.search(text)


def test_missing_screenshot_prints_its_alt_text(hostile_flowset: FlowSet, tmp_path: Path) -> None:
    for svg in (tmp_path / "resources" / "screenshots").glob("*.svg"):
        svg.unlink()
    page = parsed(to_handout_html(build_handout(hostile_flowset, "evil", "sv")))
    assert 'Skärmbild: "><script>alt</script> (bilden saknas)' in page.all_text
    assert [tag for tag, _ in page.tags].count("img") == 0


# ------------------------------------------------------------------ command line


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_cli_writes_a_handout(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    target = tmp_path / f"ios.{fmt}"
    assert main(["handout", "ios", "--format", fmt, "--lang", "sv", "-o", str(target)]) == 0
    assert [path.name for path in tmp_path.iterdir()] == [target.name]  # nothing left beside it
    assert target.stat().st_mode & 0o777 == 0o644
    data = target.read_bytes()
    title = "Vilket problem har användaren med iOS-enheten?"
    if fmt == "pdf":
        assert data.startswith(b"%PDF-") and title in " ".join(pdf_pages(data))
    else:
        assert title in parsed(data.decode("utf-8")).all_text
    assert capsys.readouterr().err == ""


def test_cli_handout_of_several_flows(qapp: QApplication, tmp_path: Path) -> None:
    target = tmp_path / "ios-general.pdf"
    assert main(["handout", "ios,general", "--format", "pdf", "-o", str(target)]) == 0
    text = " ".join(pdf_pages(target.read_bytes()))
    assert "iOS problems" in text and "General enrollment problems" in text
    assert re.search(r"Device cap reached \(in the flow General enrollment problems\) \(page \d+ ?\)", text)


def test_cli_language_defaults_to_english(tmp_path: Path) -> None:
    target = tmp_path / "ios.html"
    assert main(["handout", "ios", "--format", "html", "-o", str(target)]) == 0
    assert '<html lang="en">' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["handout", "nope", "--format", "html"], "no flow 'nope'"),
        (["handout", "ios,nope", "--format", "html"], "no flow 'nope'"),
        (["handout", "ios", "--format", "html", "--lang", "de"], "no language 'de'"),
        (["handout", "ios", "--format", "pdf", "-o", "-"], "not to standard output"),
    ],
)
def test_cli_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    if "-o" not in argv:
        argv = [*argv, "-o", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["handout", "ios", "--format", "html", "-o", str(blocker / "ios.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err


def test_cli_handout_as_a_subprocess(tmp_path: Path) -> None:
    env_run = [sys.executable, "-m", "wizard", "handout"]
    result = subprocess.run(
        [*env_run, "no-such-flow", "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no flow 'no-such-flow'" in result.stderr
    result = subprocess.run(
        [*env_run, "ios", "--format", "pdf", "--lang", "en", "-o", str(tmp_path / "ios.pdf")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ios.pdf").read_bytes().startswith(b"%PDF-")


def test_handout_core_does_not_import_qt() -> None:
    code = (
        "import sys; import wizard.export.handout, wizard.export.handout_html, wizard.cli.handout; "
        "print('PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "False"
