"""docs/examples/case-*.json: real walks of the built-in flows, valid, importable, and up to date with
scripts/make_example_cases.py (run it after changing the flows or the case format)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from wizard.core.case import Case
from wizard.core.model import FlowSet, Outcome
from wizard.export.json_case import schema_problems

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_example_cases", REPO / "scripts" / "make_example_cases.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_are_up_to_date(builtin_flowset: FlowSet) -> None:
    built = load_script().build(builtin_flowset)
    assert sorted(built) == sorted(path.name for path in EXAMPLES.glob("case-*.json"))
    for name, text in built.items():
        assert (EXAMPLES / name).read_text(encoding="utf-8") == text, (
            f"{name} is out of date: run python scripts/make_example_cases.py"
        )


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("case-*.json")), ids=lambda p: p.name)
def test_examples_are_valid_cases(path: Path, builtin_flowset: FlowSet) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert schema_problems(data) == []
    case = Case.from_json(builtin_flowset, data)
    assert case.to_json() == data and case.is_finished and case.flow_changes(data["flows"]) == []


def example(name: str, flowset: FlowSet) -> Case:
    return Case.from_json(flowset, json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def test_the_three_walks(builtin_flowset: FlowSet) -> None:
    samsung = example("case-android-samsung-resolved.json", builtin_flowset)
    assert samsung.outcome is Outcome.RESOLVED and samsung.device.platform == "Android"
    assert samsung.session.audit and samsung.session.audit[0].reason == "answer changed"
    ios = example("case-ios-vpp-escalated.json", builtin_flowset)
    assert ios.outcome is Outcome.ESCALATE
    assert "Väntar på slutlig konfiguration" in ios.visits[2].note  # the Swedish notes
    assert "VPP" in " ".join(row.title for row in ios.path_rows("en"))
    windows = example("case-windows-0x8007064c.json", builtin_flowset)
    assert windows.outcome is Outcome.RESOLVED and "0x8007064c" in windows.error_codes()
