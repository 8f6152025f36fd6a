"""Notices the store hands over as data, worded in the window's language (and again after a switch)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

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
    reason = QCoreApplication.translate(_CONTEXT, _REASONS[notice.reason or Unreadable.OS_ERROR])
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
