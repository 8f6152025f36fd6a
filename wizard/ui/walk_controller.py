"""What the agent does on a walk: open one at a step, continue a saved one, answer, go back and forward,
jump along the path or to a step of the map, restart, tick actions and give feedback.

The rules (where a walk starts, which route leads to a step, what a changed answer discards) are the
core's (wizard.core.walks, wizard.core.engine); this applies them to the window's session and asks the
agent before notes or ticks would be lost. Texts keep the "MainWindow" translation context they had in
the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from wizard.core.engine import FilledBy, SessionError
from wizard.core.walks import Move, open_walk, walk_to

if TYPE_CHECKING:
    from wizard.core.model import NodeRef
    from wizard.ui.main_window import MainWindow


class WalkController:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def open_at(
        self,
        ref: NodeRef,
        infer: bool = True,
        searched: bool | None = None,
        filled_by: FilledBy = FilledBy.LINK,
    ) -> None:
        """Start a walk at `ref`; with `infer`, the questions leading there appear as filled in (by
        `filled_by`: a link, a search hit, the flow map).

        From the start page (`searched` given), the search in its box is kept on the new case, with
        `ref` as what was opened from it when `searched` is true."""
        window = self.window
        window.leave_replay()
        session = window.session = open_walk(window.flowset, ref, infer=infer, filled_by=filled_by)
        case = window.cases.start(session, window.settings.agent_name)
        if case is not None:
            case.lang = window.lang  # the statistics count walks by the language they were shown in
        record = window.start_page.search_record(ref if searched else None, session.clock())
        if case is not None and searched is not None and record is not None:
            case.record_search(record)
            window.cases.changed()
        window.case_panel.show_case(case, window.lang)  # None for a demo walk: the panel is disabled
        window.stack.setCurrentWidget(window.walk_page)
        window.refresh_page()

    def resume_case(self, case_id: str) -> None:
        """Continue a saved case exactly where it was left (after a crash, or from the history)."""
        window = self.window
        window.leave_replay()
        case = window.cases.resume(case_id)
        if case is None:
            return
        window.session = case.session
        window.case_panel.show_case(case, window.lang)
        window.stack.setCurrentWidget(window.walk_page)
        window.refresh_page()

    def choose(self, index: int) -> None:
        session = self.window.session
        if session is None or self.window.replay is not None:
            return
        if not self.confirm_change(index):
            return
        session.choose(index)
        self.window.refresh_page()

    def advance(self) -> None:
        if self.window.replay is not None:
            self.forward()
            return
        session = self.window.session
        if session is not None and session.current_node.next is not None:
            session.advance()
            self.window.refresh_page()

    def back(self) -> None:
        session = self.window.session
        if self.window.on_walk_page() and session is not None and session.can_back():
            session.back()
            self.window.refresh_page()

    def forward(self) -> None:
        session = self.window.session
        if self.window.on_walk_page() and session is not None and session.can_forward():
            session.forward()
            self.window.refresh_page()

    def jump_to(self, position: int) -> None:
        session = self.window.session
        if session is None or position == session.position:
            return
        try:
            session.jump_to(position)
        except SessionError:
            return
        self.window.refresh_page()

    def restart(self) -> None:
        window = self.window
        session = window.session
        if session is None or not window.on_walk_page() or window.replay is not None:
            return
        translate = QCoreApplication.translate
        if any(visit.note or visit.ticked for visit in session.visits) and not window.confirm(
            translate("MainWindow", "Restart the walk?"),
            translate("MainWindow", "Notes and ticked actions of this walk are removed from the path."),
        ):
            return
        session.restart(session.visits[0].ref)
        window.refresh_page()

    def jump_to_node(self, ref: NodeRef) -> None:
        """From the map: a step on the path is gone back to; one ahead of the current step is walked
        to by the shortest route; anything else starts a new walk there, its route filled in."""
        window = self.window
        if window.replay is not None:
            return
        if window.session is not None:
            result = walk_to(window.session, ref, self.confirm_change)
            if result.move is Move.BACK:
                self.jump_to(result.position)
                return
            if result.move is Move.WALKED:
                window.refresh_page()
                return
            if result.move is Move.CANCELLED:
                return
        self.open_at(ref, filled_by=FilledBy.MAP)

    def confirm_change(self, index: int) -> bool:
        """True when answering `index` loses no notes or ticks, or the agent agrees to lose them."""
        session = self.window.session
        assert session is not None
        lost = [visit for visit in session.would_discard(index) if visit.note or visit.ticked]
        translate = QCoreApplication.translate
        return not lost or self.window.confirm(
            translate("MainWindow", "Change this answer?"),
            translate(
                "MainWindow",
                "The steps after this one hold notes or ticked actions. Changing the answer removes them from the case.",
            ),
        )

    def tick(self, index: int, ticked: bool) -> None:
        window = self.window
        if window.session is not None and window.replay is None:
            window.session.set_tick(index, ticked)
            window.path_panel.show_path(window.session, window.lang)

    def give_feedback(self, kind: str, comment: str) -> None:
        """Step feedback goes on the case (a demo walk keeps none); nothing is sent anywhere."""
        window = self.window
        case = window.cases.case
        if window.session is not None and case is not None and window.replay is None:
            case.add_feedback(window.session.current_ref, kind, comment)
            window.cases.changed()
