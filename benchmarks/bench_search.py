"""Search figures: quality on the query sets, latency on 10,000 nodes, index build, memory.

Run: python benchmarks/bench_search.py [--repeat N]
Every figure is a median next to a baseline measured in the same run: the search as it was before
stems, synonyms, keywords and typo tolerance (benchmarks/search_baseline.py, kept as it was).
The held-out set (tests/data/search_heldout.yaml) is reported as it falls; nothing was tuned on it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from flowgen import write_flow_set  # noqa: E402
from search_baseline import SearchIndex as BaselineIndex  # noqa: E402
from timing import median_ms  # noqa: E402

from wizard.core import search as search_module  # noqa: E402
from wizard.core.library import load_library  # noqa: E402
from wizard.core.search import SearchIndex  # noqa: E402
from wizard.store.paths import builtin_flows_dir  # noqa: E402

QUERIES_10000 = [
    "0x80CF0437",
    "80cf0437",
    "DeviceCapReached",
    "devicecapreched",  # a typo of an identifier
    "företagsportalen",
    "foretagsport",
    "company portal certificate",
    "synkronisera hanteringsprofil",
    "användaren kontrollera licens tjänsten",
    "restart device",
    "kan inte synka iphone",  # synonyms, stems and a platform word
    "registreringsskärmen fastnar",  # a compound the flows do not have
    "certifkatet har gått ut",  # a typo and a synonym phrase
    "enrollment blocked by proxy",
    "0x80180014",  # a code no flow knows
    "zebra",
]

MEMORY_PROBE = """
import gc, os, sys, shutil
sys.path.insert(0, {bench!r})
from pathlib import Path
from wizard.core.library import load_library
from {module} import SearchIndex
def rss_mib():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
gc.collect(); before = rss_mib()
library = load_library([Path({directory!r})])
index = SearchIndex(library.flowset)
for query in {queries!r}:
    index.search(query)
gc.collect(); after = rss_mib()
print(before, after)
"""


def quality(index: Any, name: str, new: bool) -> dict[str, Any]:
    queries = yaml.safe_load((REPO / "tests" / "data" / name).read_text(encoding="utf-8"))["queries"]
    top1 = top3 = 0
    for entry in queries:
        if new:
            answer = index.answer(entry["query"], lang=entry["lang"])
            hits, unknown = answer.hits, bool(answer.unknown_codes) and not answer.confident
        else:
            hits = index.search(entry["query"])
            unknown = not hits  # the old search could only say "no hits"
        refs = [str(hit.ref) for hit in hits[:3]]
        if entry.get("unknown_code"):
            top1 += unknown
            top3 += unknown
        else:
            top1 += bool(refs) and refs[0] in entry["expect"]
            top3 += bool(set(refs) & set(entry["expect"]))
    return {"queries": len(queries), "top1": top1 / len(queries), "top3": top3 / len(queries)}


def memory_above_interpreter(directory: Path, module: str) -> tuple[float, float]:
    code = MEMORY_PROBE.format(
        bench=str(BENCH), directory=str(directory), queries=QUERIES_10000, module=module
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = out.split()
    return float(before), float(after)


def import_ms() -> float:
    """What importing the search (and its two packages) costs a fresh interpreter, at the first search."""
    code = "import time; t = time.perf_counter(); import wizard.core.search; print((time.perf_counter() - t) * 1000)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(runs)


def similar_python(word: str, vocabulary: list[str], allowed: int) -> list[str]:
    """A bounded edit distance in plain Python (length filter, row minimum cut-off): what rapidfuzz replaces."""
    found = []
    for candidate in vocabulary:
        if abs(len(candidate) - len(word)) > allowed:
            continue
        previous = list(range(len(candidate) + 1))
        for i, char in enumerate(word, 1):
            current = [i]
            for j, other in enumerate(candidate, 1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
            if min(current) > allowed:
                break
            previous = current
        else:
            if previous[-1] <= allowed:
                found.append(candidate)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, Any] = {}

    builtin = load_library([builtin_flows_dir()])
    new_index, old_index = SearchIndex(builtin.flowset), BaselineIndex(builtin.flowset)
    for name in ("search_queries.yaml", "search_heldout.yaml"):
        results[name] = {"now": quality(new_index, name, True), "baseline": quality(old_index, name, False)}

    def build_and_first_query() -> None:
        SearchIndex(builtin.flowset).answer("synka", lang="sv")

    results["builtin_index"] = {
        "nodes": builtin.flowset.node_count(),
        "build_ms": median_ms(lambda: SearchIndex(builtin.flowset), args.repeat * 3),
        "build_and_first_query_ms": median_ms(build_and_first_query, args.repeat * 3),
        "baseline_build_ms": median_ms(lambda: BaselineIndex(builtin.flowset), args.repeat * 3),
        "import_search_module_ms": import_ms(),
        "built_at_start": False,  # MainWindow.search_index builds it on the first search
    }

    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary) / "set10000"
        write_flow_set(directory, 10_000)
        for path in builtin_flows_dir().glob("synonyms.*.yaml"):
            shutil.copy(path, directory / path.name)  # everything on: the synonyms too
        big = load_library([directory])
        assert not big.errors, big.errors[:3]
        started = time.perf_counter()
        index = SearchIndex(big.flowset)
        build_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        index.answer("synka", lang="sv")  # builds the stem groups
        first_ms = (time.perf_counter() - started) * 1000
        baseline = BaselineIndex(big.flowset)
        per_query = {
            q: median_ms(lambda q=q: index.answer(q, lang="sv"), args.repeat * 3) for q in QUERIES_10000
        }
        per_query_base = {
            q: median_ms(lambda q=q: baseline.search(q), args.repeat * 3) for q in QUERIES_10000
        }
        now, base = statistics.median(per_query.values()), statistics.median(per_query_base.values())
        results["search_10000"] = {
            "nodes": big.flowset.node_count(),
            "index_build_ms": build_ms,
            "first_query_ms": first_ms,
            "median_query_ms": now,
            "baseline_median_query_ms": base,
            "ratio": now / base,
            "slowest_query_ms": max(per_query.values()),
            "queries": {q: [round(per_query[q], 3), round(per_query_base[q], 3)] for q in QUERIES_10000},
        }
        vocabulary = index._vocabulary
        results["typo_tolerance_10000"] = {
            "vocabulary": len(vocabulary),
            "rapidfuzz_ms": median_ms(
                lambda: search_module._similar("certifkatet", vocabulary), args.repeat * 3
            ),
            "plain_python_ms": median_ms(lambda: similar_python("certifkatet", vocabulary, 2), args.repeat),
        }
        before, after = memory_above_interpreter(directory, "wizard.core.search")
        base_before, base_after = memory_above_interpreter(directory, "search_baseline")
        results["memory_10000"] = {
            "interpreter_mib": before,
            "with_set_and_index_mib": after,
            "above_mib": after - before,
            "baseline_above_mib": base_after - base_before,
        }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
