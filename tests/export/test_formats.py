"""Every export parsed back: HTML with an HTML parser, Markdown rendered, text checked line by line,
JSON validated against the schema and restored; the fixed case and a hostile one alike."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wizard.core.case import Case
from wizard.core.redact import PERSONAL_FIELDS
from wizard.export import export_case
from wizard.export.document import (
    BulletList,
    Document,
    Heading,
    KeyValues,
    PathTable,
    build_document,
)
from wizard.export.json_case import case_schema, schema_problems
from wizard.export.markdown import escape
from wizard.export.sanitize import BIDI_CONTROLS, clean_text
from wizard.export.text import WIDTH

PERSONAL = ["Anna Svensson", "anna.svensson@contoso.se", "ANNA-PHONE", "R58M12AB", "356938035643809"]
FLOW_LINKS = {"https://example.com/ios"}  # the only link the demo flow texts on the path could hold


class Page(HTMLParser):
    """What a browser would build: tags with attributes, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rows: list[int] = []  # cells per <tr>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th") and self.rows:
            self.rows[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def expected_shape(document: Document) -> dict[str, Any]:
    tables = [b for b in document.blocks if isinstance(b, KeyValues | PathTable)]
    return {
        "tables": len(tables),
        "rows": [1 + len(t.rows) for t in tables],
        "cells": [2 if isinstance(t, KeyValues) else 4 for t in tables],
        "headings": sum(isinstance(b, Heading) for b in document.blocks),
        "items": sum(len(b.items) for b in document.blocks if isinstance(b, BulletList)),
    }


def assert_safe_page(page: Page, document: Document) -> None:
    shape = expected_shape(document)
    assert page.count("script") == 0 and page.count("iframe") == 0 and page.count("object") == 0
    for tag, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "a":
            assert attrs["href"] in FLOW_LINKS, attrs
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/"), attrs
    assert page.count("table") == shape["tables"]
    cells_per_table = iter(shape["cells"])
    total_rows = sum(shape["rows"])
    assert len(page.rows) == total_rows
    # Every row of every table has exactly its columns: nothing typed split or merged a cell.
    index = 0
    for rows in shape["rows"]:
        cells = next(cells_per_table)
        assert page.rows[index : index + rows] == [cells] * rows
        index += rows
    assert sum(page.count(f"h{level}") for level in (1, 2, 3)) == shape["headings"]
    assert page.count("li") == shape["items"]
    assert page.count("blockquote") == 0 and page.count("pre") == 0 and page.count("hr") == 0


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_html_parses_back(fixed_case: Case, lang: str) -> None:
    html = export_case(fixed_case, "html", lang).decode("utf-8")
    page = parse(html)
    assert_safe_page(page, build_document(fixed_case, lang))
    assert ("html", {"lang": lang}) in page.tags
    assert "Anna restarted Company Portal twice" in page.all_text


def test_hostile_html_is_text(hostile_case: Case, hostile_visible: list[str]) -> None:
    html = export_case(hostile_case, "html", "en").decode("utf-8")
    page = parse(html)
    assert_safe_page(page, build_document(hostile_case, "en"))
    text = page.all_text
    for visible in hostile_visible:
        assert visible in text
    assert not re.search(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]", html)
    assert "javascript:" not in "".join(str(v) for _, attrs in page.tags for v in attrs.values())
    assert text.count("A" * 3000) == 2  # the note and the general note, each whole


def render_markdown(markdown: str) -> str:
    """CommonMark with raw HTML allowed, GitHub tables, strikethrough and linkify: the most a
    renderer might do with the text."""
    renderer = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(
        ["table", "strikethrough", "linkify"]
    )
    return renderer.render(markdown)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_markdown_renders_to_the_same_structure(fixed_case: Case, lang: str) -> None:
    markdown = export_case(fixed_case, "md", lang).decode("utf-8")
    page = parse(render_markdown(markdown))
    assert_safe_page(page, build_document(fixed_case, lang))
    assert "Anna restarted Company Portal twice; serial R58M12AB checked in Intune." in page.all_text


def test_hostile_markdown_cannot_break_a_table_or_make_a_link(
    hostile_case: Case, hostile_visible: list[str]
) -> None:
    markdown = export_case(hostile_case, "md", "en").decode("utf-8")
    page = parse(render_markdown(markdown))
    assert_safe_page(page, build_document(hostile_case, "en"))
    assert page.count("a") == 0 and page.count("img") == 0 and page.count("code") == 1  # certlm.msc
    assert page.count("em") == 0 and page.count("strong") == 2 + 1  # "Outcome:", step note, action
    text = page.all_text
    for visible in hostile_visible:
        assert visible in text
    assert not re.search(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]", markdown)


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.com",
        "www.evil.com",
        "a@evil.com",
        "[x](https://evil.com)",
        "<https://evil.com>",
        "1. item",
        "- item",
        "# title",
        "a | b",
        "*a* _b_ `c` ~~d~~",
        "&copy;",
        "\\",
    ],
)
def test_escaped_markdown_renders_as_the_same_text(text: str) -> None:
    rendered = parse(render_markdown(escape(text)))
    assert [tag for tag, _ in rendered.tags] == ["p"]
    assert rendered.all_text.strip() == text


def test_text_export(fixed_case: Case) -> None:
    text = export_case(fixed_case, "txt", "en").decode("utf-8")
    assert text.splitlines()[:2] == [f"Case {fixed_case.id}", "=" * len(f"Case {fixed_case.id}")]
    assert "Outcome:       Escalated to Second line: Nothing helped." in text
    assert "- [x] 1. Open Settings." in text


