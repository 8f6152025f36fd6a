"""Generates large, valid flow sets that look like real ones (two languages, codes, steps, links)."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

_WORD = re.compile(r"[^\W\d_]{2,}")


def _vocabulary() -> dict[str, tuple[list[str], list[int]]]:
    """Words of the built-in flows with how often each occurs, per language: generated text then
    has the word frequencies of real content (a few very common words, a long tail of rare ones)."""
    counts: dict[str, Counter[str]] = {"sv": Counter(), "en": Counter()}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in counts and isinstance(item, str):
                    counts[key].update(word.lower() for word in _WORD.findall(item))
                else:
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in sorted((Path(__file__).resolve().parents[1] / "flows").glob("*.yaml")):
        collect(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {lang: (list(counter), list(counter.values())) for lang, counter in counts.items()}


VOCABULARY = _vocabulary()


def _sentence(rng: random.Random, lang: str, length: int) -> str:
    words, weights = VOCABULARY[lang]
    return " ".join(rng.choices(words, weights, k=length)).capitalize() + "."


def _text(rng: random.Random, length: int) -> dict[str, str]:
    return {"sv": _sentence(rng, "sv", length), "en": _sentence(rng, "en", length)}


def generate_flow(flow_index: int, node_count: int, rng: random.Random) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    for i in range(node_count):
        base: dict[str, Any] = {"id": f"n{i}", "title": _text(rng, 5), "section": f"section-{i % 17}"}
        if i >= node_count - 3:
            outcome = ["resolved", "escalate", "not_resolved"][i - (node_count - 3)]
            end = {**base, "kind": "end", "outcome": outcome}
            if outcome == "escalate":
                end |= {"escalate_to": _text(rng, 2), "reason": _text(rng, 6)}
            nodes.append(end)
            continue
        later = [f"n{j}" for j in range(i + 1, node_count)]
        kind = ["question", "steps", "info"][i % 3]
        node = {**base, "kind": kind, "body": _text(rng, 25)}
        if kind == "question":
            node["choices"] = [
                {
                    "label": {
                        "sv": f"Val {k} {_sentence(rng, 'sv', 2)}",
                        "en": f"Choice {k} {_sentence(rng, 'en', 2)}",
                    },
                    "next": target,
                }
                for k, target in enumerate(rng.sample(later, min(3, len(later))), 1)
            ]
        else:
            node["next"] = later[0]
        if kind == "steps":
            node["steps"] = [{"text": _text(rng, 10), "command": f"cmd-{i}-{k}"} for k in range(3)]
        if i % 4 == 0:
            node["error_codes"] = [f"0x{rng.randrange(0x80000000, 0x80FFFFFF):08X}"]
            node["error_ids"] = [f"Error{flow_index}x{i}"]
            node["messages"] = [_text(rng, 8)]
        if i % 5 == 0:
            node["callouts"] = [{"kind": "note", "text": _text(rng, 12)}]
            node["links"] = [{"url": f"https://example.com/{flow_index}/{i}", "label": _text(rng, 3)}]
        nodes.append(node)
    return {
        "id": f"gen-{flow_index}",
        "version": 1,
        "title": _text(rng, 4),
        "description": _text(rng, 10),
        "platforms": ["general"],
        "entry": "n0",
        "reviewed": "2026-11-26",
        "nodes": nodes,
    }


def write_flow_set(directory: Path, total_nodes: int, nodes_per_flow: int = 100, seed: int = 7) -> list[Path]:
    """Write `total_nodes` nodes as flows of `nodes_per_flow` nodes each; returns the files."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for flow_index in range(max(1, total_nodes // nodes_per_flow)):
        path = directory / f"gen-{flow_index:04d}.yaml"
        flow = generate_flow(flow_index, nodes_per_flow, rng)
        path.write_text(
            yaml.safe_dump(flow, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8"
        )
        files.append(path)
    return files
