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


def _short_id(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return "n" + text


def write_limit_flow(directory: Path, nodes: int | None = None, flow_id: str = "limit") -> Path:
    """One flow as large as the loader accepts (MAX_FILE_BYTES, MAX_EXPANDED_NODES), or of `nodes`
    nodes: short nodes in flow style, a question with two answers every tenth node, the rest
    information nodes in a chain, as a probe of the limits would write it (about 27,000 nodes)."""
    from wizard.core.loader import MAX_EXPANDED_NODES, MAX_FILE_BYTES

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{flow_id}.yaml"
    head = [
        f"id: {flow_id}",
        "version: 1",
        "title: {sv: Gränsfall, en: At the limit}",
        "description: {sv: Så stort som en flödesfil får vara, en: As large as a flow file may be}",
        "platforms: [general]",
        "entry: n0",
        "nodes:",
    ]
    lines = list(head)
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    yaml_nodes = 20  # the head's
    count = 0
    while nodes is None or count < nodes - 1:
        here, following, skip = _short_id(count), _short_id(count + 1), _short_id(count + 2)
        if count % 10 == 0:
            line = (
                f"- {{id: {here}, kind: question, title: {{sv: Fråga {here}, en: Question {here}}}, choices: ["
                f"{{label: {{sv: Ja, en: 'Yes'}}, next: {following}}}, {{label: {{sv: Nej, en: 'No'}}, next: {skip}}}]}}"
            )
            cost = 29
        else:
            line = f"- {{id: {here}, kind: info, title: {{sv: Info {here}, en: Info {here}}}, next: {following}}}"
            cost = 13
        ends = 2 * len(f"- {{id: {skip}, kind: end, outcome: resolved, title: {{sv: Klart, en: Done}}}}\n")
        grown = size + len(line.encode("utf-8")) + 1 + ends
        if nodes is None and (grown > MAX_FILE_BYTES or yaml_nodes + cost + 26 > MAX_EXPANDED_NODES * 0.98):
            break
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
        yaml_nodes += cost
        count += 1
    lines.append(
        f"- {{id: {_short_id(count)}, kind: end, outcome: resolved, title: {{sv: Klart, en: Done}}}}"
    )
    if (count - 1) % 10 == 0:  # the last node is a question: its second answer needs a node too
        lines.append(
            f"- {{id: {_short_id(count + 1)}, kind: end, outcome: resolved, title: {{sv: Slut, en: End}}}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
