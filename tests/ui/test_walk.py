"""Walking flows in the real window: keyboard only, search into the middle, back and change, deep links."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from wizard.core.engine import FilledBy
from wizard.core.model import NodeKind, NodeRef
from wizard.ui.main_window import MainWindow
from wizard.ui.path_panel import EMPHASIS_ROLE
from wizard.ui.zoom import ZoomDialog


def refs(window: MainWindow) -> list[str]:
    assert window.session is not None
    return [str(v.ref) for v in window.session.path]


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key | str) -> None:
    target = QApplication.focusWidget() or window
    if isinstance(key, str):
        qtbot.keyClicks(target, key)
    else:
        qtbot.keyClick(target, key)


def test_search_is_focused_at_start(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.start_page.search.hasFocus())
    assert not window.on_walk_page()
    assert window.windowTitle() == "Troubleshooting Wizard"


def test_whole_flow_walked_by_keyboard_only(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.start_page.search.hasFocus())
    press(qtbot, window, Qt.Key.Key_Tab)  # from the search box to the first card: the start flow
    assert QApplication.focusWidget() is window.start_page.cards[0]
    press(qtbot, window, Qt.Key.Key_Return)
    assert refs(window) == ["start#platform"]
    press(qtbot, window, "5")  # Windows PC
    assert refs(window)[-1] == "windows#symptom"
    node = window.session.current_node  # type: ignore[union-attr]
    already = next(i for i, c in enumerate(node.choices) if c.target == "already-enrolled")
    press(qtbot, window, str(already + 1))
    # Walk on: Continue with Enter, tick every action with Space, always take the first choice.
    for _ in range(30):
        session = window.session
        assert session is not None
        node = session.current_node
        if node.kind is NodeKind.END:
            break
        for box in window.step_view.step_boxes:
            box.setFocus()
            press(qtbot, window, Qt.Key.Key_Space)
        if node.next is not None:
            window.step_view.continue_button.setFocus()
            press(qtbot, window, Qt.Key.Key_Return)
        else:
            press(qtbot, window, "1")
    session = window.session
    assert session is not None and session.is_finished
    assert refs(window)[:3] == ["start#platform", "windows#symptom", "windows#already-enrolled"]
    certificate_visit = next(
        v for v in session.path if v.ref == NodeRef("windows", "already-enrolled-certificate")
    )
    assert certificate_visit.ticked == set(range(5))
    assert "Troubleshooting Wizard" in window.windowTitle()


def test_search_jumps_into_the_middle_with_the_path_filled_in(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.start_page.search, "0x80cf0437")
    assert window.start_page.results.count() >= 1
    qtbot.keyClick(window.start_page.search, Qt.Key.Key_Return)
    assert window.on_walk_page()
    session = window.session
    assert session is not None
    assert session.current_ref == NodeRef("error-codes", "clock")
    assert refs(window)[0] == "start#platform"
    assert all(v.inferred for v in session.path[:-1]) and len(session.path) >= 3
    assert window.path_panel.list.count() == len(session.path)
    assert "filled in by the search" in window.path_panel.list.item(0).text()
    assert all(v.filled_by is FilledBy.SEARCH for v in session.path[:-1])
    items = [window.path_panel.list.item(row) for row in range(len(session.path))]
    # Set apart from answered steps: the filled-in ones in italics, the current one in bold.
    assert [item.data(EMPHASIS_ROLE) for item in items] == ["filled"] * (len(items) - 1) + ["current"]


def test_search_with_arrow_keys(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.start_page.search, "DeviceCapReached")
    qtbot.keyClick(window.start_page.search, Qt.Key.Key_Down)
    assert window.start_page.results.hasFocus()
    qtbot.keyClick(window.start_page.results, Qt.Key.Key_Down)
    second = window.start_page.results.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(window.start_page.results, Qt.Key.Key_Return)
    assert window.session is not None and window.session.current_ref == second


def test_back_and_change_an_answer(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    qtbot.keyClick(window, Qt.Key.Key_2)  # Android
    window.choose(0)
    window.session.set_note("the user restarted twice")  # type: ignore[union-attr]
    qtbot.mouseClick(window.step_view.back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.step_view.back_button, Qt.MouseButton.LeftButton)
    assert refs(window) == ["start#platform"]
    # The earlier answer is marked, and choosing it again walks on without asking.
    assert window.step_view.choice_buttons[1].property("previous") is True
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert window.confirm.asked == []  # type: ignore[attr-defined]
    assert window.session.current.note == "" and len(refs(window)) == 2  # type: ignore[union-attr]
    window.back()
    # A different answer would lose the note: the agent is asked, and "no" changes nothing.
    window.confirm.answer = False  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.confirm.asked == ["Change this answer?"]  # type: ignore[attr-defined]
    assert refs(window) == ["start#platform"] and len(window.session.visits) == 3  # type: ignore[union-attr]
    window.confirm.answer = True  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert refs(window) == ["start#platform", "ios#symptom"]
    assert window.session.ahead == []  # type: ignore[union-attr]
    assert all(v.note != "the user restarted twice" for v in window.session.visits)  # type: ignore[union-attr]


def test_path_panel_click_goes_back(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.choose(1)
    window.choose(0)
    item = window.path_panel.list.item(0)
    rect = window.path_panel.list.visualItemRect(item)
    qtbot.mouseClick(window.path_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.session is not None and window.session.position == 0)
    assert window.session.ahead  # type: ignore[union-attr]
    later = window.path_panel.list.item(2)
    assert later.foreground().color() != window.path_panel.list.item(0).foreground().color()


def test_ticks_copy_and_zoom(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("android", "samsung-solution-3"))
    view = window.step_view
    assert len(view.step_boxes) == 6 and len(view.thumbnails) == 6
    assert all(thumb.is_valid() for thumb in view.thumbnails)
    qtbot.mouseClick(view.step_boxes[2], Qt.MouseButton.LeftButton)
    assert window.session.current.ticked == {2}  # type: ignore[union-attr]
    assert "1 of 6 actions done" in window.path_panel.list.item(window.session.position).text()  # type: ignore[union-attr]
    # Zoom: Enter on a focused thumbnail opens the dialog; fit, 100 % and the wheel change the zoom.
    view.thumbnails[0].setFocus()
    qtbot.keyClick(view.thumbnails[0], Qt.Key.Key_Return)
    dialog = window.findChild(ZoomDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.alt_label.text() == view.thumbnails[0].alt
    qtbot.mouseClick(dialog.actual_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoom == 1.0 and dialog.zoom_label.text() == "100 %"
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoom > 1.0
    qtbot.mouseClick(dialog.fit_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoom != 1.25
    dialog.close()


def test_copy_a_command(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("android", "certificate-import"))
    from PySide6.QtWidgets import QToolButton

    buttons = [b for b in window.step_view.content.findChildren(QToolButton) if b.text() == "Copy"]
    assert buttons
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "certlm.msc"
    assert buttons[0].text() == "Copied"


def test_end_page_shows_the_outcome(window: MainWindow) -> None:
    window.open_at(NodeRef("general", "escalate"))
    labels = " ".join(
        label.text() for label in window.step_view.content.findChildren(type(window.step_view.progress))
    )
    assert "Escalate" in labels and "Escalate to: " in labels
    assert "Outcome" in window.step_view.progress.text()
    assert not window.step_view.continue_button.isVisible()


def test_progress_hint_and_title(window: MainWindow) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.step_view.progress.text() == "Step 1 · Question"
    window.choose(1)
    window.choose(2)  # a steps or info page
    text = window.step_view.progress.text()
    assert text.startswith("Step 3 · ")
    node = window.session.current_node  # type: ignore[union-attr]
    assert window.windowTitle().startswith(node.title.get("en"))


def test_only_https_links_open(window: MainWindow, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "wizard.ui.step_view.QDesktopServices.openUrl", lambda url: opened.append(url.toString())
    )
    from wizard.ui.step_view import open_link

    for url in (
        "https://learn.microsoft.com/x",
        "http://example.com",
        "javascript:alert(1)",
        "file:///etc/passwd",
    ):
        open_link(url)
    assert opened == ["https://learn.microsoft.com/x"]


def test_restart_asks_when_work_would_be_lost(window: MainWindow) -> None:
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.choose(1)
    window.session.set_note("x")  # type: ignore[union-attr]
    window.confirm.answer = False  # type: ignore[attr-defined]
    window.restart()
    assert len(window.session.path) == 2  # type: ignore[union-attr]
    window.confirm.answer = True  # type: ignore[attr-defined]
    window.restart()
    assert refs(window) == ["start#platform"]


def test_checkbox_space_ticks(window: MainWindow, qtbot: QtBot) -> None:
    window.open_at(NodeRef("initial", "device-checks"))
    box = window.step_view.step_boxes[0]
    assert isinstance(box, QCheckBox)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert window.session.current.ticked == {0}  # type: ignore[union-attr]
