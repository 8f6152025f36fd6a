"""One test per class of problem the validator reports: the message, and the line it points at."""

from __future__ import annotations

import time
from pathlib import Path
from textwrap import dedent

import pytest

from wizard.core.library import load_library
from wizard.core.problems import Problem, Severity

GOOD = """\
id: tiny
version: 1
title: {sv: "Litet", en: "Tiny"}
description: {sv: "Ett litet flöde", en: "A tiny flow"}
platforms: [general]
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
    outcome: resolved
    title: {sv: "Klart", en: "Done"}
"""


def check(tmp_path: Path, text: str, name: str = "flow.yaml") -> list[Problem]:
    directory = tmp_path / "flows"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(dedent(text), encoding="utf-8")
    return load_library([directory]).problems


def only(problems: list[Problem], severity: Severity = Severity.ERROR) -> list[Problem]:
    return [p for p in problems if p.severity is severity]


def assert_one(
    problems: list[Problem], line: int, *fragments: str, severity: Severity = Severity.ERROR
) -> Problem:
    found = [p for p in only(problems, severity) if all(f in p.message for f in fragments)]
    assert found, f"no {severity} with {fragments}; got: {[str(p) for p in problems]}"
    assert found[0].line == line, str(found[0])
    return found[0]


def test_good_flow_has_no_problems(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD) == []


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    problems = check(
        tmp_path, GOOD.replace('title: {sv: "Fråga", en: "Question"}', 'title: {sv: "Fråga", en: "Question"')
    )
    assert len(problems) == 1
    assert "YAML syntax error" in problems[0].message
    assert 10 <= problems[0].line <= 11


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    problems = check(tmp_path, GOOD.replace("    choices:", "    choises:"))
    problem = assert_one(problems, 11, "unknown key 'choises'", "did you mean 'choices'")
    assert str(problem).startswith(f"{tmp_path / 'flows' / 'flow.yaml'}:11:5: ")


def test_missing_language(tmp_path: Path) -> None:
    problems = check(tmp_path, GOOD.replace('title: {sv: "Klart", en: "Done"}', 'title: {sv: "Klart"}'))
    assert_one(problems, 19, "missing the en version")


def test_norwegian_texts_make_a_third_language(tmp_path: Path) -> None:
    text = GOOD.replace('en: "Tiny"}', 'en: "Tiny", nb: "Liten"}')
    problems = check(tmp_path, text)
    assert all("missing the nb version" in p.message for p in only(problems))
    assert len(only(problems)) == 5  # every other text lacks nb


def test_duplicate_node_id(tmp_path: Path) -> None:
    text = GOOD + '  - id: done\n    kind: end\n    outcome: resolved\n    title: {sv: "X", en: "X"}\n'
    assert_one(check(tmp_path, text), 20, "duplicate node id 'done'", "line 16")


def test_duplicate_key(tmp_path: Path) -> None:
    text = GOOD.replace("version: 1\n", "version: 1\nversion: 2\n")
    assert_one(check(tmp_path, text), 3, "duplicate key 'version'")


def test_duplicate_flow_id_in_one_directory(tmp_path: Path) -> None:
    check(tmp_path, GOOD, "a.yaml")
    problems = check(tmp_path, GOOD, "b.yaml")
    found = [p for p in problems if "already used by a.yaml" in p.message]
    assert found and found[0].path.name == "b.yaml"


def test_reference_to_missing_node(tmp_path: Path) -> None:
    problems = check(
        tmp_path,
        GOOD.replace('next: done\n      - label: {sv: "Nej"', 'next: dnoe\n      - label: {sv: "Nej"'),
    )
    assert_one(problems, 13, "'dnoe'", "did you mean 'done'")


def test_reference_to_missing_flow(tmp_path: Path) -> None:
    problems = check(
        tmp_path, GOOD.replace("        next: done\n      - label", "        next: other#x\n      - label", 1)
    )
    assert_one(problems, 13, "flow 'other', which does not exist")


def test_entry_must_exist(tmp_path: Path) -> None:
    assert_one(
        check(tmp_path, GOOD.replace("entry: ask", "entry: asc")), 6, "entry 'asc'", "did you mean 'ask'"
    )


def test_unreachable_node_is_a_warning(tmp_path: Path) -> None:
    text = GOOD + '  - id: lonely\n    kind: end\n    outcome: resolved\n    title: {sv: "X", en: "X"}\n'
    problems = check(tmp_path, text)
    assert only(problems) == []
    assert_one(problems, 20, "'lonely' cannot be reached", severity=Severity.WARNING)


