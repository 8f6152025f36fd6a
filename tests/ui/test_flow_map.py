"""The flow map in the window: click and Enter to jump, peek and come back, zoom, the path marked."""

from __future__ import annotations

import gc
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.engine import Session
from wizard.core.flowmap import FlowMap
from wizard.core.library import FlowLibrary
from wizard.core.model import NodeKind, NodeRef
from wizard.ui import map_view
from wizard.ui.flow_map import FlowMapDialog
from wizard.ui.map_items import NodeItem
from wizard.ui.map_view import FlowMapView


@pytest.fixture
def session(library: FlowLibrary) -> Session:
    """A walk into iOS: inactive devices -> which message -> "Unable to sync"."""
    walk = Session(library.flowset, NodeRef("ios", "symptom"))
    walk.choose(1)
    walk.advance()
    walk.choose(1)
    assert walk.current_ref == NodeRef("ios", "unable-to-sync")
    return walk


@pytest.fixture
def dialog(qtbot: QtBot, library: FlowLibrary, session: Session) -> Iterator[FlowMapDialog]:
    made = FlowMapDialog(library.flowset, "ios", session, "en")
    qtbot.addWidget(made)
    made.resize(1100, 700)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.close()


def click_item(qtbot: QtBot, view: FlowMapView, item: NodeItem) -> None:
    """Scroll the box into view and click its middle on the viewport, as a user would."""
    center = item.shape().boundingRect().center()
    view.centerOn(center)
    QApplication.processEvents()
    pos = view.mapFromScene(center)
    assert view.viewport().rect().contains(pos)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_click_asks_to_jump(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    item = dialog.view.node_items["sync-complete"]
    with qtbot.waitSignal(dialog.jump_requested) as jumped, qtbot.waitSignal(dialog.view.node_activated):
        click_item(qtbot, dialog.view, item)
    assert jumped.args == [NodeRef("ios", "sync-complete")]


def test_click_on_a_link_into_another_flow(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    key = next(k for k, i in dialog.view.node_items.items() if i.node.ref == NodeRef("general", "device-cap"))
    with qtbot.waitSignal(dialog.jump_requested) as jumped:
        click_item(qtbot, dialog.view, dialog.view.node_items[key])
    assert jumped.args == [NodeRef("general", "device-cap")]


def test_enter_on_a_focused_box(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    view = dialog.view
    view.setFocus()
    item = view.node_items["vpp-token-check"]
    item.setFocus()
    assert "VPP token" in view.accessibleDescription()
    with qtbot.waitSignal(view.node_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [NodeRef("ios", "vpp-token-check")]


def test_tab_walks_the_boxes(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    view = dialog.view
    view.setFocus()
    view.node_items["symptom"].setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    focused = view.scene().focusItem()
    assert isinstance(focused, NodeItem) and focused.node.layer == 1
    assert view.hasFocus()
    view.set_zoom(1.0)
    last = view.tab_order[-1]
    view.tab_order[-2].setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.scene().focusItem() is last
    assert view.mapFromScene(last.boundingRect()).boundingRect().intersects(view.viewport().rect())
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.scene().focusItem() is view.tab_order[-2]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # past the last box: on to the next widget
    assert not view.hasFocus()


def test_dragging_pans_and_does_not_jump(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    view = dialog.view
    view.set_zoom(1.0)
    item = view.node_items["enrollment-error"]
    view.centerOn(item.shape().boundingRect().center())
    start = view.mapFromScene(item.shape().boundingRect().center())
    before = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    with qtbot.assertNotEmitted(view.node_activated):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(120, 80))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(120, 80))
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) != before


def test_peek_previews_and_returns_without_changing_the_walk(
    qtbot: QtBot, dialog: FlowMapDialog, session: Session
) -> None:
    before = session.to_json()
    dialog.view.set_zoom(0.8)
    dialog.peek_button.click()
    assert dialog.peeking and dialog.preview.isVisible()
    centre = dialog.view.viewport().rect().center()
    view_before = (dialog.view.transform().m11(), dialog.view.mapToScene(centre))
    with qtbot.assertNotEmitted(dialog.jump_requested):
        click_item(qtbot, dialog.view, dialog.view.node_items["vpp-wipe-blocked"])
        dialog.view.zoom_in()
        click_item(qtbot, dialog.view, dialog.view.node_items["sync-complete"])
    assert dialog.preview.title.text() == "Sync successful"
    assert "The device shows as healthy again" in dialog.preview.body.text()
    assert dialog.view.peeked_key == "sync-complete"
    assert dialog.view.node_items["sync-complete"].peeked
    assert session.to_json() == before
    dialog.preview.back_button.click()
    assert dialog.preview.ref is None and dialog.preview.title.text() == ""
    assert dialog.view.peeked_key is None
    assert not dialog.view.node_items["sync-complete"].peeked
    assert dialog.view.transform().m11() == pytest.approx(view_before[0])
    back_at = dialog.view.mapToScene(dialog.view.viewport().rect().center())
    assert (back_at - view_before[1]).manhattanLength() < 3
    assert session.to_json() == before
    assert dialog.view.node_items["unable-to-sync"].current
    # Peek off again: a click asks to jump.
    dialog.peek_button.click()
    assert not dialog.preview.isVisible()
    with qtbot.waitSignal(dialog.jump_requested):
        click_item(qtbot, dialog.view, dialog.view.node_items["sync-complete"])


def test_peek_into_another_flow(qtbot: QtBot, dialog: FlowMapDialog, session: Session) -> None:
    before = session.to_json()
    dialog.set_peek(True)
    key = next(k for k, i in dialog.view.node_items.items() if i.node.ref == NodeRef("general", "escalate"))
    click_item(qtbot, dialog.view, dialog.view.node_items[key])
    assert dialog.preview.title.text() == "Contact Microsoft support"
    assert "General enrollment problems" in dialog.preview.kind.text()
    assert dialog.view.peeked_key == key
    assert session.to_json() == before


def test_zoom(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    view = dialog.view
    view.set_zoom(1.0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.transform().m11() == pytest.approx(1.2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.transform().m11() == pytest.approx(1 / 1.2)
    wheel = QWheelEvent(
        QPointF(100, 100),
        QPointF(view.viewport().mapToGlobal(QPoint(100, 100))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.transform().m11() == pytest.approx(1.0)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    fitted = view.transform().m11()
    assert fitted < 0.6  # ios does not fit at 100 %
    scene = view.mapFromScene(view.sceneRect()).boundingRect()
    assert scene.width() <= view.viewport().width() + 2 and scene.height() <= view.viewport().height() + 2
    dialog.zoom_in_button.click()
    assert view.transform().m11() == pytest.approx(fitted * 1.2)
    assert dialog.zoom_label.text() == f"{fitted * 1.2 * 100:.0f} %"


def test_the_path_is_marked(dialog: FlowMapDialog, session: Session) -> None:
    view = dialog.view
    on_path = {key for key, item in view.node_items.items() if item.on_path}
    assert on_path == {"symptom", "inactive-devices", "sync-result", "unable-to-sync"}
    current = [key for key, item in view.node_items.items() if item.current]
    assert current == ["unable-to-sync"]
    assert view.node_items["sync-result"].steps == (3,)
    marked = [item.edge for item in view.edge_items if item.on_path]
    assert {(e.source_key, e.target_key) for e in marked} == {
        ("symptom", "inactive-devices"),
        ("inactive-devices", "sync-result"),
        ("sync-result", "unable-to-sync"),
    }
    # The walk goes back: the marks follow.
    session.back()
    dialog.set_session(session)
    assert [key for key, item in view.node_items.items() if item.current] == ["sync-result"]
    assert not view.node_items["unable-to-sync"].on_path
    dialog.set_session(None)
    assert not any(item.on_path or item.current for item in view.node_items.values())


def test_the_map_paints_the_current_step(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    view = dialog.view
    view.set_zoom(1.0)
    item = view.node_items["unable-to-sync"]
    view.centerOn(item.shape().boundingRect().center())
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    border = view.mapFromScene(QPointF(item.node.x + item.node.w / 2, item.node.y))
    colours = {image.pixelColor(border.x(), border.y() + dy).name() for dy in range(-2, 3)}
    assert highlight.name() in colours


def test_language_and_flow_switch(qtbot: QtBot, dialog: FlowMapDialog) -> None:
    dialog.set_language("sv")
    assert (
        dialog.view.node_items["unable-to-sync"].node.title
        == "Det går inte att synkronisera: registrera enheten igen"
    )
    assert dialog.view.node_items["unable-to-sync"].current, "the marks stay"
    assert dialog.flow_box.currentText() == "iOS-problem"
    dialog.flow_box.setCurrentIndex(dialog.flow_box.findData("general"))
    assert dialog.flow_id == "general"
    assert set(dialog.view.node_items) >= {"symptom", "escalate", "resolved"}
    assert not any(item.on_path for item in dialog.view.node_items.values())  # the walk is in ios


def test_kinds_are_told_apart(dialog: FlowMapDialog) -> None:
    items = dialog.view.node_items
    shapes = {
        NodeKind.QUESTION: items["symptom"],
        NodeKind.STEPS: items["unable-to-sync"],
        NodeKind.INFO: items["sync-complete"],
        NodeKind.END: items["third-party-idp"],
    }
    counts = {kind: item.outline.elementCount() for kind, item in shapes.items()}
    assert len(set(counts.values())) == 4  # hexagon, rectangle, rounded rectangle, pill differ
    assert "Question" in dialog.view.describe(items["symptom"].node)
    assert "Escalate" in dialog.view.describe(items["third-party-idp"].node)


def test_dark_palette(qtbot: QtBot, library: FlowLibrary) -> None:
    view = FlowMapView()
    qtbot.addWidget(view)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1b1b1d"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    view.setPalette(palette)
    assert view.look.theme.background == "#1b1b1d" and view.look.theme.text == "#eeeeee"
    assert view.look.theme.question != "#ddeaff"  # the dark fills


def test_save_svg_and_png(qtbot: QtBot, dialog: FlowMapDialog, tmp_path: Path) -> None:
    dialog.ask_save_path = lambda fmt: tmp_path / f"map.{fmt}"  # type: ignore[method-assign]
    dialog.svg_button.click()
    svg = tmp_path / "map.svg"
    root = ET.parse(svg).getroot()
    shown = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "You are here" in shown and "Path taken" in shown
    assert str(svg) in dialog.status.text()
    dialog.png_button.click()
    image = QImage(str(tmp_path / "map.png"))
    assert image.width() == round(float(root.get("width", 0)) * 2)
    dialog.ask_save_path = lambda fmt: tmp_path / "missing.txt" / f"map.{fmt}"  # type: ignore[method-assign]
    (tmp_path / "missing.txt").write_text("a file, not a folder")
    assert dialog.save("svg") is None
    assert "Could not save" in dialog.status.text()
    dialog.ask_save_path = lambda fmt: None  # type: ignore[method-assign]
    assert dialog.save("png") is None


def test_the_window_saves_a_map_as_the_map_command_does(
    dialog: FlowMapDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One writer for both: a map saved over a private file keeps its mode, as `map -o` keeps it."""
    import stat

    import wizard.export.map_file as map_file

    target = tmp_path / "private.svg"
    target.write_text("old")
    target.chmod(0o600)
    calls: list[Path] = []
    real = map_file.write_map
    monkeypatch.setattr(map_file, "write_map", lambda path, svg: (calls.append(path), real(path, svg))[1])
    dialog.ask_save_path = lambda fmt: target  # type: ignore[method-assign]
    assert dialog.save("svg") == target
    assert calls == [target]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text().startswith("<")


@pytest.fixture
def layout_threads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every flow is laid out as a large one is (in a worker thread, boxes added slice by slice);
    the list gets the thread of every layout."""
    monkeypatch.setattr(map_view, "SYNC_LAYOUT_NODES", 5)
    monkeypatch.setattr(map_view, "BUILD_SLICE_SECONDS", 0.0)  # a slice per turn of the event loop
    threads: list[int] = []
    real_layout = map_view.layout_flow

    def layout(*args: Any, **kwargs: Any) -> FlowMap:
        threads.append(threading.get_ident())
        return real_layout(*args, **kwargs)

    monkeypatch.setattr(map_view, "layout_flow", layout)
    return threads


def test_a_large_flow_is_laid_out_off_the_ui_thread(
    qtbot: QtBot, library: FlowLibrary, session: Session, layout_threads: list[int]
) -> None:
    dialog = FlowMapDialog(library.flowset, "ios", session, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    # The dialog is up before its map: it says the map is being made.
    assert dialog.view.busy and dialog.view.node_items == {}
    assert dialog.busy_bar.isVisible()
    assert (
        dialog.busy_label.text() == f"Laying out the map of {len(library.flowset.flow('ios').nodes)} steps…"
    )
    with qtbot.waitSignal(dialog.view.map_ready, timeout=20_000):
        pass
    assert layout_threads and threading.get_ident() not in layout_threads
    assert not dialog.view.busy and not dialog.busy_bar.isVisible() and not dialog.busy_label.isVisible()
    assert gc.isenabled()  # held off only while the map was made
    assert set(library.flowset.flow("ios").nodes) <= set(dialog.view.node_items)
    # The walk is marked and the current step has the focus, as with a small flow.
    assert dialog.view.highlight.current == "unable-to-sync"
    assert dialog.view.node_items["unable-to-sync"].current
    dialog.view.setFocus()
    assert dialog.view.scene().focusItem() is dialog.view.node_items["unable-to-sync"]


def test_a_layout_asked_for_meanwhile_wins(
    qtbot: QtBot, library: FlowLibrary, session: Session, layout_threads: list[int]
) -> None:
    dialog = FlowMapDialog(library.flowset, "ios", session, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_flow("android")  # before the ios map came back
    with qtbot.waitSignal(dialog.view.map_ready, timeout=20_000):
        pass
    qtbot.wait(50)  # the ios layout, if it comes back late, must be dropped
    assert dialog.view.flow is not None and dialog.view.flow.id == "android"
    assert set(dialog.view.node_items) >= set(library.flowset.flow("android").nodes)
    assert "ios" not in {
        item.node.ref.flow for item in dialog.view.node_items.values() if not item.node.external
    }


def test_a_large_map_is_taken_down_a_slice_at_a_time(
    qtbot: QtBot,
    library: FlowLibrary,
    session: Session,
    layout_threads: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(map_view, "TAKE_DOWN_SLICE", 5)
    dialog = FlowMapDialog(library.flowset, "ios", session, "en")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.view.map_ready, timeout=20_000):
        dialog.show()
    old_scene = dialog.view.scene()
    before = len(old_scene.items())
    dialog.set_flow("android")
    # The ios map left the view at once but is deleted over several turns of the event loop.
    assert dialog.view.scene() is not old_scene and dialog.view.node_items == {}
    assert 0 < len(old_scene.items()) == before - 5
    with qtbot.waitSignals([old_scene.destroyed, dialog.view.map_ready], timeout=20_000):
        pass
    assert set(library.flowset.flow("android").nodes) <= set(dialog.view.node_items)
