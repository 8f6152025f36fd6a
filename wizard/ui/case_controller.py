"""Keeps the open case saved: every engine change at once, typing within a second, failures retried.

The window asks it to start, resume, finish and export cases; it tells the window what happened to
the saving, in the agent's language: the store reports kinds (StoreProblem, NoticeKind), worded here.
It never lets go of a case it could not save. While a case is open it renews the window's hold on it,
so another window does not offer it as left unfinished.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:  # the case record and the store load with the first case, not at start-up
    from collections.abc import Callable

    from wizard.core.case import Case
    from wizard.core.engine import Session
    from wizard.core.model import FlowSet
    from wizard.store.cases import AutoSaver, CaseRow, CaseStore, CaseStoreError, SaveStatus, StoreNotice

TYPING_SAVE_MS = 700  # typing is saved this long after the first unsaved key: within a second
RETRY_MS = 3000  # a failed save (full or read-only disk, locked file) is tried again this often


def store_problem_text(error: CaseStoreError) -> str:
    """A store failure in the agent's language: what is wrong, in a phrase that fits a sentence."""
    from wizard.store.cases import StoreProblem

    translate = QCoreApplication.translate
    problem = error.problem
    if problem is StoreProblem.LOCKED:
        text = translate(
            "CaseController",
            "the saved cases are in use by another program or window; close it if this lasts",
        )
    elif problem is StoreProblem.READ_ONLY:
        text = translate("CaseController", "%1 is read-only")
    elif problem is StoreProblem.DISK_FULL:
        text = translate("CaseController", "the disk is full")
    elif problem is StoreProblem.NO_FOLDER:
        text = translate("CaseController", "the folder %1 cannot be created")
    elif problem is StoreProblem.CANNOT_OPEN:
        text = translate("CaseController", "the case database %1 cannot be opened")
    elif problem is StoreProblem.IO_ERROR:
        text = translate("CaseController", "reading or writing %1 failed")
    elif problem is StoreProblem.DAMAGED:
        text = translate("CaseController", "the case database %1 is damaged")
    elif problem is StoreProblem.CONFLICT:
        text = translate("CaseController", "case %2 was changed in another window")
    else:
        text = translate("CaseController", "the case database %1 failed (%3)")
    return text.replace("%1", str(error.path)).replace("%2", error.case_id).replace("%3", error.detail)


def case_problem_text(error: Exception) -> str:
    """Why a saved case cannot be opened, duplicated or exported: a store failure, a case that is gone
    (KeyError), or saved data the flows no longer fit (CaseError, its field named as a detail)."""
    from wizard.store.cases import CaseStoreError

    if isinstance(error, CaseStoreError):
        return store_problem_text(error)
    if isinstance(error, KeyError):
        return QCoreApplication.translate("CaseController", "it is not among the saved cases")
    return QCoreApplication.translate(
        "CaseController", "its saved data does not fit the flows as they are now (%1)"
    ).replace("%1", str(error))


