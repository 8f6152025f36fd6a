"""The start page is painted first; the walk page, the case store and the rest follow at once after.

The agent sees nothing of the order: the search box has the keyboard from the first frame, an
unfinished case is offered, a deep link opens its case and saves it, and a walk started from the
start page is saved like any other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.cli import build_parser
from wizard.core.library import FlowLibrary, load_library
from wizard.core.model import NodeRef
from wizard.core.packs import flow_packs
from wizard.store import paths
from wizard.store.cases import CaseStore
from wizard.store.settings import Settings
from wizard.store.start_cards import LibraryToCome, StartCards, cards_of
from wizard.ui import app as app_module
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow
from wizard.ui.step_view import StepView


def bare_window(qtbot: QtBot, library: FlowLibrary) -> MainWindow:
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    return window


def leave_unfinished_case(library: FlowLibrary) -> str:
    """A case saved mid-walk and never closed, as after a crash."""
    from wizard.core.case import Case
    from wizard.core.engine import Session

    with CaseStore() as store:
        case = Case.for_session(Session(library.flowset, NodeRef("android", "symptom")), agent="Kim")
        store.save(case)
        return case.id


def test_the_rest_of_the_window_is_built_right_after_the_first_paint(
    qtbot: QtBot, library: FlowLibrary
) -> None:
    window = bare_window(qtbot, library)
    assert window.findChild(StepView) is None  # not needed to draw the start page
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: window.findChild(StepView) is not None, timeout=5000)
    assert window.start_page.search.isClearButtonEnabled()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is window.start_page.search  # the keyboard is in the search box
    assert not window.on_walk_page()


def test_the_walk_page_is_built_on_first_use_before_any_paint(qtbot: QtBot, library: FlowLibrary) -> None:
    window = bare_window(qtbot, library)
    window.open_at(NodeRef("ios", "unable-to-sync"), infer=True)  # a deep link, before the window shows
    assert window.on_walk_page()
    assert window.step_view.isVisibleTo(window)
    assert str(window.session.current_ref) == "ios#unable-to-sync"  # type: ignore[union-attr]


def test_a_store_handed_over_later_offers_the_unfinished_case(qtbot: QtBot, library: FlowLibrary) -> None:
    case_id = leave_unfinished_case(library)
    window = bare_window(qtbot, library)
    window.show()
    qtbot.waitExposed(window)
    assert not window.start_page.resume_banner.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.attach_store(CaseStore())
    assert window.start_page.resume_banner.isVisible()
    assert case_id in window.start_page.resume_text.text()
    assert QApplication.focusWidget() is window.start_page.search  # the banner takes no keyboard
    window.open_at(NodeRef("ios", "unable-to-sync"), infer=True)
    case = window.cases.case
    assert case is not None and window.cases.flush()
    assert CaseStore().load(case.id, window.flowset).id == case.id  # saved like any other walk
    window.cases.store.close()  # type: ignore[union-attr]


def start_app(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, *argv: str) -> MainWindow:
    """run_app as the command line calls it; its event loop runs until the window has painted."""
    shown: list[MainWindow] = []
    monkeypatch.setattr(app_module, "report_first_paint", shown.append)  # the window run_app built

    def event_loop() -> int:
        window = shown[0]
        qtbot.addWidget(window)
        window.persist_settings = False
        qtbot.waitUntil(lambda: window.findChild(StepView) is not None, timeout=5000)
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(event_loop))
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    assert app_module.run_app(args) == 0
    return shown[0]


def test_a_plain_start_offers_the_unfinished_case_after_the_first_paint(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, library: FlowLibrary
) -> None:
    case_id = leave_unfinished_case(library)
    window = start_app(monkeypatch, qtbot, "--lang", "en")
    assert window.cases.store is not None
    assert window.start_page.resume_banner.isVisible() and case_id in window.start_page.resume_text.text()
    assert not window.on_walk_page()


def test_a_deep_link_start_saves_its_case(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    window = start_app(monkeypatch, qtbot, "--lang", "en", "--flow", "ios", "--node", "unable-to-sync")
    case = window.cases.case
    assert window.on_walk_page() and case is not None
    with CaseStore() as store:  # saved when the walk began, before the window was shown
        assert store.load(case.id, window.flowset).session.current_ref == NodeRef("ios", "unable-to-sync")


def test_a_window_shown_but_never_painted_still_finishes_its_start(
    qtbot: QtBot, library: FlowLibrary
) -> None:
    """Minimised at start, say: no paint comes, yet the store and the rest arrive within a second."""
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QMainWindow

    class NeverPainted(MainWindow):
        def paintEvent(self, event: QPaintEvent) -> None:
            QMainWindow.paintEvent(self, event)  # as if no paint reached the window

    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    window = NeverPainted(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=3000):
        window.show()
    assert window.findChild(StepView) is not None


FIRST_FRAME_PROBE = """
import sys
import PySide6.QtCore
from wizard.ui import app

def probe(window):
    def painted():
        # Made on first use, the `Qt` namespace's enums cost a start some 15 ms.
        print("Qt namespace made:", "Qt" in PySide6.QtCore.__dict__, flush=True)
        window.persist_settings = False
        window.close()
    window.first_painted.connect(painted)

