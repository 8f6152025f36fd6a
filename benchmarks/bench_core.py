"""Core figures: loading, validating and searching flows, and the memory a large set takes.

Run: python benchmarks/bench_core.py [--repeat N]
Each figure is a median over repeats, next to a baseline measured in the same run on the same files
(parsing them with PyYAML's C safe loader and nothing else), because shared machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flowgen import write_flow_set
from timing import median_ms

from wizard.core.library import load_library
from wizard.core.search import SearchIndex
from wizard.store.paths import builtin_flows_dir


def parse_only(directory: Path) -> None:
    for path in sorted(directory.glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


MEMORY_PROBE = """
import gc, sys
sys.path.insert(0, {bench!r})
from pathlib import Path
import yaml
from wizard.core.library import load_library
from wizard.core.search import SearchIndex
def rss_mib():
    with open('/proc/self/statm') as f:
        import os
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
gc.collect(); before = rss_mib()
library = load_library([Path({directory!r})])
index = SearchIndex(library.flowset)
gc.collect(); after = rss_mib()
print(before, after, library.flowset.node_count())
"""


def memory_above_interpreter(directory: Path) -> tuple[float, float, int]:
    code = MEMORY_PROBE.format(bench=str(Path(__file__).resolve().parent), directory=str(directory))
    before, after, nodes = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(before), float(after), int(nodes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, object] = {}

    builtin = builtin_flows_dir()
    library = load_library([builtin])
    assert not library.errors, library.errors
    base = median_ms(lambda: parse_only(builtin), args.repeat)
    full = median_ms(lambda: load_library([builtin]), args.repeat)
    results["builtin"] = {
        "nodes": library.flowset.node_count(),
        "parse_ms": base,
        "load_validate_ms": full,
        "ratio": full / base,
    }

    with tempfile.TemporaryDirectory() as temporary:
        for size in (10_000, 20_000):
            directory = Path(temporary) / f"set{size}"
            write_flow_set(directory, size)
            repeat = max(3, args.repeat // 2)
            base = median_ms(lambda d=directory: parse_only(d), repeat)
            full = median_ms(lambda d=directory: load_library([d]), repeat)
            results[f"generated_{size}"] = {"parse_ms": base, "load_validate_ms": full, "ratio": full / base}

        directory = Path(temporary) / "set10000"
        big = load_library([directory])
        assert not big.errors, big.errors[:3]
        started = time.perf_counter()
        index = SearchIndex(big.flowset)
        build_ms = (time.perf_counter() - started) * 1000
        some_node = big.flowset.flow("gen-42").node("n8")
        queries = [
            some_node.error_codes[0],
            some_node.error_codes[0].lower().removeprefix("0x"),
            some_node.error_ids[0],
            "företagsportalen",
            "foretagsport",
            "company portal certificate",
            "synkronisera hanteringsprofil",
            "användaren kontrollera licens tjänsten",
            "restart device",
            "zebra",
        ]
        per_query = [median_ms(lambda q=q: index.search(q), args.repeat * 3) for q in queries]
        results["search_10000"] = {
            "index_build_ms": build_ms,
            "median_query_ms": statistics.median(per_query),
            "slowest_query_ms": max(per_query),
            "queries": dict(zip(queries, per_query, strict=True)),
        }
        before, after, nodes = memory_above_interpreter(directory)
        results["memory_10000"] = {
            "nodes": nodes,
            "interpreter_mib": before,
            "with_set_and_index_mib": after,
            "above_mib": after - before,
        }

    generated = results["generated_10000"], results["generated_20000"]
    results["scaling_20000_over_10000"] = generated[1]["load_validate_ms"] / generated[0]["load_validate_ms"]  # type: ignore[index]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
