"""`troubleshooting-wizard stats` end to end, and what starting the app does not load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.core.case import Case
from wizard.core.model import FlowSet
from wizard.export.json_case import to_json_text
from wizard.store.cases import CaseStore
from wizard.store.paths import cases_database

from .test_stats import PERSONAL, case_a, case_b, case_c, case_d


@pytest.fixture
def cases(builtin_flowset: FlowSet) -> list[Case]:
    return [
        case_a(builtin_flowset),
        case_b(builtin_flowset),
        case_c(builtin_flowset),
        case_d(builtin_flowset),
    ]


def test_the_report_from_the_store_and_a_folder(
    cases: list[Case], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with CaseStore(cases_database()) as store:
        for case in cases[:2]:
            store.save(case)
    folder = tmp_path / "team"
    folder.mkdir()
    for case in cases[1:]:  # B is in both: counted once
        (folder / f"{case.id}.json").write_text(to_json_text(case, redact=True), encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path / "stats.json"
    code = main(["stats", "--from", str(folder), "--format", "json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["sources"]["cases"] == 4 and data["sources"]["duplicates"] == 1
    assert f"{folder / 'broken.json'}: line 1 column 2: not valid JSON" in err
    assert "Traceback" not in err
    assert "reading cases: 4 of 4" in err  # the progress line, on stderr
    html = tmp_path / "stats.html"
    assert main(["stats", "--from", str(folder), "--no-store", "--lang", "sv", "-o", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "Ärenden per flöde" in page
    for value in PERSONAL:
        assert value.casefold() not in page.casefold()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "30/11"], "--since '30/11' is not a date"),
        (["--since", "2026-12-01", "--until", "2026-11-01"], "is after --until"),
        (["--format", "xlsx"], "invalid choice"),
        (["--flow", "nope"], "no flow 'nope'"),
        (["--from", "/no/such/folder"], "/no/such/folder: no such folder"),
    ],
)
def test_wrong_command_lines_are_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) if "xlsx" in args else _nothing():
        code = main(["stats", *args, "-o", str(tmp_path / "out.json")])
        assert code in (1, 2)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_starting_the_window_loads_no_statistics_and_no_chart_library() -> None:
    code = (
        "import sys, wizard.cli; wizard.cli.build_parser(); import wizard.ui.main_window, wizard.ui.step_view; "
        "print(sorted(m for m in sys.modules if m.startswith(('pygal', 'wizard.stats.core', "
        "'wizard.stats.report', 'wizard.stats.charts'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_a_damaged_database_is_read_as_it_is_and_left_alone(
    cases: list[Case], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Statistics only read: a damaged store is one line, never set aside or repaired by them."""
    database = cases_database()
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(b"this is not an SQLite database" * 100)
    before = sorted(p.name for p in database.parent.iterdir())
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / f"{cases[0].id}.json").write_text(to_json_text(cases[0]), encoding="utf-8")
    out = tmp_path / "stats.json"
    assert main(["stats", "--from", str(folder), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert json.loads(out.read_text(encoding="utf-8"))["sources"]["cases"] == 1
    assert [line for line in err.splitlines() if line.startswith("store")] and "Traceback" not in err
    assert sorted(p.name for p in database.parent.iterdir()) == before
    assert database.read_bytes().startswith(b"this is not an SQLite database")


def test_reading_the_store_writes_nothing_to_it(cases: list[Case], tmp_path: Path) -> None:
    with CaseStore(cases_database()) as store:
        for case in cases:
            store.save(case)
    stamp = cases_database().stat().st_mtime_ns
    out = tmp_path / "stats.csv"
    assert main(["stats", "--format", "csv", "-o", str(out)]) == 0
    assert cases_database().stat().st_mtime_ns == stamp
    assert out.read_bytes().count(b"\r\nday,") == 4  # CSV lines end in CRLF, as spreadsheets expect


def test_a_report_for_one_flow_holds_its_map_with_counts(cases: list[Case], tmp_path: Path) -> None:
    from html.parser import HTMLParser

    with CaseStore(cases_database()) as store:
        for case in cases:
            store.save(case)
    out = tmp_path / "ios.html"
    assert main(["stats", "--flow", "ios", "--lang", "sv", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Flödeskarta med antal" in page and 'id="counts"' in page and "<?xml" not in page

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.names: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.names.append(tag)

    tags = Tags()
    tags.feed(page)
    assert tags.names.count("svg") == 4 and "script" not in tags.names  # three charts and the map
    assert main(["stats", "--lang", "sv", "-o", str(tmp_path / "all.html")]) == 0
    assert 'id="counts"' not in (tmp_path / "all.html").read_text(encoding="utf-8")  # only with --flow
