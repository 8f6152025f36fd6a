"""`source: titles:`: the article's heading of every section a flow names, checked where it is written
and shown instead of the anchor (the step page's source line is tested in tests/ui/test_source_line.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef
from wizard.core.problems import Problem, Severity
from wizard.export.handout import build_handout

FLOW = """\
id: titled
version: 1
title: {sv: "Med rubriker", en: "With headings"}
description: {sv: "Ett flöde med rubriker", en: "A flow with headings"}
platforms: [general]
entry: ask
source:
  url: https://example.com/article
  section: top
  titles:
    top: {sv: "Överst", en: "Top"}
    cap-reached: {sv: "Taket har nåtts", en: "Cap reached"}
nodes:
  - id: ask
    kind: question
    title: {sv: "Fråga", en: "Question"}
    choices:
      - label: {sv: "Ja", en: "Yes"}
        next: done
      - label: {sv: "Nej", en: "No"}
        next: done
  - id: done
    kind: end
    section: cap-reached
    outcome: resolved
    title: {sv: "Klart", en: "Done"}
"""


def load(tmp_path: Path, text: str) -> tuple[FlowSet, list[Problem]]:
    directory = tmp_path / "flows"
    directory.mkdir(exist_ok=True)
    (directory / "titled.yaml").write_text(dedent(text), encoding="utf-8")
    library = load_library([directory])
    return library.flowset, library.problems


def problems_with(problems: list[Problem], fragment: str) -> list[tuple[int, Severity]]:
    return [(p.line, p.severity) for p in problems if fragment in p.message]


def test_titles_are_read_by_anchor_and_in_every_language(tmp_path: Path) -> None:
    flowset, problems = load(tmp_path, FLOW)
    assert problems == []
    flow = flowset.flow("titled")
    done = flow.node("done")
    title = flow.section_title(flow.section_of(done))
    assert title is not None and title.get("sv") == "Taket har nåtts" and title.get("en") == "Cap reached"
    top = flow.section_title(flow.section_of(flow.node("ask")))  # the source's section, by default
    assert top is not None and top.get("en") == "Top"
    assert (
        flow.source is not None
        and flow.source.url_of("cap-reached") == "https://example.com/article#cap-reached"
    )
    assert flow.section_title("nowhere") is None and flow.section_title(None) is None


def test_a_section_without_a_title_is_reported_once_where_it_is_first_named(tmp_path: Path) -> None:
    text = FLOW.replace("    kind: question\n", "    kind: question\n    section: cap-reachd\n").replace(
        "    section: cap-reached\n", "    section: cap-reachd\n"
    )
    _, problems = load(tmp_path, text)
    found = [p for p in problems if "has no title" in p.message]
    assert [(p.line, p.severity) for p in found] == [(16, Severity.WARNING)]  # the first of two nodes
    assert "section 'cap-reachd'" in found[0].message and "did you mean 'cap-reached'?" in found[0].message
    assert str(found[0]).startswith(f"{tmp_path / 'flows' / 'titled.yaml'}:16:14: warning: ")
    # ...and the title nothing names any more is reported at its own line.
    assert problems_with(problems, "the title of section 'cap-reached' is not used") == [
        (12, Severity.WARNING)
    ]


def test_the_sources_own_section_needs_a_title_too(tmp_path: Path) -> None:
    _, problems = load(tmp_path, FLOW.replace('    top: {sv: "Överst", en: "Top"}\n', ""))
    assert problems_with(problems, "section 'top' has no title") == [(9, Severity.WARNING)]


def test_a_title_in_one_language_only_is_an_error(tmp_path: Path) -> None:
    flowset, problems = load(
        tmp_path, FLOW.replace('{sv: "Taket har nåtts", en: "Cap reached"}', '{sv: "Taket"}')
    )
    assert problems_with(problems, "text is missing the en version") == [(12, Severity.ERROR)]
    assert "titled" not in flowset


def test_titles_must_be_keyed_by_anchors_and_hold_texts(tmp_path: Path) -> None:
    text = FLOW.replace("    top: {", '    \'not an anchor\': {sv: "x", en: "x"}\n    top: {')
    _, problems = load(tmp_path, text)
    assert problems_with(
        problems, "'not an anchor' in the section titles of the source is not a section anchor"
    ) == [(11, Severity.ERROR)]
    _, problems = load(tmp_path, FLOW.replace('top: {sv: "Överst", en: "Top"}', 'top: "Överst"'))
    assert problems_with(problems, "the title of section 'top' must give one text per language") == [
        (11, Severity.ERROR)
    ]
    _, problems = load(tmp_path, FLOW.replace("  titles:\n", "  titles: [top]\n  x:\n"))
    assert any("the section titles of the source must be a mapping" in p.message for p in problems)


def test_a_flow_without_a_source_names_sections_freely(tmp_path: Path) -> None:
    start, end = FLOW.index("source:"), FLOW.index("nodes:")
    _, problems = load(tmp_path, FLOW[:start] + FLOW[end:])
    assert problems == []


def test_validate_strict_fails_on_a_missing_title(tmp_path: Path) -> None:
    path = tmp_path / "titled.yaml"
    path.write_text(
        FLOW.replace('    cap-reached: {sv: "Taket har nåtts", en: "Cap reached"}\n', ""), "utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "validate", "--strict", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 1
    assert f"{path}:23:14: warning: section 'cap-reached' has no title" in done.stdout


def test_the_handout_names_sections_by_their_titles(pack_flowset: FlowSet) -> None:
    for lang, part_title, node_title in (
        ("sv", "Inledning", "Android-delen"),
        ("en", "Introduction", "The Android part"),
    ):
        part = build_handout(pack_flowset, "demo", lang).parts[0]
        assert part.section == part_title
        steps = next(node for node in part.nodes if node.ref == NodeRef("demo", "android-steps"))
        assert steps.source is not None
        assert steps.source.label == node_title
        assert steps.source.url == "https://example.com/article#android-part"
