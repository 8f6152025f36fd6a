"""What the agent does with a whole case from the window: its end page, closing it, exporting it, the
case history and the saved cases read from there.

The case's saving itself is wizard.ui.case_controller's; this is the glue between the window's menus,
dialogs and status bar and that controller. Texts keep the "MainWindow" translation context they had
in the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt

from wizard.ui.notices import output_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from wizard.core.case import Case
    from wizard.ui.main_window import MainWindow


class CaseCommands:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def summary(self) -> QWidget | None:
        """The end page's case summary, for the case being walked (none for a demo walk or a replay)."""
        window = self.window
        case = window.cases.case
        if case is None or case.session is not window.session:
            return None
        from wizard.ui.summary import CaseSummary  # the exporters load when a walk first ends

        summary = CaseSummary(case, window.lang)
        summary.export_requested.connect(lambda: self.export_case(summary.export_language))
        summary.close_requested.connect(self.close_case)
        summary.copied.connect(
            lambda: window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Copied to the clipboard"), 4000
            )
        )
        return summary

    def close_case(self) -> None:
        window = self.window
        if window.cases.case is None:
            return
        case_id = window.cases.case.id
        window.cases.finish()
        window.session = None
        window.go_home()
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow", "Case %1 closed; it is in the case history (Ctrl+H)."
            ).replace("%1", case_id),
            8000,
        )

    def export_case(self, lang: str | None = None, case: Case | None = None) -> None:
        """Ask for format, language and redaction, then where; write the file atomically."""
        from wizard.ui.case_dialogs import ExportDialog, ask_export_path

        window = self.window
        translate = QCoreApplication.translate
        case = case or window.cases.case
        if case is None:
            window.statusBar().showMessage(translate("MainWindow", "Start or continue a case first."), 5000)
            return
        dialog = ExportDialog(case.id, lang or window.lang, window)
        if not window.run_dialog(dialog):
            return
        path = ask_export_path(window, dialog, Path.home())
        if path is None:
            return
        fmt, export_lang, redact, screenshots = dialog.chosen()
        from wizard.export import write_export

        try:
            write_export(path, case, fmt, export_lang, redact=redact, screenshots=screenshots)
        except OSError as exc:
            window.add_notice(
                translate("MainWindow", "Could not write %1: %2")
                .replace("%1", str(path))
                .replace("%2", output_problem(exc))
            )
            return
        window.statusBar().showMessage(
            translate("MainWindow", "Exported to %1").replace("%1", str(path)), 8000
        )

    def show_history(self) -> None:
        from wizard.ui.case_dialogs import HistoryDialog

        window = self.window
        if window.cases.store is None:
            return
        window.cases.flush()
        dialog = HistoryDialog(
            window.cases.store,
            window.confirm,
            window.settings.case_retention_days,
            self.set_retention,
            window,
        )
        dialog.continue_requested.connect(window.resume_case)
        dialog.replay_requested.connect(window.replay_case)
        dialog.export_requested.connect(self.export_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def load_saved(self, case_id: str) -> Case | None:
        """A saved case, read for export or replay (not opened for editing); None with a notice."""
        from wizard.core.case import CaseError
        from wizard.store.cases import CaseStoreError
        from wizard.ui.case_controller import case_problem_text

        window = self.window
        if window.cases.store is None:
            return None
        try:
            return window.cases.store.load(case_id, window.flowset)
        except (CaseStoreError, CaseError, KeyError) as exc:
            why = case_problem_text(exc)
            window.add_notice(
                QCoreApplication.translate("MainWindow", "Case %1 cannot be opened: %2")
                .replace("%1", case_id)
                .replace("%2", why)
            )
            return None

    def export_saved(self, case_id: str) -> None:
        case = self.load_saved(case_id)
        if case is not None:
            self.export_case(case=case)

    def set_retention(self, days: int) -> None:
        self.window.settings.case_retention_days = days
        self.window.write_settings()
