"""`export` and `import` on the command line, with the real built-in flows and the shipped examples."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from wizard import cli
from wizard.store.cases import CaseStore

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "docs" / "examples").glob("case-*.json"))
WINDOWS = REPO / "docs" / "examples" / "case-windows-0x8007064c.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def broken(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    data = json.loads(WINDOWS.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_import_stores_the_case_and_prints_its_id(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(example))
    case_id = json.loads(example.read_text(encoding="utf-8"))["id"]
    assert (code, out, err) == (0, f"{case_id}\n", "")
    with CaseStore() as store:
        assert store.load_data(case_id) == json.loads(example.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "import", str(example))
    assert code == 0 and "replaced the saved case with the same id" in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["user"].update(upn=42), "user.upn: 42 is not of type 'string'"),
        (lambda d: d["session"]["visits"][2].pop("entered_at"), "session.visits[2]: 'entered_at' is missing"),
        (
            lambda d: d["session"]["visits"][0].update(entered_at="tuesday"),
            "session.visits[0].entered_at: 'tuesday' is not valid: an ISO 8601 time",
        ),
        (
            lambda d: d.update(colour="red"),
            "(the whole file): unknown field(s) not allowed ('colour' was unexpected)",
        ),
        (lambda d: d.update(format=2), "format: 1 was expected"),
        (lambda d: d.update(id="X"), "id: 'X' is not valid: TW-, the UTC date and time"),
        (
            lambda d: d["session"]["visits"][3].update(node="no-such-node"),
            "session: the saved walk passes node 'windows#no-such-node', which the loaded flows no longer have",
        ),
    ],
)
def test_import_says_which_field_and_why(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    path = broken(tmp_path, change)
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert f"{path}: {message}" in err, err
    with CaseStore() as store:
        assert store.count() == 0


def test_import_reports_every_problem_and_bad_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(tmp_path, lambda d: d.update(ticket=1, agent=None))
    code, _, err = run(capsys, "import", str(path))
    assert code == 1 and err.splitlines() == [
        f"{path}: agent: None is not of type 'string'",
        f"{path}: ticket: 1 is not of type 'string'",
    ]
    path.write_text('{"kind": ', encoding="utf-8")
    code, _, err = run(capsys, "import", str(path))
    assert code == 1 and err.startswith(f"{path}: line 1 column 10: not valid JSON")
    code, _, err = run(capsys, "import", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read the file: No such file or directory" in err


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
def test_export_each_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out_path = tmp_path / f"case.{fmt}"
    code, out, err = run(capsys, "export", str(WINDOWS), "--format", fmt, "--lang", "sv", "-o", str(out_path))
    assert (code, out, err) == (0, "", "")
    text = out_path.read_text(encoding="utf-8")
    assert "Ahmed Karimi" in text
    if fmt != "json":
        assert "Datorn har redan registrerats" in text
    else:
        assert json.loads(text) == json.loads(WINDOWS.read_text(encoding="utf-8"))


def test_export_redacted_to_stdout_with_format_from_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", str(WINDOWS), "--format", "txt", "--redact", "-o", "-")
    assert code == 0 and "[redacted]" in out and "Ahmed" not in out and "PF3K9X2A" not in out
    target = tmp_path / "out.md"
    assert run(capsys, "export", str(WINDOWS), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Case TW-")


def test_export_a_saved_case_by_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case_id = run(capsys, "import", str(WINDOWS))[1].strip()
    code, out, _ = run(capsys, "export", case_id, "--format", "md", "-o", "-")
    assert code == 0 and out.startswith(f"# Case {case_id}")
    code, _, err = run(capsys, "export", "TW-20000101-0000-AAA", "--format", "md", "-o", "-")
    assert code == 1 and "no saved case TW-20000101-0000-AAA" in err


def test_export_pdf(qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "case.pdf"
    code, _, err = run(capsys, "export", str(WINDOWS), "--screenshots", "-o", str(target))
    assert code == 0 and err == "" and target.read_bytes().startswith(b"%PDF-")


def test_export_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", str(WINDOWS), "-o", str(tmp_path / "case.docx"))
    assert code == 2 and "say --format" in err
    code, _, err = run(capsys, "export", str(WINDOWS), "--format", "pdf", "-o", "-")
    assert code == 2 and "PDF goes to a file" in err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export", str(WINDOWS), "--format", "docx", "-o", "x"])
    assert exit_info.value.code == 2
    bad = broken(tmp_path, lambda d: d.pop("session"))
    code, _, err = run(capsys, "export", str(bad), "--format", "md", "-o", "-")
    assert code == 1 and "(the whole file): 'session' is missing" in err


def test_import_and_export_as_a_subprocess(tmp_path: Path) -> None:
    env_home = tmp_path / "home"
    command = [sys.executable, "-m", "wizard"]
    env = {"WIZARD_HOME": str(env_home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    imported = subprocess.run(
        [*command, "import", str(WINDOWS)], capture_output=True, text=True, timeout=60, env=env
    )
    assert imported.returncode == 0 and imported.stdout.startswith("TW-")
    bad = broken(tmp_path, lambda d: d.update(started_at=5))
    failed = subprocess.run(
        [*command, "import", str(bad)], capture_output=True, text=True, timeout=60, env=env
    )
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "started_at: 5 is not of type 'string'" in failed.stderr
    target = tmp_path / "case.pdf"
    exported = subprocess.run(
        [*command, "export", str(WINDOWS), "--lang", "sv", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert exported.returncode == 0, exported.stderr
    assert target.read_bytes().startswith(b"%PDF-")


def test_export_and_import_beside_another_process_writing(capsys: pytest.CaptureFixture[str]) -> None:
    """A second, real process holds the write lock: `export ID` still reads the case, `import` says
    the database is busy, and nothing is set aside as if it were damaged."""
    from wizard.store import paths

    code, out, _ = run(capsys, "import", str(WINDOWS))
    case_id = out.strip()
    holder_code = (
        "import sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    database = paths.cases_database()
    with subprocess.Popen(
        [sys.executable, "-c", holder_code, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline() == "locked\n"
            code, out, err = run(capsys, "export", case_id, "--format", "txt", "-o", "-")
            assert (code, err) == (0, "") and f"Case {case_id}" in out and "Ahmed Karimi" in out
            code, out, err = run(capsys, "import", str(WINDOWS))
            assert code == 1 and out == "" and "is busy (locked by another program or window)" in err
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith("cases.sqlite3.")) == []
    code, out, _ = run(capsys, "export", case_id, "--format", "txt", "-o", "-")
    assert code == 0 and "Ahmed Karimi" in out