def test_dead_end(tmp_path: Path) -> None:
    text = GOOD.replace("        next: done\n      - label", "        next: info\n      - label", 1)
    text += '  - id: info\n    kind: info\n    title: {sv: "I", en: "I"}\n'
    assert_one(check(tmp_path, text), 20, "'info' is a dead end")


def test_cycle_with_no_way_out(tmp_path: Path) -> None:
    text = GOOD.replace("        next: done\n      - label", "        next: loop-a\n      - label", 1)
    text += (
        '  - id: loop-a\n    kind: info\n    title: {sv: "A", en: "A"}\n    next: loop-b\n'
        '  - id: loop-b\n    kind: info\n    title: {sv: "B", en: "B"}\n    next: loop-a\n'
    )
    problems = check(tmp_path, text)
    problem = assert_one(problems, 20, "'loop-a' can never reach an end", "loop-a → loop-b → loop-a")
    assert problem.is_error


def test_cycle_with_a_way_out_is_fine(tmp_path: Path) -> None:
    text = GOOD.replace("        next: done\n      - label", "        next: ask\n      - label", 1)
    assert only(check(tmp_path, text)) == []


def test_missing_screenshot(tmp_path: Path) -> None:
    text = GOOD.replace(
        '    title: {sv: "Fråga", en: "Question"}\n',
        '    title: {sv: "Fråga", en: "Question"}\n    screenshots:\n      - image: shots/x.{lang}.svg\n        alt: {sv: "x", en: "x"}\n',
    )
    problems = check(tmp_path, text)
    assert_one(problems, 12, "screenshot 'shots/x.en.svg' does not exist")
    (tmp_path / "resources" / "shots").mkdir(parents=True)
    (tmp_path / "resources" / "shots" / "x.en.svg").write_text("<svg/>")
    (tmp_path / "resources" / "shots" / "x.sv.svg").write_text("<svg/>")
    assert only(check(tmp_path, text)) == []


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("../secret.svg", "points outside the pack"),
        ("/etc/passwd", "absolute path"),
        ("C:/x.svg", "absolute path"),
    ],
)
def test_screenshot_outside_the_pack(tmp_path: Path, image: str, fragment: str) -> None:
    text = GOOD.replace(
        '    title: {sv: "Fråga", en: "Question"}\n',
        f'    title: {{sv: "Fråga", en: "Question"}}\n    screenshots:\n      - image: "{image}"\n        alt: {{sv: "x", en: "x"}}\n',
    )
    assert_one(check(tmp_path, text), 12, fragment)


def test_question_needs_two_choices(tmp_path: Path) -> None:
    text = GOOD.replace('      - label: {sv: "Nej", en: "No"}\n        next: done\n', "")
    assert_one(check(tmp_path, text), 12, "needs at least two choices (it has 1)")


def test_duplicate_choice_labels(tmp_path: Path) -> None:
    text = GOOD.replace('label: {sv: "Nej", en: "No"}', 'label: {sv: "ja", en: "No"}')
    assert_one(check(tmp_path, text), 14, "choices 1 and 2", "same sv label")


def test_yes_and_no_stay_strings(tmp_path: Path) -> None:
    text = GOOD.replace('{sv: "Ja", en: "Yes"}', "{sv: Ja, en: yes}").replace(
        '{sv: "Nej", en: "No"}', "{sv: Nej, en: no}"
    )
    directory = tmp_path / "flows"
    assert check(tmp_path, text) == []
    flow = load_library([directory]).flowset.flow("tiny")
    assert [c.label.get("en") for c in flow.node("ask").choices] == ["yes", "no"]


def test_unquoted_hex_code_stays_as_written(tmp_path: Path) -> None:
    text = GOOD.replace("    kind: end\n", "    kind: end\n    error_codes: [0x80CF0437]\n")
    assert check(tmp_path, text) == []
    flow = load_library([tmp_path / "flows"]).flowset.flow("tiny")
    assert flow.node("done").error_codes == ("0x80CF0437",)


def test_http_link_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        'title: {sv: "Klart", en: "Done"}',
        'title: {sv: "Klart [x](http://a.b)", en: "Done [x](https://a.b)"}',
    )
    assert_one(check(tmp_path, text), 19, "'http://a.b' in the sv text must be an https:// address")


def test_html_tag_is_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace('en: "Done"}', 'en: "<b>Done</b>"}')
    assert_one(check(tmp_path, text), 19, "HTML tag <b>", severity=Severity.WARNING)


def test_wrong_kind_keys(tmp_path: Path) -> None:
    text = GOOD.replace("    outcome: resolved\n", "    outcome: resolved\n    next: ask\n")
    assert_one(check(tmp_path, text), 19, "a end node cannot have 'next'")


