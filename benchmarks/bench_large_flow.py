"""Figures for a flow at the loader's size limit: its handout as PDF, and its map in the window.

Run: python benchmarks/bench_large_flow.py [--repeat N] [--sizes 1000,2000] [--skip-limit]
The flow is flowgen.write_limit_flow: as many short nodes as a 2 MiB flow file holds (about 25,000).

Handout (flow -> handout -> PDF bytes, what `troubleshooting-wizard handout` does), medians in ms:
- pdf_ms: as shipped (above handout_pdf.LARGE_HANDOUT_NODES nodes, laid out a few pages at a time);
- whole_document_ms, the same-run baseline: the same handout laid out as one document (the path
  small handouts take, and every handout took before), measured for the smaller sizes only because it
  grows with the square of the size (minutes at the limit);
- cpu_ms next to each: the process's CPU time, steadier than wall time on a shared machine.
The target: a handout of the flow at the limit in at most 30 s.

Map (the window's flow map dialog opening on that flow), in ms:
- blocking_ms, the same-run baseline: laying the flow out and filling the scene in the UI thread, as
  the dialog did before (the window answers nothing meanwhile);
- longest_stall_ms: the longest time the event loop did not run while the dialog opened with the
  layout in a worker thread (a 5 ms timer ticks throughout), median over repeats;
- ready_ms: until the whole map is shown.
The target: no stall much longer than 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from flowgen import write_limit_flow
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from wizard.core.engine import Session
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeRef
from wizard.export import handout_pdf
from wizard.export.handout import build_handout
from wizard.ui.flow_map import FlowMapDialog
from wizard.ui.map_view import FlowMapView

TARGET_HANDOUT_MS = 30_000.0
TARGET_STALL_MS = 100.0


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of `action` over `repeat` runs, in milliseconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def load(directory: Path, nodes: int | None) -> tuple[FlowSet, str]:
    path = write_limit_flow(directory, nodes, flow_id="limit")
    library = load_library([path.parent])
    assert not library.errors, library.errors[:3]
    return library.flowset, "limit"


def handout_figures(flowset: FlowSet, flow_id: str, repeat: int, whole: bool) -> dict[str, object]:
    def pdf() -> bytes:
        return handout_pdf.to_handout_pdf(build_handout(flowset, flow_id, "en"))

    wall, cpu = timed(pdf, repeat)
    found: dict[str, object] = {"pdf_ms": round(wall), "pdf_cpu_ms": round(cpu), "pdf_bytes": len(pdf())}
    if whole:
        limit = handout_pdf.LARGE_HANDOUT_NODES
        handout_pdf.LARGE_HANDOUT_NODES = 10**9
        try:
            whole_wall, whole_cpu = timed(pdf, repeat)
        finally:
            handout_pdf.LARGE_HANDOUT_NODES = limit
        found |= {
            "whole_document_ms": round(whole_wall),
            "whole_document_cpu_ms": round(whole_cpu),
            "whole_over_pdf": round(whole_wall / wall, 2),
        }
    return found


def open_dialog(app: QApplication, flowset: FlowSet, flow_id: str) -> tuple[float, float]:
    """Open the map dialog with the layout in a worker thread: (longest stall, until ready) in ms."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    started = time.perf_counter()
    ticks.append(started)
    timer.start()
    dialog = FlowMapDialog(flowset, flow_id, Session(flowset, NodeRef(flow_id, "n0")), "en")
    dialog.resize(1280, 800)
    dialog.show()
    while dialog.view.busy:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()  # the first paint of the map
    ticks.append(time.perf_counter())
    ready = (ticks[-1] - started) * 1000
    timer.stop()
    dialog.close()
    dialog.deleteLater()
    # Deleted now, not during the next measurement (processEvents leaves deferred deletions).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    stall = max(later - earlier for earlier, later in itertools.pairwise(ticks)) * 1000
    return stall, ready


def blocking_map(app: QApplication, flowset: FlowSet, flow_id: str) -> float:
    """The dialog's old way: layout and scene in the UI thread, then the first paint."""
    view = FlowMapView()
    view.resize(1280, 800)
    started = time.perf_counter()
    view.show_flow(flowset.flow(flow_id), "en", flowset)
    view.show()
    view.reveal()
    app.processEvents()
    elapsed = (time.perf_counter() - started) * 1000
    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sizes", default="1000,2000", help="smaller flows, with the whole-document baseline"
    )
    parser.add_argument("--skip-limit", action="store_true", help="only the smaller sizes")
    parser.add_argument("--map-only", action="store_true", help="no handout figures")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    results: dict[str, object] = {"target_handout_ms": TARGET_HANDOUT_MS, "target_stall_ms": TARGET_STALL_MS}
    with tempfile.TemporaryDirectory() as temporary:
        sizes: list[int | None] = [int(size) for size in args.sizes.split(",") if size]
        if not args.skip_limit:
            sizes.append(None)
        for size in sizes:
            flowset, flow_id = load(Path(temporary) / f"flow-{size or 'limit'}", size)
            nodes = len(flowset.flow(flow_id).nodes)
            figures: dict[str, object] = {"nodes": nodes}
            if not args.map_only:
                figures["handout"] = handout_figures(flowset, flow_id, args.repeat, whole=size is not None)
            stalls, readies = zip(
                *(open_dialog(app, flowset, flow_id) for _ in range(args.repeat)), strict=True
            )
            blocking = statistics.median(blocking_map(app, flowset, flow_id) for _ in range(args.repeat))
            figures["map"] = {
                "blocking_ms": round(blocking),
                "longest_stall_ms": round(statistics.median(stalls)),
                "ready_ms": round(statistics.median(readies)),
            }
            results["limit" if size is None else str(size)] = figures
            print(json.dumps({str(size or "limit"): figures}), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
