"""The window's names for kinds of step and outcomes, translated by Qt Linguist: one table for the
step page, the flow map and the case history. (Documents word them in their own content language:
wizard/core/labels.py.)
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wizard.core.model import NodeKind, Outcome

CONTEXT = "Names"
# QT_TRANSLATE_NOOP returns its text; PySide6 types it as object, hence str() where it is translated.

KIND_NAMES = {
    NodeKind.QUESTION: QT_TRANSLATE_NOOP("Names", "Question"),
    NodeKind.STEPS: QT_TRANSLATE_NOOP("Names", "Actions"),
    NodeKind.INFO: QT_TRANSLATE_NOOP("Names", "Information"),
    NodeKind.END: QT_TRANSLATE_NOOP("Names", "Outcome"),
}
# What an end node does with the case.
OUTCOME_NAMES = {
    Outcome.RESOLVED: QT_TRANSLATE_NOOP("Names", "Resolved"),
    Outcome.ESCALATE: QT_TRANSLATE_NOOP("Names", "Escalate"),
    Outcome.NOT_RESOLVED: QT_TRANSLATE_NOOP("Names", "Not resolved"),
}
# How a case ended, as the history lists it (done, so "Escalated").
CASE_OUTCOME_NAMES = {
    Outcome.RESOLVED: QT_TRANSLATE_NOOP("Names", "Resolved"),
    Outcome.ESCALATE: QT_TRANSLATE_NOOP("Names", "Escalated"),
    Outcome.NOT_RESOLVED: QT_TRANSLATE_NOOP("Names", "Not resolved"),
}


def kind_text(kind: NodeKind) -> str:
    return QCoreApplication.translate(CONTEXT, str(KIND_NAMES[kind]))


def outcome_text(outcome: Outcome) -> str:
    return QCoreApplication.translate(CONTEXT, str(OUTCOME_NAMES[outcome]))


def case_outcome_text(value: str | None) -> str | None:
    """A saved case's outcome (its stored value), or None for one the window does not know."""
    known = {outcome.value: outcome for outcome in CASE_OUTCOME_NAMES}
    outcome = known.get(value or "")
    return QCoreApplication.translate(CONTEXT, str(CASE_OUTCOME_NAMES[outcome])) if outcome else None
