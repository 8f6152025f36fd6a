"""The end page reads like the ticket note: the export's summary sections as lists, in the export
language chosen there, and Copy puts exactly the exported text and HTML on the clipboard."""

from __future__ import annotations

from html.parser import HTMLParser

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from wizard.core.model import NodeRef
from wizard.export import build_document, export_case
from wizard.export.html import body_html
from wizard.ui.main_window import MainWindow
from wizard.ui.summary import CaseSummary


def go(window: MainWindow, target: str) -> None:
    """Answer the page shown the way that leads to `target`, as the agent would click it."""
    session = window.session
    assert session is not None
    here = session.current_ref.flow
    wanted = NodeRef.parse(target, here)
    node = session.current_node
    index = [NodeRef.parse(raw, here) for raw in node.targets()].index(wanted)
    window.choose(index) if node.choices else window.advance()


class Sections(HTMLParser):
    """Headings (h3) and the list items under each, as a reader of the page sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.paragraphs: list[str] = []
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h3", "li", "p"):
            self._in, self._text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag != self._in:
            return
        if tag == "h3":
            self.sections[self._text] = []
        elif tag == "li":
            list(self.sections.values())[-1].append(self._text)
        else:
            self.paragraphs.append(self._text)
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def test_end_page_shows_the_summary_sections_and_copies_the_export(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    for target in ("android#symptom", "samsung-check-in", "samsung-solution-1", "samsung-solution-2"):
        go(window, target)
    window.tick(0, True)
    go(window, "samsung-solution-3")
    go(window, "general#resolved")
    summary = window.step_view.content.findChild(CaseSummary)
    assert summary is not None and summary.isVisible()
    case = window.cases.case
    assert case is not None

    shown = summary.brief.text()
    assert shown == body_html(build_document(case, "en").section("summary"))  # the export's own blocks
    page = Sections()
    page.feed(shown)
    assert list(page.sections) == ["Checked", "Found", "Done", "Not done"]
    assert page.sections["Checked"] == [
        "What problem does the user have with the Android device? → "
        "Samsung device doesn't check in and shows as “Unhealthy”"
    ]
    assert not any("Which platform" in item for item in page.sections["Checked"])  # routing, not a check
    assert page.sections["Found"] == [case.summary("en").found[0]]
    assert page.sections["Done"][0] == case.summary("en").done[0]
    assert page.paragraphs == ["Outcome: Resolved"]
    assert summary.text.toPlainText() == export_case(case, "txt", "en").decode("utf-8")

    summary.language.setCurrentIndex(summary.language.findData("sv"))  # the export language, not the UI's
    swedish = Sections()
    swedish.feed(summary.brief.text())
    assert list(swedish.sections) == ["Kontrollerat", "Hittat", "Gjort", "Inte gjort"]
    assert swedish.paragraphs == ["Utfall: Löst"]
    assert window.step_view.back_button.text() == "← Back"

    qtbot.mouseClick(summary.copy_button, Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == export_case(case, "txt", "sv").decode("utf-8")
    assert mime.html() == export_case(case, "html", "sv").decode("utf-8")
    assert summary.brief.text() in mime.html()  # the page's summary is the clipboard's, block for block


def test_copy_takes_a_note_typed_on_the_end_page(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("general", "company-portal-unavailable"))
    window.choose(0)
    summary = window.step_view.content.findChild(CaseSummary)
    assert summary is not None
    qtbot.keyClicks(window.case_panel.general_note, "called back at 14:00")
    qtbot.mouseClick(summary.copy_button, Qt.MouseButton.LeftButton)
    assert "called back at 14:00" in QGuiApplication.clipboard().mimeData().text()
    assert "called back at 14:00" in summary.text.toPlainText()
