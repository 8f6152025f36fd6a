"""The command line, in process against a known pack, and once as a real subprocess."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from wizard import __version__, cli
from wizard.store import paths


@pytest.fixture(autouse=True)
def builtin_is_the_test_pack(monkeypatch: pytest.MonkeyPatch, pack_dir: Path) -> None:
    monkeypatch.setattr(paths, "builtin_flows_dir", lambda: pack_dir)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--strict")
    assert code == 0 and out == ""
    assert "2 file(s) checked: 0 error(s), 0 warning(s)" in err


def test_validate_reports_path_line_column(
    tmp_path: Path, pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (pack_dir / "shared.yaml")
        .read_text(encoding="utf-8")
        .replace("id: shared", "id: mine")
        .replace("next: demo#done", "next: demo#dnoe")
    )
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{bad}:13:15: ") and "did you mean 'done'" in line


def test_validate_strict_fails_on_warnings(
    tmp_path: Path, pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (pack_dir / "shared.yaml").read_text(encoding="utf-8").replace("id: shared", "id: mine")
    text += '  - id: orphan\n    kind: end\n    outcome: resolved\n    title: {sv: "O", en: "O"}\n'
    flow = tmp_path / "mine.yaml"
    flow.write_text(text, encoding="utf-8")
    assert run(capsys, "validate", str(flow))[0] == 0
    code, out, _ = run(capsys, "validate", "--strict", str(flow))
    assert code == 1 and "warning: node 'orphan' cannot be reached" in out


def test_validate_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "no/such/file.yaml")
    assert code == 1 and "no such file or directory" in err


def test_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "80cf0437", "--json", "--lang", "sv")
    hits = json.loads(out)
    assert code == 0
    assert hits[0] == {
        **hits[0],
        "flow": "demo",
        "node": "android-steps",
        "title": "Starta om Företagsportalen",
    }
    assert {"flow", "node", "title", "score"} <= set(hits[0])


def test_search_text_and_no_hits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "DeviceCapReached")
    assert code == 0 and "demo#android-steps" in out.splitlines()[0]
    code, out, err = run(capsys, "search", "zebra")
    assert code == 1 and "no hits" in err


def test_flows_json_and_override_by_environment(
    tmp_path: Path, pack_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "flows", "--json")
    rows = json.loads(out)
    assert code == 0 and [row["id"] for row in rows] == ["demo", "shared"]
    assert rows[0]["nodes"] == 5 and rows[0]["platforms"] == ["general"]
    org = tmp_path / "org"
    org.mkdir()
    (org / "shared.yaml").write_text(
        (pack_dir / "shared.yaml")
        .read_text(encoding="utf-8")
        .replace('en: "Shared check"', 'en: "Our check"'),
        encoding="utf-8",
    )
    monkeypatch.setenv("WIZARD_FLOWS_PATH", str(org))
    rows = json.loads(run(capsys, "flows", "--json")[1])
    shared = next(row for row in rows if row["id"] == "shared")
    assert shared["title"] == "Our check" and shared["directory"] == str(org)


def test_usage_errors_are_short(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["search", "company", "portal"], ["flows"]])
def test_an_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, "--lang", "xx")
    assert code == 2 and out == ""
    assert err == f"troubleshooting-wizard {command[0]}: --lang xx: the flows have sv, en\n"
    assert run(capsys, *command, "--lang", "sv")[0] == 0


def test_version_as_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip() == f"troubleshooting-wizard {__version__}"


def test_bad_file_never_gives_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{bad}:0:0: file is binary" in result.stdout


def test_parser_choices_match_the_exporters() -> None:
    import wizard.export
    from wizard.cli import export

    assert export.FORMATS == wizard.export.FORMATS
    assert export.EXPORT_LANGUAGES == wizard.export.EXPORT_LANGUAGES


def test_starting_imports_no_exporter_and_no_yaml() -> None:
    """`--version` and the window start should not pay for what they do not use."""
    code = "import sys, wizard.cli; print(sorted(m for m in sys.modules if m.startswith(('wizard.export', 'wizard.core', 'yaml', 'PySide6'))))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_every_command_returns_the_shared_exit_codes() -> None:
    """No command spells an exit code as a bare number: they all come from wizard.cli.common.Exit."""
    import re

    from wizard.cli import COMMAND_MODULES

    folder = Path(cli.__file__).parent
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\breturn [0-9]+\b", source), path.name
        assert "EXIT_" not in source, path.name
    for name in COMMAND_MODULES.values():
        module = __import__(name, fromlist=["register", "run"])
        assert callable(module.register) and callable(module.run), name


def test_each_command_module_registers_the_name_it_is_listed_under() -> None:
    for name, module_name in cli.COMMAND_MODULES.items():
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        importlib.import_module(module_name).register(commands)
        assert list(commands.choices) == [name]


@pytest.mark.parametrize(
    ("argv", "registered"),
    [
        ([], []),
        (["--lang", "sv", "--presentation"], []),
        (["--flow", "validate", "--node", "map"], []),  # values, not commands
        (["--flow=windows", "--smoke-test"], []),
        (["export", "--format", "md", "x.json"], ["export"]),
        (["--lang", "en", "search", "0x80180014"], ["search"]),
        (["--help"], list(cli.COMMAND_MODULES)),
        (["no-such-command"], list(cli.COMMAND_MODULES)),
    ],
)
def test_only_the_commands_a_line_uses_are_registered(argv: list[str], registered: list[str]) -> None:
    commands = next(
        action for action in cli.build_parser(argv)._actions if isinstance(action, argparse._SubParsersAction)
    )
    assert list(commands.choices) == registered


def test_opening_the_window_imports_no_command_module() -> None:
    code = (
        "import sys, wizard.cli; wizard.cli.build_parser(['--lang', 'sv']).parse_args(['--lang', 'sv']); "
        "print(sorted(m for m in sys.modules if m.startswith(('wizard.cli.', 'wizard.stats'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "['wizard.cli.app', 'wizard.cli.common']"


def test_a_word_that_is_no_command_is_refused_with_the_commands_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["valdate"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'valdate'" in error and "'validate'" in error and "'stats'" in error


def test_a_command_plugs_in_with_one_registration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A module anywhere (e.g. wizard.stats.cli) with register() and run() becomes a command by one
    entry in COMMAND_MODULES (its name and module); nothing else in the package changes."""
    (tmp_path / "greeting_command.py").write_text(
        "from wizard.cli.common import Exit\n"
        "def register(commands):\n"
        "    parser = commands.add_parser('greet', help='say hello')\n"
        "    parser.add_argument('name')\n"
        "    parser.set_defaults(run=run)\n"
        "def run(args):\n"
        "    print(f'hello {args.name}')\n"
        "    return Exit.OK\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "COMMAND_MODULES", {**cli.COMMAND_MODULES, "greet": "greeting_command"})
    assert cli.main(["greet", "Åsa"]) == 0
    assert capsys.readouterr().out == "hello Åsa\n"
    assert cli.main(["validate", "--strict"]) == 0  # the others are still there
