"""docs/flow.schema.json says what the loader accepts: every flow we ship and test with passes it,
and files the loader refuses for their shape are refused by the schema too."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from wizard.core.library import flow_files_in

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "docs" / "flow.schema.json").read_text(encoding="utf-8"))
FLOWS = sorted(flow_files_in(REPO / "flows")) + sorted(
    flow_files_in(REPO / "tests" / "data" / "pack" / "flows")
)
SYNONYMS_SCHEMA = json.loads((REPO / "docs" / "synonyms.schema.json").read_text(encoding="utf-8"))
SYNONYMS = sorted((REPO / "flows").glob("synonyms.*.yaml"))


def as_json(value: Any) -> Any:
    """YAML 1.1 reads an unquoted date as a date; editors (YAML 1.2) and the loader read text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_flows_pass_the_schema(path: Path) -> None:
    jsonschema.validate(as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), SCHEMA)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.pop("entry"),
        lambda f: f["nodes"][0].update(kind="maybe"),
        lambda f: f["nodes"][0].update(colour="red"),
        lambda f: f["nodes"][0]["choices"].pop(),
        lambda f: f["nodes"][-1].update(next="x"),
        lambda f: f.update(id="Not An Id"),
        lambda f: f["nodes"][0]["title"].update(sv=""),
    ],
)
def test_schema_refuses_what_the_loader_refuses(change: Any) -> None:
    flow = as_json(
        yaml.safe_load(
            (REPO / "tests" / "data" / "pack" / "flows" / "shared.yaml").read_text(encoding="utf-8")
        )
    )
    change(flow)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(flow, SCHEMA)


def test_synonyms_schema_is_valid_and_the_shipped_files_pass_it() -> None:
    jsonschema.Draft202012Validator.check_schema(SYNONYMS_SCHEMA)
    assert [path.name for path in SYNONYMS] == ["synonyms.en.yaml", "synonyms.sv.yaml"]
    for path in SYNONYMS:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), SYNONYMS_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"language": "sv", "synonyms": [["ensam"]]}, SYNONYMS_SCHEMA)
