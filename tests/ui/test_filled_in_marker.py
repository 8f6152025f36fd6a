"""Steps the agent did not answer say what filled them in (a search, a link, the flow map), in the path
panel and in replay, in both languages, and look different from answered steps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from wizard.core.engine import FilledBy
from wizard.core.model import NodeRef
from wizard.ui.main_window import MainWindow
from wizard.ui.path_panel import EMPHASIS_ROLE

CLOCK = NodeRef("error-codes", "clock")


def path_lines(window: MainWindow) -> list[str]:
    items = window.path_panel.list
    return [items.item(row).text() for row in range(items.count())]


def test_a_search_hit_in_swedish(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    window = make_window("sv")
    qtbot.keyClicks(window.start_page.search, "0x80cf0437")
    qtbot.keyClick(window.start_page.search, Qt.Key.Key_Return)
    assert window.session is not None and window.session.current_ref == CLOCK
    lines = path_lines(window)
    assert all(line.endswith("ifyllt av sökningen") for line in lines[:-1])
    assert "ifyllt" not in lines[-1] and "via" not in " ".join(lines)


def test_a_deep_link_and_the_flow_map_say_so(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("en")
    window.open_at(CLOCK)  # as the command line and a second start hand a step over
    assert path_lines(window)[0].endswith("filled in by the link you opened")
    window.session = None
    window.jump_to_node(NodeRef("ios", "sync-complete"))  # the map starts a new walk there
    assert path_lines(window)[0].endswith("filled in from the flow map")
    assert window.session is not None
    assert {visit.filled_by for visit in window.session.path[:-1]} == {FilledBy.MAP}


def test_answering_a_filled_in_step_makes_it_the_agents(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("en")
    window.open_at(CLOCK, filled_by=FilledBy.SEARCH)
    items = window.path_panel.list
    assert items.item(0).data(EMPHASIS_ROLE) == "filled"
    window.jump_to(0)
    window.choose(1)  # Android, answered by the agent this time
    assert items.item(0).data(EMPHASIS_ROLE) is None and "filled in" not in items.item(0).text()


def test_replay_says_which_steps_were_filled_in(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("sv")
    window.open_at(CLOCK, filled_by=FilledBy.SEARCH)
    window.choose(0)
    case = window.cases.case
    assert case is not None
    window.start_replay(case, redact=True)
    assert window.replay is not None and window.replay.index == 0
    assert window.replay_bar.filled.isVisible()
    assert "ifyllt av sökningen" in window.replay_bar.filled.text()
    assert "ifyllt av sökningen" in path_lines(window)[0]
    window.replay_bar.next_button.click()
    window.replay_bar.next_button.click()
    window.replay_bar.next_button.click()  # the step the search opened: answered by the agent
    assert window.replay.index == 3 and not window.replay_bar.filled.isVisible()
