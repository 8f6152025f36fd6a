"""Notices the store hands over as data, worded in the window's language (and again after a switch),
why an output file was not written, and the window's notice bar that shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from wizard.core.files import OutputRefused, Refusal
from wizard.store.settings import NoticeKind, SettingsNotice, Unreadable

if TYPE_CHECKING:
    from wizard.core.packs import Pack
    from wizard.ui.main_window import MainWindow

_CONTEXT = "SettingsNotice"
_REASONS = {
    Unreadable.TOO_LARGE: QT_TRANSLATE_NOOP("SettingsNotice", "it is larger than 1 MiB"),
    Unreadable.NOT_UTF8: QT_TRANSLATE_NOOP("SettingsNotice", "it is not UTF-8 text"),
    Unreadable.NOT_JSON: QT_TRANSLATE_NOOP("SettingsNotice", "it is not valid JSON"),
    Unreadable.TOO_DEEP: QT_TRANSLATE_NOOP("SettingsNotice", "it is nested too deeply"),
    Unreadable.NOT_AN_OBJECT: QT_TRANSLATE_NOOP("SettingsNotice", "it does not hold a JSON object"),
    Unreadable.NOT_A_FILE: QT_TRANSLATE_NOOP("SettingsNotice", "it is not a regular file"),
    Unreadable.OS_ERROR: QT_TRANSLATE_NOOP("SettingsNotice", "it cannot be read"),
}


def notice_text(notice: str | SettingsNotice) -> str:
    """A notice for the notice bar: text as it came, a settings notice worded now."""
    if isinstance(notice, str):
        return notice
    if notice.kind is NoticeKind.IGNORED:
        return (
            QCoreApplication.translate(
                "SettingsNotice",
                "Some settings in %1 are unknown, of the wrong type or out of range and are not used: %2. "
                "Their defaults apply.",
            )
            .replace("%1", str(notice.path))
            .replace("%2", ", ".join(notice.keys))
        )
    reason = QCoreApplication.translate(_CONTEXT, _REASONS[notice.reason or Unreadable.OS_ERROR])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
    if notice.detail:
        reason += f": {notice.detail}"
    if notice.kind is NoticeKind.KEPT_ASIDE:
        return (
            QCoreApplication.translate(
                "SettingsNotice",
                "The settings file could not be read (%1). It was kept as %2 and the defaults are used.",
            )
            .replace("%1", reason)
            .replace("%2", str(notice.kept_as))
        )
    return (
        QCoreApplication.translate(
            "SettingsNotice",
            "The settings file %1 could not be read (%2) nor moved aside. It is left as it is, the defaults "
            "are used and changes to the settings are not saved over it.",
        )
        .replace("%1", str(notice.path))
        .replace("%2", reason)
    )


_REFUSALS = {
    Refusal.DIRECTORY: QT_TRANSLATE_NOOP("OutputProblem", "it is a folder"),
    Refusal.MISSING_FOLDER: QT_TRANSLATE_NOOP("OutputProblem", "the folder does not exist"),
    Refusal.FOLDER_IS_A_FILE: QT_TRANSLATE_NOOP("OutputProblem", "its folder is a file"),
    Refusal.DANGLING_LINK: QT_TRANSLATE_NOOP(
        "OutputProblem", "it is a link to something that does not exist"
    ),
    Refusal.SPECIAL: QT_TRANSLATE_NOOP("OutputProblem", "it is not a file, a pipe or a device"),
    Refusal.CHANGED: QT_TRANSLATE_NOOP("OutputProblem", "it changed while it was being written"),
}


def output_problem(exc: OSError | ValueError) -> str:
    """Why a file was not written, in a few words: in the window's language when the file was refused."""
    if isinstance(exc, OutputRefused):
        return QCoreApplication.translate("OutputProblem", _REFUSALS[exc.kind])  # type: ignore[arg-type]  # PySide6 types QT_TRANSLATE_NOOP as object; it returns the text
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def pack_notices(packs: dict[str, Pack]) -> list[str]:
    """An organisation's settings file or pack.yaml that could not be used: said once, at start."""
    from wizard.store.site import load_site_settings

    notices = []
    problem = load_site_settings().problem
    if problem is not None:
        text = (
            QCoreApplication.translate(
                "MainWindow",
                "The organisation's settings file %1 could not be read (%2); its flow packs are left out.",
            )
            if problem.kind == "unreadable"
            else QCoreApplication.translate(
                "MainWindow",
                "The organisation's settings file %1 is not valid (%2); its flow packs are left out.",
            )
        )
        notices.append(text.replace("%1", str(problem.path)).replace("%2", problem.detail))
    by_folder = {pack.directory: pack for pack in packs.values()}
    notices += [pack.problem for pack in by_folder.values() if pack.problem]
    return notices


class NoticeBar(QObject):
    """The line above the pages that says what is wrong (flow files left out, settings, the store),
    with Details for the whole list; hidden while there is nothing to say. The window lays out its
    `row` and rewords it on a language switch."""

    def __init__(self, window: MainWindow, notices: list[str | SettingsNotice]) -> None:
        super().__init__(window)
        self.window = window
        self.notices = notices
        self.label = QLabel()
        self.label.setObjectName("problems")
        self.label.setWordWrap(True)
        self.details = QPushButton()
        self.details.clicked.connect(self.show_problems)
        self.row = QHBoxLayout()
        self.row.addWidget(self.label, 1)
        self.row.addWidget(self.details)

    def add(self, text: str) -> None:
        self.notices.append(text)
        self.retranslate_ui()

    def text(self) -> str:
        errors = self.window.flow_errors  # none asked of flows still to be loaded
        parts = []
        if errors:
            files = len({problem.path for problem in errors})
            parts.append(self.tr("%n flow file(s) could not be loaded and are left out.", "", files))
        parts += [notice_text(notice) for notice in self.notices]  # data is worded in today's language
        return " ".join(parts)

    def show_problems(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first shown

        notices = "\n".join(map(notice_text, self.notices))
        text = "\n".join(str(problem) for problem in self.window.library.problems) or notices
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Problems found"),
            self.text(),
            QMessageBox.StandardButton.Close,
            self.window,
        )
        box.setDetailedText(text)
        box.open()

    def retranslate_ui(self) -> None:
        self.details.setText(self.tr("Details"))
        notice = self.text()
        self.label.setText(notice)
        self.label.setVisible(bool(notice))
        self.details.setVisible(bool(notice))