class CaseController(QObject):
    status_changed = Signal(str, bool)  # message for the agent, whether it is a problem
    notice = Signal(str)  # something to show once, e.g. a damaged database kept aside
    case_renamed = Signal(str)  # the open case was saved as a copy under this id (a conflict)

    def __init__(
        self, store: CaseStore | None, flowset: Callable[[], FlowSet], parent: QObject | None = None
    ) -> None:
        """`flowset` gives the window's flows when a saved case is read (they may be loaded later)."""
        super().__init__(parent)
        self.store = store
        self._flowset = flowset
        self.case: Case | None = None
        self.saver: AutoSaver | None = None
        if store is not None:
            self.attach_store(store)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.flush)
        self.heartbeat = QTimer(self)
        self.heartbeat.timeout.connect(self._renew_hold)
        self.failing = False
        self.recording = True  # off for demo walks in presentation mode, unless the trainer asks

    def attach_store(self, store: CaseStore) -> None:
        """Save into `store` from now on (the app hands it over after the window's first paint)."""
        from wizard.store.cases import AutoSaver

        self.store = store
        self.saver = AutoSaver(store, self._on_status)

    # -- opening --------------------------------------------------------------------------------

    def open_store(self) -> None:
        """Open the database now, so damage is found and reported at start rather than mid-call."""
        if self.store is None:
            return
        from wizard.store.cases import CaseStoreError

        try:
            for notice in self.store.open():
                self.notice.emit(self._notice_text(notice))
        except CaseStoreError as exc:
            self.notice.emit(
                self.tr(
                    "Saved cases cannot be opened: %1. New cases stay in memory until saving works."
                ).replace("%1", store_problem_text(exc))
            )

    def start(self, session: Session, agent: str) -> Case | None:
        """A new case around a walk that has just begun; saved at once. None for an unsaved demo."""
        if not self.recording:
            self.flush()
            self.case = None
            return None
        from wizard.core.case import Case

        taken = self._exists if self.store is not None else None
        case = Case.for_session(session, agent=agent, taken=taken)
        self._adopt(case)
        return case

    def resume(self, case_id: str) -> Case | None:
        """Load a saved case and make it the open one, exactly where it was left."""
        if self.store is None:
            return None
        from wizard.core.case import CaseError
        from wizard.store.cases import CaseStoreError

        try:
            case = self.store.load(case_id, self._flowset())
        except (CaseStoreError, CaseError, KeyError) as exc:
            why = case_problem_text(exc)
            self.notice.emit(
                self.tr("Case %1 cannot be opened: %2").replace("%1", case_id).replace("%2", why)
            )
            return None
        case.reopen()
        self._adopt(case)
        return case

    def _adopt(self, case: Case) -> None:
        self.flush()  # the previous case, if it still had unsaved typing
        previous, self.case = self.case, case
        if previous is not None and previous.id != case.id:
            self._release(previous.id)
        case.session.subscribe(self._session_changed)
        self.changed()
        if self.store is not None:
            from wizard.store.cases import HEARTBEAT_SECONDS

            self.heartbeat.start(HEARTBEAT_SECONDS * 1000)

    def _renew_hold(self) -> None:
        """Tell other windows that this one still has the case open (a failure only costs that)."""
        from wizard.store.cases import CaseStoreError

        if self.store is None or self.case is None:
            self.heartbeat.stop()
            return
        with suppress(CaseStoreError):
            self.store.heartbeat(self.case.id)

    def _release(self, case_id: str) -> None:
        from wizard.store.cases import CaseStoreError

        if self.store is not None:
            with suppress(CaseStoreError):  # the hold runs out by itself
                self.store.release(case_id)

    def rebind(self, session: Session) -> None:
        """The flows were reloaded and the open case's walk rebuilt on them: follow the new session."""
        if self.case is None:
            return
        self.case.session = session
        session.subscribe(self._session_changed)
        self.changed()

    def _exists(self, case_id: str) -> bool:
        from wizard.store.cases import CaseStoreError

        assert self.store is not None
        try:
            return self.store.exists(case_id)
        except CaseStoreError:
            return False

    # -- changes --------------------------------------------------------------------------------

    def _session_changed(self, session: Session) -> None:
        if self.case is None or session is not self.case.session:
            return  # a case that is no longer open (its session may still be alive elsewhere)
        last = session.history[-1] if session.history else None
        self.changed(typing=last is not None and last.action == "note")

    def changed(self, typing: bool = False) -> None:
        """The open case changed; `typing` for text fields, saved within a second."""
        if self.case is None or self.saver is None:
            return
        saved = self.saver.changed(self.case, typing=typing)
        if typing or not saved:
            if not self.timer.isActive():
                self.timer.start(RETRY_MS if self.failing else TYPING_SAVE_MS)
        else:
            self._saved()

    def flush(self) -> bool:
        """Save what is pending now; True when nothing is left unsaved."""
        if self.saver is None or not self.saver.pending:
            return True
        ok = self.saver.flush()
        if ok:
            self._saved()
        elif not self.timer.isActive():
            self.timer.start(RETRY_MS)
        return ok

    @property
    def pending(self) -> bool:
        return self.saver is not None and self.saver.pending

    def finish(self) -> None:
        """Close the open case: it is kept in the history and no longer offered to resume."""
        if self.case is None:
            return
        self.case.finish()
        self.changed()  # a finished case is saved without a hold
        self.case = None
        self.heartbeat.stop()

    def discard_unfinished(self, case_id: str) -> None:
        """The agent does not want to resume it: mark it finished so it is not offered again."""
        case = self.resume(case_id)
        if case is not None:
            self.finish()

    # -- the history ----------------------------------------------------------------------------

    def unfinished(self) -> CaseRow | None:
        if self.store is None:
            return None
        from wizard.store.cases import CaseStoreError

        try:
            row = self.store.unfinished()
        except CaseStoreError:
            return None
        if row is not None and self.case is not None and row.id == self.case.id:
            return None
        return row

    def recent(self, limit: int = 5) -> list[CaseRow]:
        if self.store is None:
            return []
        from wizard.store.cases import CaseStoreError

        try:
            return self.store.recent(limit)
        except CaseStoreError:
            return []

    def purge(self, days: int) -> None:
        if self.store is None or days <= 0:
            return
        from wizard.store.cases import CaseStoreError

        try:
            self.store.purge_older_than(days)
        except CaseStoreError as exc:
            self.notice.emit(store_problem_text(exc))

    # -- status ---------------------------------------------------------------------------------

    def _saved(self) -> None:
        self.failing = False
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.status_changed.emit(self.tr("Saved %1").replace("%1", now), False)

    def _on_status(self, status: SaveStatus) -> None:
        if status.notice is not None:
            self.notice.emit(self._notice_text(status.notice))
            from wizard.store.cases import NoticeKind

            if status.notice.kind is NoticeKind.SAVED_AS_COPY:
                self.case_renamed.emit(status.notice.case_id)
        elif status.error is not None:
            self.failing = True
            if status.error.retryable:
                text = self.tr("Not saved: %1. Your changes are kept and saving is tried again.")
            else:
                text = self.tr("Not saved: %1. Your changes are kept in this window.")
            self.status_changed.emit(text.replace("%1", store_problem_text(status.error)), True)

    def _notice_text(self, notice: StoreNotice) -> str:
        from wizard.store.cases import NoticeKind

        if notice.kind is NoticeKind.KEPT_ASIDE:
            return self.tr(
                "The case database could not be used and was kept aside as %1; a new one was started."
            ).replace("%1", str(notice.kept_as or ""))
        if notice.kind is NoticeKind.READ_ONLY:
            return self.tr(
                "The saved cases in %1 can be read but not changed (read-only). Your work is kept in "
                "this window and saving is tried again."
            ).replace("%1", str(notice.path))
        return (
            self.tr(
                "Case %1 was changed in another window meanwhile. Your version is saved as a copy, %2; "
                "the other version stays under %1."
            )
            .replace("%1", notice.detail)
            .replace("%2", notice.case_id)
        )
