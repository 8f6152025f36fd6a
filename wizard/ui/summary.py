"""The end of a walk: the case summary ready for the ticket, with Copy, Export and Close case.

Everything shown and copied here comes from one intermediate document, the one the exporters write:
the summary is that document's summary section (checked, found, done, not done, outcome) as HTML, the
whole note below it is the plain-text export, and Copy puts the plain-text and HTML exports on the
clipboard. The page, the clipboard and the files cannot differ.
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard.core.case import Case
from wizard.export import EXPORT_LANGUAGES, Document, build_document
from wizard.export.html import body_html, to_html
from wizard.export.text import to_text
from wizard.ui.fit import FlowLayout
from wizard.ui.i18n import LanguageManager, Retranslating


class CaseSummary(Retranslating, QFrame):
    export_requested = Signal()
    close_requested = Signal()
    copied = Signal()

    def __init__(self, case: Case, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setObjectName("caseSummary")
        self.heading = QLabel()
        self.heading.setObjectName("summaryHeading")
        self.heading.setWordWrap(True)
        self.language = QComboBox()
        for code in EXPORT_LANGUAGES:
            self.language.addItem(LanguageManager.native_name(code), code)
        self.language.setCurrentIndex(
            max(0, self.language.findData(lang if lang in EXPORT_LANGUAGES else "en"))
        )
        self.language.currentIndexChanged.connect(self.refresh)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.brief = QLabel()  # the export's summary section: checked, found, done, not done, outcome
        self.brief.setWordWrap(True)
        self.brief.setObjectName("summaryBrief")
        self.brief.setTextFormat(Qt.TextFormat.RichText)
        self.brief.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.whole_label = QLabel()
        self.whole_label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(140)
        self.whole_label.setBuddy(self.text)
        self.document: Document | None = None
        self.copy_button = QPushButton()
        self.export_button = QPushButton()
        self.close_button = QPushButton()
        self.copy_button.clicked.connect(self.copy)
        self.export_button.clicked.connect(self.export_requested)
        self.close_button.clicked.connect(self.close_requested)
        # Rows that flow onto a second line when large text does not fit beside each other.
        top = FlowLayout()
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        buttons = FlowLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        buttons.push_right(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.brief)
        layout.addWidget(self.whole_label)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.retranslate_ui()
        self.refresh()

    @property
    def export_language(self) -> str:
        return str(self.language.currentData())

    def refresh(self) -> None:
        """The ticket text in the chosen export language (independent of the UI's)."""
        self.document = build_document(self.case, self.export_language)
        self.brief.setText(body_html(self.document.section("summary")))
        self.text.setPlainText(to_text(self.document))

    def copy(self) -> None:
        """Plain text and HTML together, so rich and plain ticket systems each take what they can."""
        self.refresh()  # the case may have changed since the page was drawn (a note typed)
        assert self.document is not None
        data = QMimeData()
        data.setText(to_text(self.document))
        data.setHtml(to_html(self.document))
        QGuiApplication.clipboard().setMimeData(data)
        self.copy_button.setText(self.tr("✓ Copied"))
        QTimer.singleShot(2000, self._restore_copy_text)
        self.copied.emit()

    def _restore_copy_text(self) -> None:
        with suppress(RuntimeError):  # the page may have moved on and the button be gone
            self.copy_button.setText(self.tr("Copy for the tic&ket"))

    def retranslate_ui(self) -> None:
        self.heading.setText(self.tr("Case summary"))
        self.language_label.setText(self.tr("Language of the e&xport:"))
        self.whole_label.setText(self.tr("The whole note, as it is copied and exported:"))
        self.copy_button.setText(self.tr("Copy for the tic&ket"))
        self.copy_button.setToolTip(self.tr("Copies the summary as plain text and as formatted text"))
        self.export_button.setText(self.tr("&Export…"))
        self.close_button.setText(self.tr("&Close the case"))
        self.close_button.setToolTip(self.tr("Marks the case finished; it stays in the case history"))
        self.text.setAccessibleName(self.tr("Case summary"))
