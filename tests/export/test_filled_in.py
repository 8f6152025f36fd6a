"""Steps a search or a link filled in: said plainly and set apart (italics) in every export, in both
languages, and the reason travels with the saved case."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from wizard.core.case import Case
from wizard.core.engine import FilledBy, Session
from wizard.core.model import FlowSet, NodeRef
from wizard.export import build_document, export_case
from wizard.export.document import BulletList, Heading, PathTable

Golden = Callable[[str, str | bytes], None]


@pytest.fixture
def searched_case(pack_flowset: FlowSet, make_case: Callable[..., Case]) -> Case:
    """Opened from a search hit on the Android steps: the platform question was filled in."""
    case = make_case(
        pack_flowset,
        "demo#android-steps",
        infer_path_from=NodeRef("demo", "platform"),
        filled_by=FilledBy.SEARCH,
        agent="Åsa Agent",
    )
    case.session.set_tick(0, True)
    case.session.choose(0)
    return case


class ItalicText(HTMLParser):
    """The text inside <i> elements of an HTML export."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "i":
            self.depth += 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "i":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def test_goldens_of_a_searched_case(searched_case: Case, golden: Golden) -> None:
    for fmt in ("md", "html", "txt"):
        golden(f"case.en.search.{fmt}", export_case(searched_case, fmt, "en"))
    golden("case.sv.search.txt", export_case(searched_case, "txt", "sv"))


@pytest.mark.parametrize(
    ("lang", "filled_by", "marker"),
    [
        ("en", FilledBy.SEARCH, "(filled in by the search)"),
        ("sv", FilledBy.SEARCH, "(ifyllt av sökningen)"),
        ("en", FilledBy.LINK, "(filled in by the link you opened)"),
        ("sv", FilledBy.LINK, "(ifyllt av länken du öppnade)"),
        ("en", FilledBy.MAP, "(filled in from the flow map)"),
        ("sv", FilledBy.UNKNOWN, "(ifyllt, inte besvarat)"),
    ],
)
def test_the_marker_says_what_filled_the_step_in(
    searched_case: Case, lang: str, filled_by: FilledBy, marker: str
) -> None:
    searched_case.visits[0].filled_by = filled_by
    text = export_case(searched_case, "txt", lang).decode("utf-8")
    assert f"→ Android {marker}" in text
    assert text.count(marker) == 1  # only the filled-in step, not the ones answered
    parser = ItalicText()
    parser.feed(export_case(searched_case, "html", lang).decode("utf-8"))
    assert parser.found == [marker]  # set apart in italics
    markdown = export_case(searched_case, "md", lang).decode("utf-8")
    escaped = marker.replace("(", "\\(").replace(")", "\\)")
    assert f"*{marker}*" in markdown or f"*{escaped}*" in markdown
    assert "via" not in text.split("\n\n")[-1]


def test_an_answered_step_has_no_marker(pack_flowset: FlowSet, make_case: Callable[..., Case]) -> None:
    case = make_case(pack_flowset)
    case.session.choose(0)
    document = build_document(case, "en")
    (table,) = [block for block in document.blocks if isinstance(block, PathTable)]
    assert all("filled in" not in "".join(span.text for cell in row for span in cell) for row in table.rows)


def test_the_summary_section_is_the_exports_summary(searched_case: Case) -> None:
    document = build_document(searched_case, "sv")
    section = document.section("summary")
    headings = [block.text for block in section.blocks if isinstance(block, Heading)]
    assert headings == ["Kontrollerat", "Hittat", "Gjort", "Inte gjort"]
    assert all(isinstance(block, BulletList) for block in section.blocks[1:8:2])
    assert section.blocks[-1] != document.blocks[-1]  # the section ends before the path
    assert document.section("no such section").blocks == ()


def test_the_reason_is_saved_and_restored(searched_case: Case, pack_flowset: FlowSet) -> None:
    data = json.loads(export_case(searched_case, "json", "en"))
    schema = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "case.schema.json").read_text("utf-8")
    )
    jsonschema.validate(data, schema)  # the documented case format knows the field
    visits = data["session"]["visits"]
    assert visits[0]["inferred"] is True and visits[0]["filled_by"] == "search"
    assert "filled_by" not in visits[1]  # an answered step carries no reason
    restored = Case.from_json(pack_flowset, data)
    assert restored.visits[0].filled_by is FilledBy.SEARCH


@pytest.mark.parametrize("saved", [None, "a reason from a later version", 7])
def test_an_unknown_or_missing_reason_reads_as_unknown(searched_case: Case, saved: object) -> None:
    data = searched_case.session.to_json()
    if saved is None:
        del data["visits"][0]["filled_by"]  # saved before the reason was recorded
    else:
        data["visits"][0]["filled_by"] = saved
    restored = Session.from_json(searched_case.flowset, data)
    assert restored.visits[0].inferred and restored.visits[0].filled_by is FilledBy.UNKNOWN


def test_answering_a_filled_in_step_clears_the_marker(searched_case: Case) -> None:
    session = searched_case.session
    session.jump_to(0)
    session.choose(1)  # a different platform, answered by the agent
    assert not session.visits[0].inferred and session.visits[0].filled_by is FilledBy.UNKNOWN
    assert "filled in" not in export_case(searched_case, "txt", "en").decode("utf-8")
