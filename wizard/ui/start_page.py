"""The first page: search for an error as the user reads it out, or pick a flow by platform."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.ui.flow_card import FlowCard
from wizard.ui.i18n import Retranslating

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    from wizard.core.case import SearchRecord
    from wizard.core.model import FlowSet, NodeRef
    from wizard.core.search import Hit, SearchAnswer, SearchIndex
    from wizard.store.cases import CaseRow
    from wizard.store.start_cards import Card, StartCards

# The first frame names nothing from Qt's `Qt` namespace: its 97 enums are made on first use and
# cost a start some 15 ms. Enum values it needs are set by name (`setProperty`) or by value, and the
# event handlers, which run later, import `Qt` when they first run.
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole

PLATFORM_NAMES = {
    "android": QT_TRANSLATE_NOOP("StartPage", "Android"),
    "ios": QT_TRANSLATE_NOOP("StartPage", "iOS/iPadOS"),
    "macos": QT_TRANSLATE_NOOP("StartPage", "macOS"),
    "windows": QT_TRANSLATE_NOOP("StartPage", "Windows"),
    "general": QT_TRANSLATE_NOOP("StartPage", "All platforms"),
    "configmgr": QT_TRANSLATE_NOOP("StartPage", "Configuration Manager"),
}
SEARCH_LIMIT = 12
# Why a hit matched (the search's tags), in the window's words.
WHY_NAMES = {
    "error code": QT_TRANSLATE_NOOP("StartPage", "error code"),
    "identifier": QT_TRANSLATE_NOOP("StartPage", "identifier"),
    "message": QT_TRANSLATE_NOOP("StartPage", "error message"),
    "keyword": QT_TRANSLATE_NOOP("StartPage", "keyword"),
    "words": QT_TRANSLATE_NOOP("StartPage", "words"),
    "stem": QT_TRANSLATE_NOOP("StartPage", "stem"),
    "synonym": QT_TRANSLATE_NOOP("StartPage", "synonym"),
    "word part": QT_TRANSLATE_NOOP("StartPage", "word part"),
    "similar word": QT_TRANSLATE_NOOP("StartPage", "similar word"),
    "platform": QT_TRANSLATE_NOOP("StartPage", "platform"),
}


class _SearchBox(QLineEdit):
    """Down moves into the hits; Enter opens the first hit."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
        else:
            super().keyPressEvent(event)