def test_hostile_text_holds_no_control_characters(hostile_case: Case, hostile_visible: list[str]) -> None:
    text = export_case(hostile_case, "txt", "en").decode("utf-8")
    assert not re.search(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]", text)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    flattened = " ".join(text.split())
    for visible in hostile_visible:
        assert " ".join(visible.split()) in flattened
    assert "redm" not in text and "red " in text  # the ANSI colour went, the word stayed


@pytest.mark.parametrize("redact", [False, True])
def test_json_validates_and_round_trips(fixed_case: Case, redact: bool) -> None:
    text = export_case(fixed_case, "json", "en", redact=redact).decode("utf-8")
    data = json.loads(text)
    jsonschema.Draft202012Validator(case_schema()).validate(data)
    assert schema_problems(data) == []
    again = Case.from_json(fixed_case.flowset, data)
    if not redact:
        assert again.to_json() == fixed_case.to_json()
    else:
        assert again.user.name == "[redacted]" and again.device.imei == "[redacted]"
        assert "R58M12AB" not in text and "Anna" not in text


def test_hostile_json_round_trips_exactly_and_reads_safely(hostile_case: Case, hostile_note: str) -> None:
    text = export_case(hostile_case, "json", "en").decode("utf-8")
    assert not re.search(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]", text.replace("\n", ""))
    data = json.loads(text)
    assert schema_problems(data) == []
    again = Case.from_json(hostile_case.flowset, data)
    assert again.to_json() == hostile_case.to_json()
    assert again.general_note == hostile_note


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_redaction_everywhere(fixed_case: Case, fmt: str, lang: str) -> None:
    plain = export_case(fixed_case, fmt, lang).decode("utf-8")
    redacted = export_case(fixed_case, fmt, lang, redact=True).decode("utf-8")
    placeholder = "[redacted]" if lang == "en" else "[borttaget]"
    shown = plain if fmt != "md" else plain.replace("\\", "")
    assert all(value in shown for value in ["Anna Svensson", "R58M12AB", "356938035643809"])
    for value in [*PERSONAL, "Anna"]:
        assert value not in redacted and value.lower() not in redacted.lower()
    assert placeholder in (redacted if fmt != "md" else redacted.replace("\\", ""))
    assert "Åsa Agent" in redacted  # the agent is not the end user


def test_export_language_is_chosen_apart(fixed_case: Case) -> None:
    english = export_case(fixed_case, "txt", "en").decode("utf-8")
    swedish = export_case(fixed_case, "txt", "sv").decode("utf-8")
    assert "Summary" in english and "Restart Company Portal" in english
    assert "Sammanfattning" in swedish and "Starta om Företagsportalen" in swedish


def test_clean_text() -> None:
    assert clean_text("a\x1b[1;31mb\x1b[0mc\x1b]0;title\x07d\u202ee\r\nf\x00") == "abcde\nf"
    assert clean_text("tab\tand\nnewline stay, 🙂 too") == "tab\tand\nnewline stay, 🙂 too"


MARKDOWN_ALPHABET = st.sampled_from(
    [*"\\`*_[]()<>!&|~#@{}:./-+=\"' ;%$^?0123456789aAwWhHtTpPsSmMcoOé🙂\t", "www.", "://", "http", "&amp;"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_ALPHABET, max_size=40).map("".join))
@example("//www.$")  # linkify took a scheme-relative "//www." for a link
def test_any_escaped_line_renders_as_itself(text: str) -> None:
    expected = text.strip()
    rendered = parse(render_markdown(escape(text)))
    assert [tag for tag, _ in rendered.tags] == (["p"] if expected else [])
    assert rendered.all_text.strip() == expected


@pytest.mark.parametrize("group_key", PERSONAL_FIELDS, ids=lambda field: ".".join(field))
def test_every_renderer_hides_each_personal_field_wherever_it_was_typed(
    fixed_case: Case, group_key: tuple[str, str]
) -> None:
    """One personal value, typed into its field and into every free text of the case: each format and
    the replay's redaction hide all of it, so no renderer keeps a list of its own."""
    import datetime as dt

    from wizard.core.case import SearchRecord
    from wizard.core.redact import redactor_for

    group, key = group_key
    for other_group, other_key in PERSONAL_FIELDS:
        setattr(getattr(fixed_case, other_group), other_key, "")
    secret = "Zyxwvut Qwerty" if key == "name" and group == "user" else "ZYX-4242-SECRET"
    setattr(getattr(fixed_case, group), key, secret)
    typed = f"called {secret} back"
    fixed_case.ticket = f"INC {secret}"
    fixed_case.general_note = typed
    fixed_case.escalated_to = typed
    fixed_case.escalation_reason = typed
    fixed_case.session.set_note(typed, position=0)
    fixed_case.record_search(SearchRecord(typed, "en", None, None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    fixed_case.add_feedback(fixed_case.visits[0].ref, "unclear", typed)
    for fmt in ("md", "html", "txt", "json"):
        plain = export_case(fixed_case, fmt, "en").decode("utf-8").replace("\\", "")
        assert secret.split()[0] in plain, fmt  # the case really holds it
        redacted = export_case(fixed_case, fmt, "en", redact=True).decode("utf-8")
        for part in secret.split():
            assert part.lower() not in redacted.lower(), fmt
    assert secret.split()[0] not in redactor_for(fixed_case, "en").text(typed)
