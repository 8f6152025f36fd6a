"""The rules that protect users, each defined once in the core: safe links and personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from wizard.core.case import Case, SearchRecord
from wizard.core.links import is_safe_link
from wizard.core.redact import PERSONAL_FIELDS, personal_values, redact_case_data, redactor_for
from wizard.core.resources import case_schema_file


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://learn.microsoft.com/intune", True),
        ("https://", False),
        ("http://example.com", False),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("HTTPS://example.com", False),
        ("https://example.com/a b", False),
        ("https://example.com/\tx", False),
        ("https://example.com/\n", False),
        (" https://example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_link(url: str | None, safe: bool) -> None:
    assert is_safe_link(url) is safe


@pytest.mark.parametrize(
    "url", ["https://a.example/x", "https://", "http://a", "https://a b", "https://a\tb", "javascript:x"]
)
def test_the_flow_schema_states_the_same_link_rule(url: str) -> None:
    """Editors check flows with docs/flow.schema.json; its https pattern must say what the loader says."""
    import re

    schema = json.loads((case_schema_file().parent / "flow.schema.json").read_text(encoding="utf-8"))
    pattern = schema["$defs"]["https"]["pattern"]
    assert bool(re.search(pattern, url)) is is_safe_link(url)


def test_personal_fields_exist_in_the_case_format_and_on_the_case(fixed_case: Case) -> None:
    """A field renamed in the case format or on the case would silently stop being redacted."""
    schema = json.loads(case_schema_file().read_text(encoding="utf-8"))["properties"]
    for group, key in PERSONAL_FIELDS:
        assert key in schema[group]["properties"], f"{group}.{key}"
        assert isinstance(getattr(getattr(fixed_case, group), key), str), f"{group}.{key}"


def test_personal_values_follow_the_fields(fixed_case: Case) -> None:
    assert personal_values(fixed_case) == fixed_case.personal_values()
    fixed_case.device.imei = "  "
    assert "  " not in personal_values(fixed_case) and len(personal_values(fixed_case)) == 4


def test_case_data_redaction_keeps_the_agent_and_hides_typed_names(fixed_case: Case) -> None:
    fixed_case.record_search(
        SearchRecord("anna svensson cannot enrol", "en", None, None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    )
    data = redact_case_data(fixed_case.to_json(), redactor_for(fixed_case, "sv"))
    for group, key in PERSONAL_FIELDS:
        assert data[group][key] == "[borttaget]"
    assert data["agent"] == "Åsa Agent"
    assert "Anna" not in json.dumps(data, ensure_ascii=False)
    assert data["searches"][0]["query"] == "[borttaget] cannot enrol"
    assert fixed_case.to_json()["user"]["name"] == "Anna Svensson"  # the case itself is untouched