class StartPage(Retranslating, QWidget):
    flow_requested = Signal(object)  # NodeRef of the flow's entry
    hit_requested = Signal(object)  # NodeRef of a search hit
    resume_requested = Signal(str)  # case id
    discard_requested = Signal(str)  # case id of an unfinished case the agent does not want back

    def __init__(
        self,
        cards: StartCards,
        flowset: Callable[[], FlowSet],
        index: Callable[[], SearchIndex],
        icons_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        """`cards` are drawn at once; the flows (`flowset`) and the search index (`index`) are asked
        for when first needed: the first frame can come before the flows are loaded."""
        super().__init__(parent)
        self.start_cards = cards
        self._flowset = flowset
        self.index = index  # built on first use: most starts open a card or a deep link
        self.icons_dir = icons_dir
        self.lang = "en"
        self.hits: list[Hit] = []
        self.answer: SearchAnswer | None = None
        self.entries: list[NodeRef] = []  # what each row of the results opens, in order
        self._recorded: SearchAnswer | None = None  # the answer last kept on a case

        self.heading = QLabel()
        self.heading.setObjectName("startHeading")
        self.search = _SearchBox()
        self.search.setObjectName("search")
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._open_first_hit)
        self.search.down.connect(self._into_results)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self._results: QListWidget | None = None  # made on the first search
        self.no_hits = QLabel()
        self.no_hits.setObjectName("searchNotice")
        self.no_hits.setWordWrap(True)
        self.no_hits.setVisible(False)
        self.did_you_mean = QPushButton()
        self.did_you_mean.setObjectName("didYouMean")
        self.did_you_mean.setFlat(True)
        self.did_you_mean.setVisible(False)
        self.did_you_mean.clicked.connect(self._take_suggestion)

        self.cards: list[FlowCard] = []
        self.groups: dict[str, QGroupBox] = {}
        cards_holder = QWidget()
        self.cards_layout = QVBoxLayout(cards_holder)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self._build_resume_banner()
        self._build_cards()
        self.cards_layout.addWidget(self.cards_box)
        self.recent_group = QGroupBox()
        self.recent_layout = QVBoxLayout(self.recent_group)
        self.recent_buttons: list[QPushButton] = []
        self.recent_group.setVisible(False)
        self.cards_layout.addWidget(self.recent_group)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setProperty("focusPolicy", "NoFocus")  # Tab goes from the search box to the first card
        scroll.setWidget(cards_holder)
        self.cards_scroll = scroll

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.no_hits)
        suggestion_row = QHBoxLayout()
        suggestion_row.addWidget(self.did_you_mean)
        suggestion_row.addStretch(1)
        layout.addLayout(suggestion_row)
        layout.addWidget(scroll, 1)
        self.retranslate_ui()

    def finish_after_first_paint(self) -> None:
        """What the first frame does not show: the clear button appears only over typed text, and
        its icon costs a start on X11 some 20 ms (an icon theme lookup)."""
        self.search.setClearButtonEnabled(True)

    # -- cases ------------------------------------------------------------------------------------

    def _build_resume_banner(self) -> None:
        self.resume_banner = QFrame()
        self.resume_banner.setObjectName("resumeBanner")
        self.resume_text = QLabel()
        self.resume_text.setWordWrap(True)
        self.resume_button = QPushButton()
        self.resume_button.setDefault(False)
        self.discard_button = QPushButton()
        self.resume_button.clicked.connect(lambda: self.resume_requested.emit(self.unfinished_id))
        self.discard_button.clicked.connect(lambda: self.discard_requested.emit(self.unfinished_id))
        row = QHBoxLayout(self.resume_banner)
        row.addWidget(self.resume_text, 1)
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        self.resume_banner.setVisible(False)
        self.unfinished_id: str = ""
        self.unfinished_row: CaseRow | None = None
        self.cards_layout.addWidget(self.resume_banner)

    def show_cases(self, unfinished: CaseRow | None, recent: list[CaseRow]) -> None:
        """Offer the case that was open when the app last stopped, and the latest cases."""
        self.unfinished_row = unfinished
        self.unfinished_id = unfinished.id if unfinished else ""
        self.resume_banner.setVisible(unfinished is not None)
        self.recent_rows = [row for row in recent if not unfinished or row.id != unfinished.id][:5]
        for button in self.recent_buttons:
            button.deleteLater()
        self.recent_buttons = []
        for row in self.recent_rows:
            button = QPushButton()
            button.setObjectName("recentCase")
            button.setFlat(True)
            button.clicked.connect(lambda _=False, case_id=row.id: self.resume_requested.emit(case_id))
            self.recent_layout.addWidget(button)
            self.recent_buttons.append(button)
        self.recent_group.setVisible(bool(self.recent_rows))
        self._retranslate_cases()

    def _retranslate_cases(self) -> None:
        row = self.unfinished_row
        if row is not None:
            when = row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            ticket = self.tr(", ticket %1").replace("%1", row.ticket) if row.ticket else ""
            self.resume_text.setText(
                self.tr("A case was left unfinished: %1%2, last changed %3.")
                .replace("%1", row.id)
                .replace("%2", ticket)
                .replace("%3", when)
            )
        self.resume_button.setText(self.tr("&Continue it"))
        self.discard_button.setText(self.tr("Close it"))
        self.recent_group.setTitle(self.tr("Recent cases"))
        for button, recent in zip(self.recent_buttons, getattr(self, "recent_rows", []), strict=False):
            parts = [recent.id, recent.ticket, recent.user_name or recent.user_upn, recent.device_name]
            state = self.tr("closed") if recent.finished else self.tr("open")
            button.setText(" · ".join(part for part in parts if part) + f"  ({state})")
            button.setAccessibleName(button.text())

    # -- flow cards -------------------------------------------------------------------------------

    def _icon(self, name: str) -> QIcon:
        path = self.icons_dir / f"{name}.svg"
        return QIcon(str(path)) if path.exists() else QIcon()

    @property
    def flowset(self) -> FlowSet:
        return self._flowset()

    def _build_cards(self) -> None:
        self.cards_box = QWidget()
        box = QVBoxLayout(self.cards_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.cards = []
        self.groups = {}
        for name, cards in self.start_cards.groups:
            if name == "start":  # the start flow, alone and first
                card = FlowCard(cards[0], self._icon("start"))
                card.setObjectName("startCard")
                card.clicked.connect(lambda c=cards[0]: self._open_flow(c))
                self.cards.append(card)
                box.addWidget(card)
                continue
            group = QGroupBox()
            grid = QGridLayout(group)
            for position, data in enumerate(cards):
                card = FlowCard(data, self._icon(name))
                card.clicked.connect(lambda c=data: self._open_flow(c))
                self.cards.append(card)
                grid.addWidget(card, position // 2, position % 2)
            self.groups[name] = group
            box.addWidget(group)

    def show_flows(self, cards: StartCards) -> None:
        """The flows were reloaded (or loaded after a first frame drawn from kept cards): their
        cards in place where they changed, and the search asked again."""
        if cards != self.start_cards:
            self.start_cards = cards
            position = self.cards_layout.indexOf(self.cards_box)
            old = self.cards_box
            self._build_cards()
            self.cards_layout.insertWidget(position, self.cards_box)
            old.deleteLater()
            self.retranslate_ui()
        self.show_language(self.lang)

    def _open_flow(self, card: Card) -> None:
        from wizard.core.model import NodeRef

        self.flow_requested.emit(NodeRef(card.flow, card.entry))

    # -- search -----------------------------------------------------------------------------------

    @property
    def results(self) -> QListWidget:
        """The hits, in a list made on the first search: the first frame shows none, and a start
        spends some 3 ms on its first item view."""
        if self._results is None:
            from PySide6.QtWidgets import QListWidget

            results = QListWidget()
            results.setObjectName("results")
            results.itemActivated.connect(self._open_item)
            results.itemClicked.connect(self._open_item)
            results.setVisible(False)
            results.setAccessibleName(self.tr("Search results"))
            self._layout.insertWidget(self._layout.indexOf(self.cards_scroll), results, 1)
            QWidget.setTabOrder(self.search, results)  # Tab goes from the search box to the hits
            self._results = results
        return self._results

    def _search_changed(self, text: str) -> None:
        answer = self.index().answer(text, limit=SEARCH_LIMIT, lang=self.lang) if text.strip() else None
        self.answer = answer
        self.hits = answer.hits if answer else []
        self.entries = []
        if self._results is not None:
            self._results.clear()
        if answer is not None:
            from wizard.core.walks import START_FLOW

            ways_on = [ref for ref in answer.ways_on if self.flowset.has_node(ref)]
            start = [ref for ref in ways_on if ref.flow == START_FLOW]
            if answer.unknown_codes:  # the platform start first: Enter must not open a wrong code
                for ref in start:
                    self._add_entry(ref, self.tr("Start with the platform"))
                for unknown in answer.unknown_codes:
                    for known in unknown.nearest:
                        if self.flowset.has_node(known.ref):
                            self._add_entry(
                                known.ref, self.tr("nearest known code %1").replace("%1", known.code)
                            )
            for hit in self.hits:
                self._add_entry(hit.ref, self._reason(hit))
            for ref in ways_on:
                if ref.flow != START_FLOW:
                    self._add_entry(ref, self.tr("escalate"))
        searching = answer is not None
        confident = answer is not None and answer.confident
        if self._results is not None:
            self._results.setVisible(bool(self.entries))
        self.no_hits.setVisible(searching and not confident)
        self.no_hits.setText(self._notice(answer) if answer is not None and not confident else "")
        suggestion = answer.suggestions[0] if answer is not None and answer.suggestions else ""
        self.did_you_mean.setVisible(bool(suggestion) and not confident)
        self.did_you_mean.setText(self.tr("Did you mean: %1").replace("%1", suggestion))
        self.did_you_mean.setProperty("suggestion", suggestion)
        self.did_you_mean.setMinimumWidth(self.did_you_mean.sizeHint().width())  # flat buttons clip
        self.cards_scroll.setVisible(not confident)  # no good hit: the platform cards are the way on
        if self.entries:
            self.results.setCurrentRow(0)

    def _add_entry(self, ref: NodeRef, why: str) -> None:
        from wizard.core.inline import plain_text

        flow = self.flowset.flow(ref.flow)
        title = plain_text(self.flowset.node(ref).title.get(self.lang))
        from PySide6.QtWidgets import QListWidgetItem

        item = QListWidgetItem(f"{title}\n    {plain_text(flow.title.get(self.lang))} · {why}")
        item.setData(USER_ROLE, ref)
        item.setToolTip(str(ref))
        self.results.addItem(item)
        self.entries.append(ref)

    def _notice(self, answer: SearchAnswer) -> str:
        lines = []
        for unknown in answer.unknown_codes:
            line = self.tr("The error code %1 is not in the flows.").replace("%1", unknown.code)
            if unknown.nearest:
                line += " " + self.tr("Known codes of the same family (%1…) are listed below.").replace(
                    "%1", unknown.family
                )
            else:
                line += " " + self.tr("No known code shares its family (%1…).").replace("%1", unknown.family)
            lines.append(line)
        if not lines:
            lines.append(self.tr("No good match.") if answer.hits else self.tr("Nothing found."))
        lines.append(self.tr("Start with the platform, or escalate; the search is kept on the case."))
        return " ".join(lines)

    def _take_suggestion(self) -> None:
        suggestion = self.did_you_mean.property("suggestion")
        if suggestion:
            self.search.setText(str(suggestion))
            self.search.setFocus()

    def search_record(self, opened: NodeRef | None, now: dt.datetime) -> SearchRecord | None:
        """What the search box holds, as a record for the case the agent now starts; None when empty."""
        from wizard.core.case import SearchRecord

        answer = self.answer
        if answer is None or not answer.query or answer is self._recorded:
            return None  # nothing typed, or already kept on an earlier case
        self._recorded = answer
        codes = tuple(unknown.code for unknown in answer.unknown_codes)
        return SearchRecord(answer.query, self.lang, answer.top, opened, now, codes)

    def _reason(self, hit: Hit) -> str:
        """Why the hit matched, as tags: [error code 0x80CF0437] [stem] [platform]."""
        names = []
        for why in hit.why:
            if why == "error code" and hit.reason.startswith("error code "):
                names.append(self.tr("error code %1").replace("%1", hit.reason.removeprefix("error code ")))
            elif why == "identifier" and hit.reason.startswith("identifier "):
                names.append(self.tr("identifier %1").replace("%1", hit.reason.removeprefix("identifier ")))
            elif why in WHY_NAMES:
                names.append(QCoreApplication.translate("StartPage", WHY_NAMES[why]))  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
        return " ".join(f"[{name}]" for name in names) or self.tr("words")

    def _into_results(self) -> None:
        if self.entries:
            self.results.setFocus()
            self.results.setCurrentRow(0)

    def _open_first_hit(self) -> None:
        if self.entries:
            self.hit_requested.emit(self.entries[0])

    def _open_item(self, item: QListWidgetItem) -> None:
        self.hit_requested.emit(item.data(USER_ROLE))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- language ---------------------------------------------------------------------------------

    def show_language(self, lang: str) -> None:
        self.lang = lang
        for card in self.cards:
            card.show_language(lang)
        self._search_changed(self.search.text())

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("What is the user's problem?"))
        self.search_label.setText(self.tr("&Search for an error code, an error message or words:"))
        self.search.setPlaceholderText(self.tr("e.g. 0x80CF0437, DeviceCapReached or “unable to sync”"))
        self.search.setAccessibleName(self.tr("Search"))
        if self._results is not None:
            self._results.setAccessibleName(self.tr("Search results"))
        for platform, group in self.groups.items():
            group.setTitle(QCoreApplication.translate("StartPage", PLATFORM_NAMES[platform]))  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
        self._retranslate_cases()
