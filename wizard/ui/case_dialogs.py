"""Dialogs around cases: exporting one, and the case history (search, continue, duplicate, delete)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wizard.export import EXPORT_LANGUAGES, FORMATS, SUFFIXES
from wizard.store.cases import CaseRow, CaseStore, CaseStoreError
from wizard.ui.case_controller import case_problem_text, store_problem_text
from wizard.ui.i18n import LanguageManager, Retranslating
from wizard.ui.names import case_outcome_text

FORMAT_NAMES = {
    "md": QT_TRANSLATE_NOOP("ExportDialog", "Markdown (.md)"),
    "html": QT_TRANSLATE_NOOP("ExportDialog", "Web page (.html)"),
    "pdf": QT_TRANSLATE_NOOP("ExportDialog", "PDF (.pdf)"),
    "txt": QT_TRANSLATE_NOOP("ExportDialog", "Plain text (.txt)"),
    "json": QT_TRANSLATE_NOOP("ExportDialog", "Case file for hand-off (.json)"),
}


class ExportDialog(Retranslating, QDialog):
    """Format, language (apart from the app's), redaction, screenshots; then where to save."""

    def __init__(self, case_id: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_id = case_id
        self.format = QComboBox()
        for code in FORMATS:
            self.format.addItem(QCoreApplication.translate("ExportDialog", FORMAT_NAMES[code]), code)  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
        self.language = QComboBox()
        for code in EXPORT_LANGUAGES:
            self.language.addItem(LanguageManager.native_name(code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.redact = QCheckBox()
        self.screenshots = QCheckBox()
        self.format.currentIndexChanged.connect(self._format_changed)
        self.form = QFormLayout()
        self.format_label, self.language_label = QLabel(), QLabel()
        self.format_label.setBuddy(self.format)
        self.language_label.setBuddy(self.language)
        self.form.addRow(self.format_label, self.format)
        self.form.addRow(self.language_label, self.language)
        self.form.addRow("", self.redact)
        self.form.addRow("", self.screenshots)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self._format_changed()

    def chosen(self) -> tuple[str, str, bool, bool]:
        return (
            str(self.format.currentData()),
            str(self.language.currentData()),
            self.redact.isChecked(),
            self.screenshots.isChecked(),
        )

    def suggested_name(self) -> str:
        fmt = str(self.format.currentData())
        return f"{self.case_id}{SUFFIXES[fmt]}"

    def _format_changed(self) -> None:
        self.screenshots.setEnabled(self.format.currentData() in ("html", "pdf"))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Export the case"))
        self.format_label.setText(self.tr("&Format:"))
        self.language_label.setText(self.tr("&Language:"))
        self.redact.setText(self.tr("&Hide personal data (names, UPN, device name, serial number, IMEI)"))
        self.screenshots.setText(self.tr("Include the &screenshots"))


def ask_export_path(parent: QWidget, dialog: ExportDialog, start_dir: Path) -> Path | None:
    fmt = str(dialog.format.currentData())
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        dialog.tr("Export the case"),
        str(start_dir / dialog.suggested_name()),
        f"{QCoreApplication.translate('ExportDialog', FORMAT_NAMES[fmt])} (*{SUFFIXES[fmt]})",  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(SUFFIXES[fmt])


class HistoryDialog(Retranslating, QDialog):
    """Saved cases: search by ticket, user, device, error code or any text; continue, copy, delete."""

    continue_requested = Signal(str)  # case id
    export_requested = Signal(str)
    replay_requested = Signal(str)

    COLUMNS = 6

    def __init__(
        self,
        store: CaseStore,
        confirm: Callable[[str, str], bool],
        retention_days: int,
        on_retention: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.confirm = confirm
        self.on_retention = on_retention
        self.rows: list[CaseRow] = []
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda _item: self._continue())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.continue_button = QPushButton()
        self.duplicate_button = QPushButton()
        self.export_button = QPushButton()
        self.delete_button = QPushButton()
        self.replay_button = QPushButton()
        self.replay_button.clicked.connect(self._replay)
        self.continue_button.clicked.connect(self._continue)
        self.duplicate_button.clicked.connect(self._duplicate)
        self.export_button.clicked.connect(self._export)
        self.delete_button.clicked.connect(self._delete)
        self.retention = QSpinBox()
        self.retention.setRange(0, 3650)
        self.retention.setValue(retention_days)
        self.retention_label = QLabel()
        self.retention_label.setBuddy(self.retention)
        self.purge_button = QPushButton()
        self.purge_button.clicked.connect(self._purge)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for button in (
            self.continue_button,
            self.replay_button,
            self.duplicate_button,
            self.export_button,
            self.delete_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention_label)
        retention_row.addWidget(self.retention)
        retention_row.addWidget(self.purge_button)
        retention_row.addStretch(1)
        retention_row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addLayout(retention_row)
        self.resize(900, 560)
        self.retranslate_ui()
        self.refresh()

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def refresh(self) -> None:
        try:
            text = self.search.text().strip()
            self.rows = self.store.search(text, limit=500) if text else self.store.recent(500)
        except CaseStoreError as exc:
            self.message.setText(
                self.tr("The case history cannot be read: %1").replace("%1", store_problem_text(exc))
            )
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            outcome = case_outcome_text(row.outcome) or self.tr("In progress")
            values = (
                row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                row.id,
                row.ticket,
                row.user_name or row.user_upn,
                row.device_name,
                outcome,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(index, column, item)
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        has = self.selected_id() is not None
        for button in (
            self.continue_button,
            self.replay_button,
            self.duplicate_button,
            self.export_button,
            self.delete_button,
        ):
            button.setEnabled(has)

    def _continue(self) -> None:
        case_id = self.selected_id()
        if case_id:
            self.continue_requested.emit(case_id)
            self.accept()

    def _replay(self) -> None:
        case_id = self.selected_id()
        if case_id:
            self.replay_requested.emit(case_id)
            self.accept()

    def _export(self) -> None:
        case_id = self.selected_id()
        if case_id:
            self.export_requested.emit(case_id)

    def _duplicate(self) -> None:
        case_id = self.selected_id()
        if not case_id:
            return
        try:
            new_id = self.store.duplicate(case_id)
        except (CaseStoreError, KeyError) as exc:
            why = case_problem_text(exc)
            self.message.setText(self.tr("Could not duplicate the case: %1").replace("%1", why))
            return
        self.message.setText(self.tr("Copied as %1.").replace("%1", new_id))
        self.refresh()

    def _delete(self) -> None:
        case_id = self.selected_id()
        if not case_id or not self.confirm(
            self.tr("Delete the case?"), self.tr("Case %1 is deleted for good.").replace("%1", case_id)
        ):
            return
        try:
            self.store.delete(case_id)
        except CaseStoreError as exc:
            self.message.setText(
                self.tr("Could not delete the case: %1").replace("%1", store_problem_text(exc))
            )
            return
        self.message.setText(self.tr("Case %1 was deleted.").replace("%1", case_id))
        self.refresh()

    def _purge(self) -> None:
        days = self.retention.value()
        self.on_retention(days)
        if days == 0:
            self.message.setText(self.tr("Cases are kept until you delete them."))
            return
        try:
            removed = self.store.purge_older_than(days)
        except CaseStoreError as exc:
            self.message.setText(store_problem_text(exc))
            return
        self.message.setText(self.tr("%n old case(s) deleted.", "", removed))
        self.refresh()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Case history"))
        self.search_label.setText(self.tr("&Search:"))
        self.search.setPlaceholderText(self.tr("ticket, user, device, error code or any text"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Updated"),
                self.tr("Case"),
                self.tr("Ticket"),
                self.tr("User"),
                self.tr("Device"),
                self.tr("Outcome"),
            ]
        )
        self.continue_button.setText(self.tr("&Continue"))
        self.replay_button.setText(self.tr("&Replay"))
        self.replay_button.setToolTip(
            self.tr("Step through the case as it was taken, with personal data hidden")
        )
        self.duplicate_button.setText(self.tr("D&uplicate"))
        self.export_button.setText(self.tr("&Export…"))
        self.delete_button.setText(self.tr("&Delete…"))
        self.retention_label.setText(self.tr("De&lete cases not changed for (days, 0 = never):"))
        self.purge_button.setText(self.tr("&Apply"))
