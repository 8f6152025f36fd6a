"""What checking SVG screenshots for external references costs when flows are loaded.

Run: python benchmarks/bench_svg_check.py [--repeat N]
Loads the built-in flows (28 SVG screenshots) three ways in the same run, medians over repeats:
the check as shipped on a first load (nothing remembered) and on a reload (files unchanged, as when
the window reloads after an author saves a flow), against the same load with the check left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_ms

from wizard.core import library, svg_check
from wizard.store.paths import builtin_flows_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    directories = [builtin_flows_dir()]
    checked = library._svg_problems

    def first_load() -> None:
        svg_check._BY_FILE.clear()
        library.load_library(directories)

    def reload() -> None:
        library.load_library(directories)

    library.load_library(directories)  # imports and file system caches warm for every variant
    first = median_ms(first_load, repeat)
    again = median_ms(reload, repeat)
    library._svg_problems = lambda *_args: []
    try:
        baseline = median_ms(reload, repeat)
    finally:
        library._svg_problems = checked
    print(f"load without the check (baseline): {baseline:7.1f} ms")
    print(f"first load with the check:         {first:7.1f} ms  ({first / baseline:.2f}x)")
    print(f"reload with the check:             {again:7.1f} ms  ({again / baseline:.2f}x)")


if __name__ == "__main__":
    main()
