"""The search's tuning set (tests/data/search_queries.yaml) against the built-in flows.

At least 95 % of the queries must have a right node in the top 3; every miss is printed, so a change
that loses one shows which. The held-out set (search_heldout.yaml) is only measured, never required:
its figure comes from benchmarks/bench_search.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from wizard.core.library import load_library
from wizard.core.search import SearchIndex
from wizard.store.paths import builtin_flows_dir

DATA = Path(__file__).resolve().parents[1] / "data"
REQUIRED_TOP3 = 0.95


def load_queries(name: str) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["queries"]
    return queries


def answered(index: SearchIndex, entry: dict[str, Any]) -> tuple[bool, list[str]]:
    """Whether the query is answered as its entry expects, and the top 3 for the report."""
    answer = index.answer(entry["query"], lang=entry["lang"])
    top3 = [str(hit.ref) for hit in answer.hits[:3]]
    if entry.get("unknown_code"):
        return bool(answer.unknown_codes) and not answer.confident, top3
    return bool(set(top3) & set(entry["expect"])), top3


@pytest.fixture(scope="module")
def builtin_index() -> SearchIndex:
    return SearchIndex(load_library([builtin_flows_dir()]).flowset)


def test_query_sets_are_as_documented() -> None:
    tuning = load_queries("search_queries.yaml")
    held_out = load_queries("search_heldout.yaml")
    assert len(tuning) >= 80 and len(held_out) == 20
    for queries in (tuning, held_out):
        langs = [entry["lang"] for entry in queries]
        assert abs(langs.count("sv") - langs.count("en")) <= 2
    assert not {e["query"] for e in tuning} & {e["query"] for e in held_out}


def test_tuning_set_top3(builtin_index: SearchIndex) -> None:
    queries = load_queries("search_queries.yaml")
    misses = []
    for entry in queries:
        good, top3 = answered(builtin_index, entry)
        if not good:
            misses.append(
                f"{entry['lang']} {entry['query']!r}: expected {entry.get('expect', 'unknown code')}, got {top3}"
            )
    share = 1 - len(misses) / len(queries)
    print(f"top-3: {share:.1%} of {len(queries)}", *misses, sep="\n  ")
    assert share >= REQUIRED_TOP3, "\n".join(misses)


@pytest.mark.parametrize(
    ("query", "lang", "first"),
    [
        ("kan inte synka iphone", "sv", "ios#inactive-devices"),
        ("datorn är redan registrerad", "sv", "windows#already-enrolled"),
        ("proxyinställningar saknas", "sv", "error-codes#proxy-not-configured"),
        ("företagsnamnet har å ä ö", "sv", "general#special-characters"),
        ("apple push-certifikatet har gått ut", "sv", "ios#apns-certificate-not-valid"),
        ("Galaxy phone shows unhealthy", "en", "android#samsung-check-in"),
        ("enrollment blocked by proxy", "en", "error-codes#proxy-not-configured"),
    ],
)
def test_the_issues_table_lands_first(builtin_index: SearchIndex, query: str, lang: str, first: str) -> None:
    assert str(builtin_index.answer(query, lang=lang).hits[0].ref) == first


def test_a_typo_of_an_identifier_is_found_and_called_similar(builtin_index: SearchIndex) -> None:
    hits = builtin_index.answer("devicecapreched", lang="en").hits
    assert {str(hit.ref) for hit in hits[:2]} == {"ios#device-cap-reached", "general#device-cap"}
    assert "similar word" in hits[0].why
    exact = builtin_index.answer("devicecapreached", lang="en").hits[0]
    assert exact.score > hits[0].score and "identifier" in exact.why


def test_an_unknown_code_says_so_with_its_family(builtin_index: SearchIndex) -> None:
    answer = builtin_index.answer("0x80CF0999", lang="sv")
    assert not answer.confident and [u.family for u in answer.unknown_codes] == ["0x80CF"]
    nearest = [known.code.upper() for known in answer.unknown_codes[0].nearest]
    assert nearest and all(code.startswith("0X80CF") for code in nearest)
    assert nearest[0] == "0X80CF0440"  # the closest number of the family
    assert [str(ref) for ref in answer.ways_on] == ["start#platform", "general#escalate"]
    lonely = builtin_index.answer("0x80180014", lang="en")
    assert lonely.unknown_codes[0].nearest == () and lonely.ways_on


def test_free_text_without_a_good_hit_offers_did_you_mean_and_a_way_on(builtin_index: SearchIndex) -> None:
    answer = builtin_index.answer("zebrafink kalibrering", lang="sv")
    assert answer.hits == [] and not answer.confident
    assert [str(ref) for ref in answer.ways_on] == ["start#platform", "general#escalate"]
    guess = builtin_index.answer("certifikaaat zzzzqqq", lang="sv")
    assert guess.hits and not guess.confident  # half the words matched: shown, but not trusted
    assert guess.suggestions == ("certifikat zzzzqqq",) and guess.ways_on


def test_a_known_code_is_never_called_unknown(builtin_index: SearchIndex) -> None:
    answer = builtin_index.answer("0x80cf0437", lang="en")
    assert answer.confident and not answer.unknown_codes
    assert str(answer.hits[0].ref) == "error-codes#clock" and answer.hits[0].why[0] == "error code"
