"""`search` on the command line over the built-in flows: why each hit matched, and no dead end."""

from __future__ import annotations

import json

import pytest

from wizard import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_hits_carry_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "kan", "inte", "synka", "iphone", "--lang", "sv", "--json")
    entries = json.loads(out)
    assert code == 0 and entries[0]["kind"] == "node"
    assert (entries[0]["flow"], entries[0]["node"]) == ("ios", "inactive-devices")
    assert entries[0]["why"] == ["keyword", "words", "platform"]


def test_an_unknown_code_is_answered_with_its_family_and_a_way_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "0x80CF0999", "--json")
    entries = json.loads(out)
    assert code == 1
    assert entries[0]["kind"] == "unknown-code" and entries[0]["family"] == "0x80CF"
    assert entries[0]["nearest"][0] == {
        "code": "0x80cf0440",
        "flow": "error-codes",
        "node": "endpoint-terminated",
    }
    ways = [(e["flow"], e["node"]) for e in entries if e["kind"] == "way-on"]
    assert ways == [("start", "platform"), ("general", "escalate")]
    code, out, _ = run(capsys, "search", "0x80180014", "--lang", "sv")
    assert code == 1 and "0x80180014: not in the flows; known codes of family 0x8018: none" in out
    assert "way on: start#platform" in out


def test_words_without_a_good_hit_offer_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "certifikaaat", "zzzzqqq", "--lang", "sv")
    assert code == 1 and "did you mean: certifikat zzzzqqq" in out and "way on: general#escalate" in out
