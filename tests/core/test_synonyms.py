"""Synonyms files and node keywords: what the validator says about them, where, and what search does
with them."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from wizard import cli
from wizard.core.library import flow_files_in, load_library
from wizard.core.problems import Problem, Severity
from wizard.core.search import SearchIndex

FLOW = """\
id: tiny
version: 1
title: {sv: "Litet", en: "Tiny"}
description: {sv: "Ett litet flöde", en: "A tiny flow"}
platforms: [ios]
entry: ask
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
    keywords:
      sv: ["luren är död"]
      en: ["handset dead"]
    outcome: resolved
    title: {sv: "Synkroniseringen är klar", en: "Sync complete"}
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems_of(
    tmp_path: Path, synonyms: str, flow: str = FLOW, name: str = "synonyms.sv.yaml"
) -> list[Problem]:
    directory = tmp_path / "flows"
    write(directory, "tiny.yaml", flow)
    write(directory, name, synonyms)
    return load_library([directory]).problems


def located(problems: list[Problem], line: int, fragment: str, severity: Severity = Severity.ERROR) -> None:
    found = [p for p in problems if fragment in p.message and p.severity is severity]
    assert found, [str(p) for p in problems]
    assert found[0].line == line, str(found[0])


def test_a_good_synonyms_file_is_not_a_flow_and_has_no_problems(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path, "language: sv\nplatforms:\n  ios: [iphone]\nsynonyms:\n  - [synka, synkronisera]\n"
    )
    assert problems == []
    assert [path.name for path in flow_files_in(tmp_path / "flows")] == ["tiny.yaml"]


def test_synonyms_problems_are_located(tmp_path: Path) -> None:
    text = """\
    language: en
    platforms:
      phone: [iphone]
    synonyms:
      - [alone]
      - [sync, synkronisera]
      - [sync, synch]
      - "not a list"
    colour: blue
    """
    problems = problems_of(tmp_path, text)
    located(problems, 1, "does not match the file name")
    located(problems, 3, "'phone' is not a platform")
    located(problems, 5, "has one term", Severity.WARNING)
    located(problems, 7, "'sync' is also in the group at line 6", Severity.WARNING)
    located(problems, 8, "must be a list")
    located(problems, 9, "unknown key 'colour'")


def test_synonyms_limits(tmp_path: Path) -> None:
    long_term = "x" * 61
    problems = problems_of(tmp_path, f"language: sv\nsynonyms:\n  - [a, {long_term}]\n")
    located(problems, 3, "longer than 60 characters")
    big = tmp_path / "big"
    write(big, "synonyms.sv.yaml", "language: sv\n# " + "x" * 300_000 + "\n")
    assert "at most 256 KiB" in str(load_library([big]).problems[0])


def test_keywords_problems_are_located(tmp_path: Path) -> None:
    flow = FLOW.replace('      sv: ["luren är död"]', '      xx-!: ["nej"]\n      sv: "not a list"')
    problems = problems_of(tmp_path, "language: sv\n", flow)
    located(problems, 19, "is not a language code")
    located(problems, 20, "must be a list")
    many = FLOW.replace('["luren är död"]', "[" + ", ".join(f"w{i}" for i in range(41)) + "]")
    located(problems_of(tmp_path / "b", "language: sv\n", many), 19, "at most 40")


def test_validate_strict_checks_a_synonyms_file_given_by_path(tmp_path: Path, capsys: object) -> None:
    path = write(tmp_path / "flows", "synonyms.sv.yaml", "language: sv\nsynonyms:\n  - [ensam]\n")
    write(tmp_path / "flows", "tiny.yaml", FLOW)
    assert cli.main(["validate", str(path)]) == 0
    assert cli.main(["validate", "--strict", str(path)]) == 1


def test_search_uses_the_folders_synonyms_keywords_and_platform_words(tmp_path: Path) -> None:
    directory = tmp_path / "flows"
    write(directory, "tiny.yaml", FLOW)
    write(
        directory,
        "synonyms.sv.yaml",
        "language: sv\nplatforms:\n  ios: [lur]\nsynonyms:\n  - [synka, synkroniseringen]\n",
    )
    index = SearchIndex(load_library([directory]).flowset)
    hit = index.answer("synka", lang="sv").hits[0]
    assert str(hit.ref) == "tiny#done" and "synonym" in hit.why
    keyword = index.answer("luren är död", lang="sv").hits[0]
    assert str(keyword.ref) == "tiny#done" and keyword.why[0] == "keyword"
    assert "platform" in index.answer("lur synka", lang="sv").hits[0].why
