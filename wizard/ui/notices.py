"""Notices the store hands over as data, worded in the window's language (and again after a switch),
and why an output file was not written."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wizard.core.files import OutputRefused, Refusal
from wizard.store.settings import NoticeKind, SettingsNotice, Unreadable

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
