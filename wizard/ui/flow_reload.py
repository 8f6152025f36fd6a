"""Live reload for flow authors: the flow folders are read again when a file changes, and the agent keeps
their place wherever the new flows still have it.

Which version of a broken flow is kept, and how a walk is filled in again, are the core's rules
(wizard.core.walks); this module applies them to the window. Texts keep the "MainWindow" translation
context they had in the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from wizard.core.engine import Session, SessionError
from wizard.core.walks import keep_last_good, refill_walk
from wizard.store import paths as store_paths
from wizard.store.flow_cache import load_cached_library

if TYPE_CHECKING:
    from wizard.ui.main_window import MainWindow


def reload_flows(window: MainWindow) -> None:
    """A flow file changed: load again, keep the agent's place where the flow still has it, and list
    the problems instead of failing. A flow that breaks keeps its last good version."""
    translate = QCoreApplication.translate
    fresh = load_cached_library(store_paths.flow_dirs(window.settings.flow_dirs), refresh=True)
    if window.flow_map is not None:
        window.flow_map.close()  # drawn from the flows as they were; reopen to see the new ones
    fresh.flowset, kept = keep_last_good(window.flowset, fresh.flowset, fresh.problems)
    window.use_library(fresh)
    message = translate("MainWindow", "Flows reloaded.")
    if kept:
        message += " " + translate("MainWindow", "Showing the last good version of: %1.").replace(
            "%1", ", ".join(kept)
        )
    window.statusBar().showMessage(message, 8000)
    keep_place(window)


def keep_place(window: MainWindow) -> None:
    """Move the walk onto the reloaded flows: as it was, filled in again up to its step, or, when
    that step is gone, back to the start page with a notice."""
    translate = QCoreApplication.translate
    window.leave_replay()
    session = window.session
    if session is None:
        window.retranslate_ui()
        return
    try:
        moved = Session.from_json(window.flowset, session.to_json())
    except SessionError:
        current = session.current_ref
        if not window.flowset.has_node(current):
            window.session = None
            window.add_notice(
                translate(
                    "MainWindow",
                    "The step you were on (%1) is no longer in the flows; start again from here.",
                ).replace("%1", str(current))
            )
            window.go_home()
            return
        moved = refill_walk(window.flowset, current)
        window.statusBar().showMessage(
            translate("MainWindow", "The flow changed before this step; the path was filled in again."), 8000
        )
    window.session = moved
    window.cases.rebind(moved)
    window.refresh_page()
