"""Each rule that protects users or words a document lives in one module; these tests fail when a
second copy appears somewhere else in the package, before it can drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core import labels
from wizard.core.model import Outcome

PACKAGE = Path(__file__).resolve().parents[2] / "wizard"


def sources_holding(text: str) -> list[str]:
    return sorted(
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if text in path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("text", "home"),
    [
        ('"https://"', "wizard/core/links.py"),
        ('startswith("https', None),
        ("startswith('https", None),
        ('"Löst"', "wizard/core/labels.py"),
        ('"Eskalera"', "wizard/core/labels.py"),
        ('"Inte löst"', "wizard/core/labels.py"),
        ('"Fråga"', "wizard/core/labels.py"),
        ("PERSONAL_FIELDS: ", "wizard/core/redact.py"),
        ("PERSONAL_FIELDS = ", None),
        ("[borttaget]", "wizard/core/redact.py"),
    ],
)
def test_a_rule_is_written_in_one_place(text: str, home: str | None) -> None:
    assert sources_holding(text) == ([home] if home else [])


def test_every_catalogue_has_the_same_texts_in_every_language() -> None:
    for catalogue in (
        labels.OUTCOME_NAMES,
        labels.KIND_NAMES,
        labels.SUMMARY_LABELS,
        labels.CASE_LABELS,
        labels.HANDOUT_LABELS,
        labels.MAP_LABELS,
        labels.STATS_LABELS,
    ):
        keys = {lang: set(texts) for lang, texts in catalogue.items()}
        assert set(keys) == {"en", "sv"}
        assert keys["en"] == keys["sv"]


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_handouts_maps_and_summaries_name_outcomes_alike(lang: str) -> None:
    for outcome in Outcome:
        name = labels.outcome_name(lang, outcome)
        assert labels.HANDOUT_LABELS[lang][outcome.value] == name
        assert labels.MAP_LABELS[lang][outcome.value] == name
    for kind, name in labels.KIND_NAMES[lang].items():
        assert labels.HANDOUT_LABELS[lang][kind] == labels.MAP_LABELS[lang][kind] == name
    assert labels.SUMMARY_LABELS[lang]["resolved"] == labels.outcome_name(lang, Outcome.RESOLVED)


def test_unknown_language_falls_back_to_english() -> None:
    assert labels.labels_for(labels.CASE_LABELS, "xx") is labels.CASE_LABELS["en"]


@pytest.mark.parametrize("name", ["Resolved", "Escalate", "Not resolved", "Question"])
def test_the_window_translates_each_outcome_and_kind_in_one_table(name: str) -> None:
    """tr("Resolved") in a second widget would be a second translation to keep in step."""
    found = [
        path
        for path in sources_holding(f'"{name}")')
        if path.startswith("wizard/ui/") and path != "wizard/ui/names.py"
    ]
    assert found == []
