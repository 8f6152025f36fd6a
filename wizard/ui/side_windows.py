"""The window's companion windows: the flow map and the statistics, each opened once and brought
forward when asked for again; the window tells them when the walk or the language changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from wizard.ui.main_window import MainWindow


def show_flow_map(window: MainWindow) -> None:
    """The flow as a graph with the walk on it; a click jumps, Peek only looks."""
    from wizard.ui.flow_map import FlowMapDialog

    session = window.session
    if window.flow_map is None:
        from wizard.core.walks import START_FLOW

        flow_id = session.current_ref.flow if session else START_FLOW
        if flow_id not in window.flowset:
            flow_id = next(iter(window.flowset)).id
        dialog = FlowMapDialog(window.flowset, flow_id, session, window.lang, window)
        dialog.jump_requested.connect(window.jump_to_node)
        dialog.finished.connect(lambda _result: setattr(window, "flow_map", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.flow_map = dialog
    elif session is not None:
        window.flow_map.set_flow(session.current_ref.flow)  # type: ignore[attr-defined]
    window.flow_map.show()
    window.flow_map.raise_()


def show_statistics(window: MainWindow) -> None:
    """What the saved cases say together; the statistics and charts load only now."""
    from wizard.ui.stats_window import StatsWindow

    stats = window.stats_window
    if stats is None:
        window.cases.flush()
        store = window.cases.store
        stats = StatsWindow(
            window.flowset, window.lang, store.path if store is not None else None, parent=window
        )
        stats.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        stats.finished.connect(lambda _result: setattr(window, "stats_window", None))
        window.stats_window = stats
    stats.show()
    stats.raise_()