app.report_first_paint = probe
from wizard.cli import main
sys.exit(main(["--lang", "en"]))
"""


def test_the_first_frame_makes_no_qt_namespace(tmp_path: Path) -> None:
    """Its enums are made on first use of `Qt`: the first frame's code names none (setProperty,
    values, imports inside the handlers), so the agent does not wait for them."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WIZARD_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert "Qt namespace made: False" in result.stdout, result.stdout + result.stderr


def test_the_start_pages_qt_values_are_qts() -> None:
    from PySide6.QtCore import Qt

    from wizard.ui.flow_card import TEXT_WORD_WRAP
    from wizard.ui.start_page import USER_ROLE

    assert Qt.TextFlag.TextWordWrap.value == TEXT_WORD_WRAP
    assert Qt.ItemDataRole.UserRole.value == USER_ROLE


def window_from_cards(qtbot: QtBot, library: FlowLibrary, cards: StartCards | None = None) -> MainWindow:
    """A window as a plain start makes it: the kept cards first, the flows when first needed."""
    loads: list[int] = []

    def load() -> FlowLibrary:
        loads.append(1)
        return library

    packs = flow_packs(library.origin, paths.builtin_flows_dir(), paths.user_flows_dir())
    to_come = LibraryToCome(cards or cards_of(library, packs), load)
    languages = LanguageManager(paths.builtin_translations_dir(), list(to_come.cards.languages))
    languages.apply("en")
    window = MainWindow(to_come, Settings(language="en"), languages, paths.builtin_resources_dir())
    window.loads = loads  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    return window


def test_a_window_drawn_from_cards_loads_the_flows_right_after_its_first_frame(
    qtbot: QtBot, library: FlowLibrary
) -> None:
    window = window_from_cards(qtbot, library)
    assert window.loads == []  # type: ignore[attr-defined]
    titles = [card.title_text for card in window.start_page.cards]
    assert "Troubleshoot device enrollment in Microsoft Intune" in titles
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: window.loads == [1])  # type: ignore[attr-defined]
    assert window.flowset is library.flowset
    assert [card.title_text for card in window.start_page.cards] == titles  # the same cards, not redrawn
    qtbot.keyClicks(window.start_page.search, "0x80cf0437")
    assert window.start_page.entries  # the search has its flows


def test_a_window_drawn_from_cards_loads_the_flows_when_first_asked(
    qtbot: QtBot, library: FlowLibrary
) -> None:
    window = window_from_cards(qtbot, library)
    window.open_at(NodeRef("ios", "unable-to-sync"), infer=True)  # before any paint: a request, say
    assert window.loads == [1]  # type: ignore[attr-defined]
    assert window.session is not None and window.session.current_ref == NodeRef("ios", "unable-to-sync")


def test_cards_that_no_longer_match_the_flows_are_redrawn_when_they_arrive(
    qtbot: QtBot, library: FlowLibrary
) -> None:
    packs = flow_packs(library.origin, paths.builtin_flows_dir(), paths.user_flows_dir())
    real = cards_of(library, packs)
    name, group = real.groups[1]
    stale_card = replace(group[0], title={"en": "A title from before the edit", "sv": "Före"})
    stale = replace(real, groups=(real.groups[0], (name, (stale_card, *group[1:])), *real.groups[2:]))
    window = window_from_cards(qtbot, library, stale)
    assert "A title from before the edit" in [card.title_text for card in window.start_page.cards]
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: window.loads == [1])  # type: ignore[attr-defined]
    shown = [card.title_text for card in window.start_page.cards]
    assert "A title from before the edit" not in shown
    assert shown == [card.text(card.title, "en") for card in real.cards]


FIRST_FRAME_MODULES = """
import sys
from wizard.ui import app

def probe(window):
    def painted():
        loaded = [m for m in ("wizard.core.model", "wizard.core.engine", "wizard.store.flow_cache") if m in sys.modules]
        print("flow modules before the first frame:", loaded, flush=True)
        window.persist_settings = False
        window.close()
    window.first_painted.connect(painted)

app.report_first_paint = probe
from wizard.cli import main
sys.exit(main(["--lang", "en"]))
"""


def test_a_second_plain_start_draws_its_first_frame_without_the_flow_model(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WIZARD_HOME": str(tmp_path)}
    run = [sys.executable, "-c", FIRST_FRAME_MODULES]
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert "flow modules before the first frame:" in first.stdout, (
        first.stderr
    )  # loads the flows, keeps cards
    second = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert "flow modules before the first frame: []" in second.stdout, second.stdout + second.stderr


def test_flows_that_broke_after_the_cards_were_kept_are_reported_when_they_arrive(
    qtbot: QtBot, library: FlowLibrary, tmp_path: Path
) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nnodes: [\n", encoding="utf-8")
    broken = load_library([paths.builtin_flows_dir(), tmp_path])
    assert broken.errors
    packs = flow_packs(library.origin, paths.builtin_flows_dir(), paths.user_flows_dir())
    window = window_from_cards(qtbot, broken, cards_of(library, packs))
    assert not window.notice.isVisibleTo(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "could not be loaded" in window.notice.text()
    assert window.problems_list.count() >= 1
