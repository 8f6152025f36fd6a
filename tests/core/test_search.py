"""Search: error codes, identifiers, message phrases and words, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core.library import load_library
from wizard.core.search import SearchIndex, fold, normalize_code


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    pack = Path(__file__).resolve().parents[1] / "data" / "pack" / "flows"
    return SearchIndex(load_library([pack]).flowset)


def first(index: SearchIndex, query: str) -> str:
    hits = index.search(query)
    assert hits, f"no hit for {query!r}"
    return str(hits[0].ref)


@pytest.mark.parametrize("query", ["0x80CF0437", "0x80cf0437", "80CF0437", "80cf0437", " 0X80CF0437 "])
def test_codes_in_any_case_with_or_without_0x(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "demo#android-steps"
    assert index.search(query)[0].reason.startswith("error code")


@pytest.mark.parametrize(
    "query", ["hr 0x8007064c", "0x8007064C", "8007064c", "Registreringsloggen visar hr 0x8007064c"]
)
def test_hr_codes(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "demo#android-steps"


def test_identifiers_exact_any_case_and_prefix(index: SearchIndex) -> None:
    assert first(index, "DeviceCapReached") == "demo#android-steps"
    assert first(index, "devicecapreached") == "demo#android-steps"
    assert first(index, "DeviceCap") == "demo#android-steps"
    assert first(index, "NoEnrollmentPolicy") == "demo#ios-info"


@pytest.mark.parametrize(
    "query",
    [
        "inte tillgänglig för tillfället",
        "Företagsportalen är inte tillgänglig",
        "temporarily unavailable",
        "Company Portal is temporarily",
    ],
)
def test_message_phrases_in_both_languages(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "demo#android-steps"
    assert index.search(query)[0].reason == "message"


@pytest.mark.parametrize(
    "query", ["företagsportalen", "foretagsportalen", "FÖRETAGSPORTALEN", "företagsport"]
)
def test_swedish_letters_folded_and_unfolded(index: SearchIndex, query: str) -> None:
    assert first(index, query) == "demo#android-steps"


def test_words_rank_titles_over_bodies(index: SearchIndex) -> None:
    hits = index.search("licence")
    assert str(hits[0].ref) == "shared#check"


def test_no_hits_and_empty_query(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zebra") == []


def test_hits_as_json(index: SearchIndex) -> None:
    hit = index.search("0x80CF0437")[0].as_dict("sv")
    assert hit["flow"] == "demo" and hit["node"] == "android-steps"
    assert hit["title"] == "Starta om Företagsportalen"
    assert hit["score"] > 0


def test_fold_and_normalize() -> None:
    assert fold("Åtgärda ÄNDRING Över") == "atgarda andring over"
    assert normalize_code("hr 0x8007064c") == "8007064c"
    assert normalize_code("0x00240005") == "240005"
    assert normalize_code("0xAB2") == "ab2"
    assert normalize_code("cafe") is None  # a word, not a code
    assert normalize_code("hello") is None