def test_escalate_needs_whom(tmp_path: Path) -> None:
    text = GOOD.replace("outcome: resolved", "outcome: escalate")
    problems = check(tmp_path, text)
    assert_one(problems, 16, "does not say to whom")
    assert_one(problems, 16, "without a reason", severity=Severity.WARNING)


def test_steps_node_with_next_and_choices(tmp_path: Path) -> None:
    text = GOOD.replace(
        "kind: question", "kind: steps\n    next: done\n    steps:\n      - text: {sv: s, en: s}"
    )
    assert_one(check(tmp_path, text), 10, "has both next and choices")


def test_bad_ids_and_wrong_types(tmp_path: Path) -> None:
    text = GOOD.replace("id: ask\n", "id: Ask Me\n").replace("version: 1", "version: one")
    problems = check(tmp_path, text)
    assert_one(problems, 2, "version must be a whole number")
    assert_one(problems, 8, "the node id 'Ask Me' is not valid")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        GOOD.replace("    choices:", "    choises:")
        .replace('title: {sv: "Klart"', 'titel: {sv: "Klart"')
        .replace("version: 1", "version: 0")
    )
    messages = [p.message for p in check(tmp_path, text)]
    assert any("choises" in m for m in messages)
    assert any("titel" in m for m in messages)
    assert any("version" in m for m in messages)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("id: tiny\ntitle: café\n".encode("latin-1"), "not UTF-8"),
        (b"- just\n- a list\n", "the flow must be a mapping"),
        (b"[" * 200_000 + b"]" * 200_000, "nests deeper"),  # would crash libyaml's composer
        (b"id: x\nnodes: &a [*a]\n", "a node must be a mapping"),  # an alias inside itself
    ],
)
def test_unusable_files_are_refused_with_a_message(tmp_path: Path, content: bytes, fragment: str) -> None:
    directory = tmp_path / "flows"
    directory.mkdir()
    (directory / "bad.yaml").write_bytes(content)
    problems = load_library([directory]).problems
    assert any(fragment in problem.message for problem in problems), problems
    assert len(problems) <= 6


def test_non_utf8_points_at_the_line(tmp_path: Path) -> None:
    directory = tmp_path / "flows"
    directory.mkdir()
    (directory / "bad.yaml").write_bytes(b"id: x\ntitle: caf\xe9\n")
    (problem,) = load_library([directory]).problems
    assert (problem.line, problem.column) == (2, 11)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    # A small file whose 2,000 nodes all alias one list of 500 steps expands to a million steps.
    head = GOOD.replace(
        "kind: question",
        "kind: steps\n    next: done\n    steps: &many\n" + "      - text: {sv: s, en: s}\n" * 500,
        1,
    )
    head = head.replace(
        '    choices:\n      - label: {sv: "Ja", en: "Yes"}\n        next: done\n      - label: {sv: "Nej", en: "No"}\n        next: done\n',
        "",
        1,
    )
    copies = "".join(
        f"  - {{id: copy-{i}, kind: steps, title: {{sv: c, en: c}}, next: done, steps: *many}}\n"
        for i in range(2000)
    )
    directory = tmp_path / "flows"
    directory.mkdir()
    (directory / "bomb.yaml").write_text(head + copies, encoding="utf-8")
    assert (directory / "bomb.yaml").stat().st_size < 200_000
    started = time.perf_counter()
    problems = load_library([directory]).problems
    assert time.perf_counter() - started < 2.0
    assert [p.message for p in problems if p.is_error] == [
        "YAML aliases expand this file far beyond what a flow needs; remove the anchors (&) and aliases (*)"
    ]


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "flows"
    directory.mkdir()
    (directory / "big.yaml").write_text("# " + "x" * (3 * 1024 * 1024) + "\n")
    (directory / "just-over.yaml").write_text("#" * (2 * 1024 * 1024) + "\n")
    big, just_over = load_library([directory]).problems
    assert big.message.startswith("file is 3.0 MiB (3,145,731 bytes); a flow file may be at most 2 MiB")
    # One byte over the limit reads as over it, not as "2048 KiB; at most 2048 KiB".
    assert just_over.message.startswith("file is 2.0 MiB (2,097,153 bytes); a flow file may be at most 2 MiB")


