"""Handout figures: the handout of the largest built-in flow (ios, 22 nodes) as PDF and as HTML.

Run: python benchmarks/bench_handout.py [--repeat N] [--flow ID]
Each figure is a median over repeats (wall time, milliseconds), next to a baseline measured in the same
run, because shared machines are noisy:
- pdf_ms: flow -> handout -> PDF bytes, page references filled in (what the command line does);
- pdf_baseline_ms: the same paper HTML laid out by QTextDocument and painted to PDF with no
  page-reference pass (the case exporter's path), so the difference is the price of the references;
- html_ms: flow -> handout -> HTML text;
- cli_pdf_ms: `troubleshooting-wizard handout ios --format pdf` as a new process (start-up, loading the
  flows and Qt included), fewer repeats.
The target is pdf_ms <= 2000 for ios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_ms

from wizard.core.library import load_library
from wizard.export.handout import build_handout
from wizard.export.handout_html import handout_paper_html, to_handout_html
from wizard.export.handout_pdf import PLACEHOLDER, to_handout_pdf
from wizard.export.pdf import ensure_gui_application, html_to_pdf
from wizard.store.paths import builtin_flows_dir

TARGET_MS = 2000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--flow", default="ios")
    args = parser.parse_args()
    ensure_gui_application()
    library = load_library([builtin_flows_dir()])
    assert not library.errors, library.errors
    flowset = library.flowset
    flow = flowset.flow(args.flow)
    results: dict[str, object] = {"flow": flow.id, "nodes": len(flow.nodes), "target_pdf_ms": TARGET_MS}

    for lang in ("en", "sv"):
        handout = build_handout(flowset, flow.id, lang)
        pdf = to_handout_pdf(handout)

        def full_pdf(lang: str = lang) -> bytes:
            return to_handout_pdf(build_handout(flowset, flow.id, lang))

        def baseline_pdf(lang: str = lang) -> bytes:
            shown = build_handout(flowset, flow.id, lang)
            html = handout_paper_html(shown, lambda anchor: PLACEHOLDER)
            return html_to_pdf(html, shown.title, shown.parts[0].title, shown.page_label)

        def html(lang: str = lang) -> str:
            return to_handout_html(build_handout(flowset, flow.id, lang))

        pdf_ms = median_ms(full_pdf, args.repeat)
        baseline_ms = median_ms(baseline_pdf, args.repeat)
        results[lang] = {
            "pages": len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)),
            "pdf_bytes": len(pdf),
            "pdf_ms": round(pdf_ms, 1),
            "pdf_baseline_ms": round(baseline_ms, 1),
            "pdf_over_baseline": round(pdf_ms / baseline_ms, 2),
            "html_ms": round(median_ms(html, args.repeat), 2),
            "html_bytes": len(html().encode("utf-8")),
            "within_target": pdf_ms <= TARGET_MS,
        }

    with tempfile.TemporaryDirectory() as temporary:
        target = Path(temporary) / "handout.pdf"
        command = [sys.executable, "-m", "wizard", "handout", flow.id, "--format", "pdf", "-o", str(target)]

        def cli() -> None:
            subprocess.run(command, check=True, capture_output=True)

        def interpreter() -> None:  # the baseline of a new process: Python starting and ending
            subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)

        repeat = max(3, args.repeat // 3)
        results["cli_pdf_ms"] = round(median_ms(cli, repeat), 1)
        results["cli_baseline_python_ms"] = round(median_ms(interpreter, repeat), 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
