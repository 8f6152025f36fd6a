"""Case figures: autosave of one change, PDF export of a 100-step case, history search over 10,000 cases.

Run: python benchmarks/bench_cases.py [--repeat N] [--cases N]
Each figure is a median, next to a baseline measured in the same run on the same data, because shared
machines are noisy:
- autosave: AutoSaver.changed() after one typed character, in a store holding all the cases; baseline a
  bare sqlite3 INSERT of the same JSON into a one-table database with the same WAL and sync settings;
- PDF: the exporter on a 100-step case walked through a generated flow; baseline QTextDocument.print_()
  of the same HTML to a QPdfWriter (no page numbers, no layout of our own);
- search: CaseStore.search() over varied queries; baseline a plain LIKE scan of the search column.
Targets: autosave <= 5 ms, PDF <= 500 ms, search <= 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_ms

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import yaml
from flowgen import generate_flow

from wizard.core.case import Case
from wizard.core.engine import Session
from wizard.core.library import load_library
from wizard.core.model import FlowSet, NodeKind, NodeRef
from wizard.export.document import build_document
from wizard.export.html import to_html
from wizard.store.cases import AutoSaver, CaseStore
from wizard.store.paths import builtin_flows_dir

FIRST = ["Anna", "Erik", "Sara", "Jonas", "Åsa", "Ahmed", "Maria", "Lars", "Fatima", "Örjan", "Karin", "Li"]
LAST = ["Svensson", "Berg", "Nyström", "Karimi", "Ek", "Lindqvist", "Öberg", "Hassan", "Wang", "Johansson"]
NOTES = [
    "User restarted the device, no change.",
    "Company Portal reinstalled; sign-in works again.",
    "Användaren har startat om telefonen två gånger.",
    "Certifikatet saknades, importerat manuellt.",
    "Device shows as Unhealthy in the admin center.",
    "Token förnyad i Apple Business Manager.",
    "Registry key removed, enrollment retried.",
    "",
    "",
]


def random_walk(flowset: FlowSet, rng: random.Random, index: int) -> Case:
    clock_start = 1_700_000_000 + index * 600
    ticks = iter(range(clock_start, clock_start + 10_000, 17))

    def clock() -> dt.datetime:
        return dt.datetime.fromtimestamp(next(ticks), dt.UTC)

    case = Case.new(flowset, NodeRef("start", "platform"), agent="Maria Ek", clock=clock, rng=rng)
    session = case.session
    for _ in range(12):
        node = session.current_node
        if node.kind is NodeKind.END:
            break
        for step in range(len(node.steps)):
            if rng.random() < 0.7:
                session.set_tick(step, True)
        session.set_note(rng.choice(NOTES))
        if node.choices:
            session.choose(rng.randrange(len(node.choices)))
        else:
            session.advance()
    case.ticket = f"INC{rng.randrange(10**7):07d}"
    case.user.name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    case.user.upn = case.user.name.lower().replace(" ", ".") + "@contoso.se"
    case.device.name = f"LT-{rng.randrange(10000):04d}"
    case.device.serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))
    case.general_note = rng.choice(NOTES)
    if rng.random() < 0.9:
        case.finish()
    return case


def long_case(directory: Path, steps: int) -> Case:
    """A case of `steps` steps through a generated flow, always to the nearest next node, with notes
    and ticks. flowgen's questions jump ahead at random, so the first choice of each is pointed at the
    next node: the walk then passes every node."""
    rng = random.Random(3)
    flow = generate_flow(0, steps + 10, rng)
    for index, node in enumerate(flow["nodes"]):
        targets = [choice["next"] for choice in node.get("choices", [])]
        if targets and f"n{index + 1}" not in targets:
            node["choices"][0]["next"] = f"n{index + 1}"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "long.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True, sort_keys=False), "utf-8")
    library = load_library([directory])
    assert not library.errors, library.errors[:3]
    flowset = library.flowset
    session = Session(flowset, NodeRef(flow["id"], flow["entry"]))
    while len(session.visits) < steps:
        node = session.current_node
        for step in range(len(node.steps)):
            session.set_tick(step, rng.random() < 0.7)
        session.set_note(f"Step {len(session.visits)}: {rng.choice(NOTES)}")
        if node.choices:
            here = session.current_ref
            targets = [NodeRef.parse(t, here.flow).node for t in node.targets()]
            session.choose(targets.index(f"n{int(here.node[1:]) + 1}"))
        else:
            session.advance()
    case = Case.for_session(session, agent="Maria Ek", ticket="INC0000100")
    case.user.name = "Anna Svensson"
    case.general_note = " ".join(NOTES) * 3
    return case


def bench_pdf(directory: Path, repeat: int) -> dict[str, float]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    from wizard.export import export_case
    from wizard.export.pdf import ensure_gui_application

    ensure_gui_application()
    case = long_case(directory, 100)
    html = to_html(build_document(case, "en"))

    def bare() -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        document = QTextDocument()
        document.setHtml(html)
        document.print_(writer)
        buffer.close()
        return bytes(data.data())

    export_case(case, "pdf", "en")  # warm the font caches for both
    bare()
    pdf = export_case(case, "pdf", "en")
    return {
        "steps": len(case.visits),
        "pdf_pages": pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page"),
        "export_pdf_ms": median_ms(lambda: export_case(case, "pdf", "en"), repeat),
        "baseline_qtextdocument_print_ms": median_ms(bare, repeat),
    }


def bench_store(directory: Path, count: int, repeat: int) -> dict[str, object]:
    library = load_library([builtin_flows_dir()])
    flowset = library.flowset
    rng = random.Random(11)
    path = directory / "cases.sqlite3"
    store = CaseStore(path)
    store.open()
    db = store._connection()
    db.execute("PRAGMA synchronous=OFF")  # filling only; measured below with FULL
    started = time.perf_counter()
    cases = [random_walk(flowset, rng, index) for index in range(count)]
    for case in cases:
        store.save(case)
    fill_s = time.perf_counter() - started
    db.execute("PRAGMA synchronous=FULL")
    store.close()

    open_ms = median_ms(lambda: CaseStore(path).open(), 3)
    store = CaseStore(path)
    store.open()
    saver = AutoSaver(store)
    current = cases[-1]
    current.reopen()

    def type_one_character() -> None:
        current.general_note += "x"
        saver.changed(current)

    autosave = median_ms(type_one_character, repeat * 30)

    baseline_db = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
    baseline_db.execute("PRAGMA journal_mode=WAL")
    baseline_db.execute("PRAGMA synchronous=FULL")
    baseline_db.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, data TEXT)")
    payload = json.dumps(current.to_json(), ensure_ascii=False)
    counter = iter(range(10**9))
    bare_insert = median_ms(
        lambda: baseline_db.execute("INSERT INTO cases VALUES (?, ?)", (str(next(counter)), payload)),
        repeat * 30,
    )

    sample = cases[len(cases) // 3]
    queries = [
        sample.ticket,  # a ticket number
        sample.ticket[3:8],  # part of it
        sample.user.name.split()[1],  # a surname
        "nystrom",  # folded: finds Nyström
        "0x8007064c",  # an error code
        "80cf0437",  # part of one
        sample.device.serial[:5],  # part of a serial
        "company portal",  # words of notes and titles
        "certifikatet importerat",  # Swedish note words
        "deviceCapReached",  # an error identifier
        "zebra",  # nothing
        "lt",  # a short word: the LIKE path
    ]
    per_query = {query: median_ms(lambda q=query: store.search(q), repeat * 3) for query in queries}

    def like(query: str) -> list[tuple[str]]:
        return (
            store._connection()
            .execute(
                "SELECT id FROM cases WHERE search LIKE ? ORDER BY updated_at DESC LIMIT 50",
                (f"%{query.lower()}%",),
            )
            .fetchall()
        )

    per_query_like = {query: median_ms(lambda q=query: like(q), repeat * 3) for query in queries}
    store.close()
    return {
        "cases": count,
        "fill_s": fill_s,
        "database_mib": path.stat().st_size / 2**20,
        "open_with_quick_check_ms": open_ms,
        "autosave_ms": autosave,
        "baseline_bare_insert_ms": bare_insert,
        "search_median_ms": statistics.median(per_query.values()),
        "search_slowest_ms": max(per_query.values()),
        "baseline_like_scan_median_ms": statistics.median(per_query_like.values()),
        "search_queries_ms": per_query,
        "baseline_like_queries_ms": per_query_like,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        store = bench_store(root, args.cases, args.repeat)
        pdf = bench_pdf(root / "flows", args.repeat)
    results = {
        "autosave": {
            "median_ms": store["autosave_ms"],
            "baseline_bare_insert_ms": store["baseline_bare_insert_ms"],
            "target_ms": 5,
        },
        "pdf_100_steps": {**pdf, "target_ms": 500},
        "search_10000": {
            key: value for key, value in store.items() if key.startswith(("search", "baseline_like"))
        }
        | {"target_ms": 50},
        "store": {key: store[key] for key in ("cases", "fill_s", "database_mib", "open_with_quick_check_ms")},
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
