"""Golden files: each text format of the fixed case, byte for byte.

After a deliberate change of an exporter, rewrite them with
    python -m pytest tests/export --update-golden
and review the diff of tests/export/golden/ before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wizard.core.case import Case
from wizard.export import export_case

Golden = Callable[[str, str | bytes], None]


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
def test_english(fixed_case: Case, golden: Golden, fmt: str) -> None:
    golden(f"case.en.{fmt}", export_case(fixed_case, fmt, "en"))


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
def test_swedish_redacted(fixed_case: Case, golden: Golden, fmt: str) -> None:
    golden(f"case.sv.redacted.{fmt}", export_case(fixed_case, fmt, "sv", redact=True))


def test_html_with_screenshots(fixed_case: Case, golden: Golden) -> None:
    golden("case.en.screenshots.html", export_case(fixed_case, "html", "en", screenshots=True))