def test_later_directory_replaces_a_flow_by_id(tmp_path: Path) -> None:
    first, second = tmp_path / "builtin", tmp_path / "org"
    first.mkdir()
    second.mkdir()
    (first / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    (second / "tiny.yaml").write_text(GOOD.replace('en: "Tiny"', 'en: "Our tiny"'), encoding="utf-8")
    library = load_library([first, second])
    assert library.flowset.flow("tiny").title.get("en") == "Our tiny"
    assert library.origin["tiny"] == second


def test_a_broken_flow_takes_its_dependants_out_but_not_the_rest(tmp_path: Path) -> None:
    directory = tmp_path / "flows"
    directory.mkdir()
    (directory / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    broken = GOOD.replace("id: tiny", "id: broken").replace("version: 1", "version: x")
    (directory / "broken.yaml").write_text(broken, encoding="utf-8")
    dependant = GOOD.replace("id: tiny", "id: dependant").replace(
        "        next: done\n      - label", "        next: broken#ask\n      - label", 1
    )
    (directory / "dependant.yaml").write_text(dependant, encoding="utf-8")
    library = load_library([directory])
    assert list(library.flowset.flows) == ["tiny"]
    assert any("flow 'broken', which has errors" in p.message for p in library.errors)


def test_pure_python_yaml_gives_the_same_result(pack_dir: Path) -> None:
    """Where PyYAML was built without libyaml, the pure-Python parser takes over."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['yaml.cyaml'] = None\n"
        "from pathlib import Path\n"
        "from wizard.core import loader\n"
        "from wizard.core.library import load_library\n"
        "assert loader._Parser.__module__ == 'wizard.core.loader', loader._Parser\n"
        f"library = load_library([Path({str(pack_dir)!r})])\n"
        "print(len(library.problems), library.flowset.node_count(), library.flowset.flow('demo').node('android-steps').error_codes)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "0 7 ('0x80CF0437', 'hr 0x8007064c')", result.stderr


BUILTIN = Path(__file__).resolve().parents[2] / "flows"


def user_android(tmp_path: Path, node_id: str) -> Path:
    """A user's own flow reusing the built-in id 'android', with one question node `node_id`."""
    directory = tmp_path / "user"
    directory.mkdir(exist_ok=True)
    text = GOOD.replace("id: tiny", "id: android").replace("entry: ask", f"entry: {node_id}")
    (directory / "android.yaml").write_text(
        text.replace("  - id: ask", f"  - id: {node_id}"), encoding="utf-8"
    )
    return directory


def test_a_flow_shadowing_a_builtin_without_its_linked_nodes_is_refused(tmp_path: Path) -> None:
    user = user_android(tmp_path, "ask")
    library = load_library([BUILTIN, user])
    # The built-ins load as they do alone; nothing is blamed on their files.
    assert library.flowset.flow("android").path == BUILTIN / "android.yaml"
    assert {"start", "initial", "android"} <= set(library.flowset.flows)
    assert all(p.path.parent == user for p in library.problems), [str(p) for p in library.problems]
    refusal = assert_one(library.problems, 1, "flow 'android' would replace", str(BUILTIN / "android.yaml"))
    assert "'symptom'" in refusal.message and "start.yaml:" in refusal.message
    assert "give this flow another id" in refusal.message
    # Validating the file alone (over the built-ins) says the same.
    assert refusal in load_library([BUILTIN], [user / "android.yaml"]).problems


def test_a_flow_shadowing_a_builtin_with_its_linked_nodes_replaces_it(tmp_path: Path) -> None:
    user = user_android(tmp_path, "symptom")
    library = load_library([BUILTIN, user])
    assert library.flowset.flow("android").path == user / "android.yaml"
    assert library.origin["android"] == user and "start" in library.flowset.flows
    assert library.errors == []
    assert_one(
        library.problems,
        1,
        "flow 'android' replaces the one in",
        str(BUILTIN / "android.yaml"),
        severity=Severity.WARNING,
    )


def test_a_broken_flow_shadowing_a_builtin_keeps_the_builtin(tmp_path: Path) -> None:
    user = user_android(tmp_path, "symptom")
    (user / "android.yaml").write_text(
        (user / "android.yaml").read_text(encoding="utf-8").replace("version: 1", "version: x"),
        encoding="utf-8",
    )
    library = load_library([BUILTIN, user])
    assert library.flowset.flow("android").path == BUILTIN / "android.yaml"
    assert {"start", "initial"} <= set(library.flowset.flows)
    assert all(p.path.parent == user for p in library.problems), [str(p) for p in library.problems]
    assert_one(library.problems, 1, "flow 'android' would replace", "it has errors")


def test_validating_a_builtin_file_itself_is_no_shadowing() -> None:
    library = load_library([BUILTIN], [BUILTIN / "android.yaml"])
    assert not [p for p in library.problems if "replace" in p.message]
