"""The statistics window: what the saved cases (and folders of case files) say together.

Opened from File > Statistics (Ctrl+Shift+S) and loaded only then, with the statistics core and the
chart library. The cases are read once, in a thread of its own, into their facts (a few hundred
bytes each, nothing personal); the window paints at once with a progress bar, and the period and
flow pickers only count the facts again. Charts are the report's own SVG (pygal) drawn by QtSvg;
each table row opens its step in Peek, as the flow map does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, Qt, QThread, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wizard.core.model import FlowSet, NodeRef
from wizard.stats import core
from wizard.stats.core import CaseFacts, Query, Skipped, Tally, case_facts, report
from wizard.stats.report import chart_svgs, duration_text, node_label, percent
from wizard.stats.report import labels as report_labels
from wizard.ui.flow_map import NodePreview
from wizard.ui.i18n import Retranslating

PERIODS = (7, 30, 90, 365, 0)  # days back from today; 0: all cases
NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class FactsReader(QThread):
    """Reads every case of the store (and folders) into facts, off the window's thread."""

    progress = Signal(int, int)
    finished_reading = Signal(object, object, int)  # list[CaseFacts], list[Skipped], duplicates

    def __init__(
        self, flowset: FlowSet, database: Path | None, folders: Sequence[Path], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.flowset = flowset
        self.database = database
        self.folders = list(folders)

    def run(self) -> None:
        from wizard.stats import core

        facts: list[CaseFacts] = []
        collector = _Collector(facts)
        try:
            if self.database is not None and self.database.exists():
                from wizard.store.cases import CaseStore

                with CaseStore(self.database, read_only=True) as store:  # a connection of this thread's own
                    core.add_store(collector, store, self.flowset, self._progress)
            for folder in self.folders:
                core.add_folder(collector, folder, self.flowset, self._progress)
        except _Stopped:
            return  # the window closed: nobody waits for the figures
        self.finished_reading.emit(facts, list(collector.skipped), collector.duplicates)

    def _progress(self, done: int, total: int) -> None:
        if self.isInterruptionRequested():
            raise _Stopped
        self.progress.emit(done, total)


class _Stopped(Exception):
    """Reading given up because the window closed."""


class _Collector(Tally):
    """A tally that keeps each new case's facts (agents included) for counting again by period."""

    def __init__(self, facts: list[CaseFacts]) -> None:
        super().__init__(Query(by_agent=False))
        self.facts = facts
        self.places: dict[tuple[str, str, str], int] = {}  # where each case's facts are in `facts`

    def add(self, facts: CaseFacts, kept: str | int | None = None) -> bool:
        at = self.places.get(facts.key)
        if at is not None:
            self.duplicates += 1
            earlier = self.facts[at]
            if facts.updated is not None and earlier.updated is not None and facts.updated > earlier.updated:
                self.facts[at] = facts  # the newest version of a case counts
            return False
        self.places[facts.key] = len(self.facts)
        self.facts.append(facts)
        return True

    def add_summary(self, summary: str, kept: int | None = None) -> bool:
        return self.add(core.facts_from_summary(summary))


class StatsWindow(Retranslating, QDialog):
    """Period and flow pickers, charts and ranked tables; a row opens its step in Peek."""

    def __init__(
        self,
        flowset: FlowSet,
        lang: str,
        database: Path | None,
        folders: Sequence[Path] = (),
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statsWindow")
        self.flowset = flowset
        self.lang = lang
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.facts: list[CaseFacts] | None = None
        self.skipped: list[Skipped] = []
        self.duplicates = 0
        self.data: dict[str, Any] | None = None

        self.period_label = QLabel()
        self.period_box = QComboBox()
        self.period_label.setBuddy(self.period_box)
        self.flow_label = QLabel()
        self.flow_box = QComboBox()
        self.flow_label.setBuddy(self.flow_box)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_report)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self.choose_folder)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.charts: dict[str, QSvgWidget] = {
            name: QSvgWidget() for name in ("outcomes", "per_flow", "per_period")
        }
        chart_page = QWidget()
        chart_grid = QGridLayout(chart_page)
        chart_grid.addWidget(self.charts["outcomes"], 0, 0)
        chart_grid.addWidget(self.charts["per_flow"], 0, 1)
        chart_grid.addWidget(self.charts["per_period"], 1, 0, 1, 2)
        for widget in self.charts.values():
            widget.setMinimumSize(420, 220)
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(chart_page)

        self.tables: dict[str, QTableWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(chart_scroll, "")
        for name in ("end_nodes", "drop_offs", "answer_changes", "slowest_steps", "gaps", "feedback"):
            table = QTableWidget()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(False)
            table.itemActivated.connect(self._row_activated)
            table.itemDoubleClicked.connect(self._row_activated)
            self.tables[name] = table
            self.tabs.addTab(table, "")

        self.map_widget = QSvgWidget()
        self.map_scroll = QScrollArea()
        self.map_scroll.setWidget(self.map_widget)
        self.map_note = QLabel()
        self.map_note.setWordWrap(True)
        map_page = QWidget()
        map_layout = QVBoxLayout(map_page)
        map_layout.addWidget(self.map_note)
        map_layout.addWidget(self.map_scroll, 1)
        self.tabs.addTab(map_page, "")

        self.preview = NodePreview(self)
        self.preview.back_requested.connect(self.preview.hide)
        self.preview.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setChildrenCollapsible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        for tool in (self.period_label, self.period_box, self.flow_label, self.flow_box):
            tools.addWidget(tool)
        tools.addStretch(1)
        tools.addWidget(self.folder_button)
        tools.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1150, 760)
        # Enter on a table row opens its step; it must not also press a button of the dialog
        # (Save, Close, or Peek's "back", which would hide the step just opened).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

        self.retranslate_ui()
        self.period_box.setCurrentIndex(PERIODS.index(30))
        self.period_box.currentIndexChanged.connect(self.recount)
        self.flow_box.currentIndexChanged.connect(self.recount)
        self._fill_flows()
        self.database = database
        self.folders = list(folders)
        self.reader = self._start_reading()

    # -- reading and counting ----------------------------------------------------------------------

    def _start_reading(self) -> FactsReader:
        reader = FactsReader(self.flowset, self.database, self.folders, self)
        reader.progress.connect(self._progress)
        reader.finished_reading.connect(self._read)
        self.folder_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        reader.start()
        return reader

    def done(self, result: int) -> None:
        """Closing stops the reading (within one batch of cases) before the window goes away."""
        self.reader.requestInterruption()
        self.reader.wait()
        super().done(result)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("A folder of case files (exports as JSON)"))
        if folder:
            self.add_folder(Path(folder))

    def add_folder(self, folder: Path) -> None:
        """Count a team's folder of exported cases too; a case also saved here still counts once."""
        if folder in self.folders or self.reader.isRunning():
            return
        self.folders.append(folder)
        self.reader = self._start_reading()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _read(self, facts: list[CaseFacts], skipped: list[Skipped], duplicates: int) -> None:
        self.facts = facts
        self.skipped = skipped
        self.duplicates = duplicates
        self.progress.hide()
        self.folder_button.setEnabled(True)
        self.recount()

    def query(self) -> Query:
        days = self.period_box.currentData()
        since = self.today - dt.timedelta(days=int(days) - 1) if days else None
        flow = self.flow_box.currentData() or None
        return Query(since=since, until=None, flow=flow)

    def recount(self) -> None:
        if self.facts is None:
            return
        tally = Tally(self.query())
        for facts in self.facts:
            tally.add(facts)
        tally.skipped = list(self.skipped)
        tally.duplicates = self.duplicates
        tally.sources = (["store"] if self.database is not None else []) + [str(f) for f in self.folders]
        self.tally = tally
        self.data = report(tally, self.flowset, self.lang)
        self._show()

    def set_language(self, lang: str) -> None:
        """The content language: flow and node titles, the charts' words."""
        self.lang = lang
        self._fill_flows()
        if self.facts is not None:
            self.recount()

    # -- showing -----------------------------------------------------------------------------------

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        text = report_labels(self.lang)
        outcomes = data["outcomes"]
        total = data["sources"]["cases"]
        self.summary.setText(
            self.tr("%1 cases: %2 resolved, %3 escalated, %4 not resolved, %5 not finished. %6 not counted.")
            .replace("%1", str(total))
            .replace("%2", percent(outcomes["resolved"]["rate"]))
            .replace("%3", percent(outcomes["escalated"]["rate"]))
            .replace("%4", percent(outcomes["not_resolved"]["rate"]))
            .replace("%5", percent(outcomes["abandoned"]["rate"]))
            .replace("%6", str(len(data["sources"]["skipped"])))
        )
        svgs = chart_svgs(data, self.lang)
        for name, widget in self.charts.items():
            widget.load(QByteArray(svgs.get(name, _EMPTY_SVG).encode("utf-8")))
        count = self.tr("Count")
        step = self.tr("Step")
        self._fill(
            "end_nodes",
            [step, self.tr("Outcome"), count],
            [(row, [text.get(row["outcome"], text["unknown"]), row["count"]]) for row in data["end_nodes"]],
        )
        self._fill("drop_offs", [step, count], [(row, [row["count"]]) for row in data["drop_offs"]])
        self._fill("answer_changes", [step, count], [(row, [row["count"]]) for row in data["answer_changes"]])
        self._fill(
            "slowest_steps",
            [step, count, self.tr("Median"), self.tr("90th percentile")],
            [
                (row, [row["count"], duration_text(row["median_s"]), duration_text(row["p90_s"])])
                for row in data["durations"]["slowest_steps"]
            ],
        )
        searches = data["searches"]
        gaps: list[tuple[dict[str, Any] | None, list[Any]]] = []
        for row in searches["no_hit"]:
            gaps.append((None, [row["query"], self.tr("no hit"), row["count"]]))
        for row in searches["not_opened"]:
            gaps.append((None, [row["query"], self.tr("hit not opened"), row["count"]]))
        for row in searches["unknown_codes"]:
            gaps.append((None, [row["code"], self.tr("unknown error code"), row["count"]]))
        self._fill("gaps", [self.tr("Search"), self.tr("Why"), count], gaps, node_column=False)
        self._fill(
            "feedback",
            [step, self.tr("Version"), self.tr("Unclear"), self.tr("Wrong"), self.tr("Comments")],
            [
                (row, [row["version"], row["unclear"], row["wrong"], " · ".join(row["comments"])])
                for row in data["feedback"]
            ],
        )
        self._show_map()

    def map_flow(self) -> str | None:
        """The flow drawn with counts: the one picked, else the one with the most cases."""
        picked = self.flow_box.currentData()
        if picked:
            return str(picked)
        for row in (self.data or {}).get("per_flow", []):
            if row["flow"] in self.flowset:
                return str(row["flow"])
        return None

    def _show_map(self) -> None:
        from wizard.stats.flowmap import counted_map_svg

        flow_id = self.map_flow()
        if self.data is None or flow_id is None:
            self.map_widget.load(QByteArray(_EMPTY_SVG.encode("utf-8")))
            return
        svg = counted_map_svg(self.flowset, flow_id, self.lang, self.data)
        self.map_widget.load(QByteArray(svg.encode("utf-8")))
        self.map_widget.setFixedSize(self.map_widget.renderer().defaultSize())
        title = self.flow_box.itemText(max(0, self.flow_box.findData(flow_id)))
        self.map_note.setText(
            self.tr(
                "%1: each step shaded by how many walks passed it; the more often a way was taken, the wider it is."
            ).replace("%1", title)
        )

    def _fill(
        self,
        name: str,
        headers: list[str],
        rows: Sequence[tuple[dict[str, Any] | None, list[Any]]],
        *,
        node_column: bool = True,
    ) -> None:
        table = self.tables[name]
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the step's name
        table.setRowCount(len(rows))
        text = report_labels(self.lang)
        for number, (node, values) in enumerate(rows):
            cells = ([node_label(node, text)] if node_column and node is not None else []) + values
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if node is not None:
                    item.setData(NODE_ROLE, f"{node['flow']}#{node['node']}")
                table.setItem(number, column, item)

    def _row_activated(self, item: QTableWidgetItem) -> None:
        raw = item.data(NODE_ROLE)
        if not raw:
            return
        self.open_node(NodeRef(*str(raw).split("#", 1)))

    def open_node(self, ref: NodeRef) -> None:
        """Peek at a step, as the flow map does: a read-only look, the walk untouched."""
        if not self.flowset.has_node(ref):
            return
        self.preview.show_node(self.flowset, ref, self.lang)
        self.preview.show()

    def _fill_flows(self) -> None:
        current = self.flow_box.currentData()
        self.flow_box.blockSignals(True)
        self.flow_box.clear()
        self.flow_box.addItem(self.tr("All flows"), "")
        from wizard.core.inline import plain_text

        for flow in self.flowset:
            self.flow_box.addItem(plain_text(flow.title.get(self.lang)), flow.id)
        self.flow_box.setCurrentIndex(max(0, self.flow_box.findData(current or "")))
        self.flow_box.blockSignals(False)

    def save_report(self) -> None:
        """The same report as `troubleshooting-wizard stats`, for the period and flow shown."""
        if self.data is None:
            return
        from wizard.core.files import OutputRefused, write_output
        from wizard.stats.report import render

        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the statistics"),
            "statistics.html",
            self.tr("Web page (*.html);;JSON (*.json);;CSV (*.csv)"),
        )
        if not path:
            return
        target = Path(path)
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in ("html", "json", "csv"):
            fmt = "html"
        try:
            write_output(target, render(self.data, fmt, self.lang))
        except (OutputRefused, OSError) as exc:
            self.summary.setText(self.tr("Could not save %1: %2").replace("%1", path).replace("%2", str(exc)))

    # -- language ----------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Statistics"))
        self.period_label.setText(self.tr("&Period:"))
        self.flow_label.setText(self.tr("&Flow:"))
        self.save_button.setText(self.tr("&Save report…"))
        self.folder_button.setText(self.tr("&Add a team folder…"))
        self.folder_button.setToolTip(
            self.tr("Count the cases exported as JSON into a folder too; a case found twice counts once")
        )
        current = self.period_box.currentIndex()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for days in PERIODS:
            label = self.tr("Last %1 days").replace("%1", str(days)) if days else self.tr("All cases")
            self.period_box.addItem(label, days)
        self.period_box.setCurrentIndex(max(0, current))
        self.period_box.blockSignals(False)
        titles = (
            self.tr("Charts"),
            self.tr("End nodes"),
            self.tr("Where walks stop"),
            self.tr("Answers changed"),
            self.tr("Slowest steps"),
            self.tr("Content gaps"),
            self.tr("Step feedback"),
            self.tr("Flow map"),
        )
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        self.progress.setFormat(self.tr("Reading cases: %v of %m"))
        if self.flow_box.count():
            self.flow_box.setItemText(0, self.tr("All flows"))
        self._show()


_EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def facts_of(cases: Sequence[Any]) -> list[CaseFacts]:
    """Facts of cases in memory (for tests and the benchmark)."""
    return [case_facts(case) for case in cases]
