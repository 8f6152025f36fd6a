"""Property: any valid generated flow set loads without problems, walks to an end and round-trips."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.core.engine import Session
from wizard.core.library import load_library
from wizard.core.model import NodeKind, NodeRef
from wizard.core.search import SearchIndex

# YAML's troublemakers ("no", "null", "0x1F", "~") stand beside ordinary words with å, ä and ö.
TEXT = st.sampled_from(["no", "yes", "null", "0x1F", "~", "Nej: 12"]) | st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ0123456789 .,:;!?'\"#-", min_size=1, max_size=12
).filter(lambda s: s.strip() != "")


def text(draw: st.DrawFn, languages: list[str]) -> dict[str, str]:
    return {lang: draw(TEXT) for lang in languages}


@st.composite
def flow_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    languages = draw(st.sampled_from([["sv", "en"], ["sv", "en", "nb"], ["en"]]))
    flow_count = draw(st.integers(1, 3))
    sizes = [draw(st.integers(2, 10)) for _ in range(flow_count)]
    flows: list[dict[str, Any]] = []
    for f, size in enumerate(sizes):
        nodes: list[dict[str, Any]] = []
        for i in range(size):
            node_id = f"n{i}"
            base = {"id": node_id, "title": text(draw, languages)}
            if i == size - 1:
                nodes.append(
                    {**base, "kind": "end", "outcome": draw(st.sampled_from(["resolved", "not_resolved"]))}
                )
                continue
            forward = [f"n{j}" for j in range(i + 1, size)]
            # A cross-flow target is always forward in flow order, so every path still ends.
            cross = [f"f{g}#n{j}" for g in range(f + 1, flow_count) for j in range(sizes[g])]
            kind = draw(st.sampled_from(["question", "steps", "info"]))
            first = draw(st.sampled_from(forward))
            if kind == "question" or draw(st.booleans()):
                extra = draw(
                    st.lists(
                        st.sampled_from(forward + cross + [f"n{j}" for j in range(i + 1)]),
                        min_size=1,
                        max_size=3,
                    )
                )
                labels = [f"{k} {draw(TEXT)}" for k in range(1 + len(extra))]
                choices = [
                    {"label": {lang: label for lang in languages}, "next": target}
                    for label, target in zip(labels, [first, *extra], strict=True)
                ]
                node = {**base, "kind": kind, "choices": choices}
            else:
                node = {**base, "kind": kind, "next": first}
            if kind == "steps":
                node["steps"] = [{"text": text(draw, languages)} for _ in range(draw(st.integers(1, 3)))]
            if draw(st.booleans()):
                node["error_codes"] = [f"0x{draw(st.integers(0x80000000, 0x80FFFFFF)):08X}"]
            nodes.append(node)
        flows.append(
            {
                "id": f"f{f}",
                "version": 1,
                "title": text(draw, languages),
                "description": text(draw, languages),
                "platforms": ["general"],
                "entry": "n0",
                "nodes": nodes,
            }
        )
    return flows


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(flow_sets(), st.randoms(use_true_random=False))
def test_generated_sets_load_walk_and_round_trip(flows: list[dict[str, Any]], random: Any) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        for flow in flows:
            (directory / f"{flow['id']}.yaml").write_text(
                yaml.safe_dump(flow, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
        library = load_library([directory])
    assert library.errors == [], [str(p) for p in library.errors]
    flowset = library.flowset
    assert len(flowset) == len(flows)
    for flow in flows:  # texts come back exactly as written, "no" and "0x1F" included
        loaded = flowset.flow(flow["id"])
        assert dict(loaded.title.by_lang) == flow["title"]
        assert [node.id for node in loaded.nodes.values()] == [node["id"] for node in flow["nodes"]]

    session = Session(flowset, NodeRef("f0", "n0"))
    for _ in range(500):
        if session.is_finished:
            break
        node = session.current_node
        if node.kind is NodeKind.STEPS and node.steps:
            session.toggle_tick(random.randrange(len(node.steps)))
        session.set_note(f"note {len(session.path)}")
        if node.next is not None:
            session.advance()
        else:
            session.choose(0 if random.random() < 0.5 else random.randrange(len(node.choices)))
        if random.random() < 0.2 and session.can_back():
            session.back()
    while not session.is_finished:  # choice 0 always leads forward, so this ends
        node = session.current_node
        session.advance() if node.next is not None else session.choose(0)
    assert session.current_node.kind is NodeKind.END

    data = json.loads(json.dumps(session.to_json()))
    assert Session.from_json(flowset, data).to_json() == data

    index = SearchIndex(flowset)
    for flow in flows:
        for node in flow["nodes"]:
            for code in node.get("error_codes", []):
                refs = {str(hit.ref) for hit in index.search(code, limit=50)}
                assert f"{flow['id']}#{node['id']}" in refs
