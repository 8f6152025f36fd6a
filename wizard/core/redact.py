"""Personal data and its redaction, in one place: which fields of a case are personal (the end user's
name and UPN, the device's name, serial number and IMEI), and how they are hidden. Every export, the
JSON hand-off and the replay in the window call this module, so they cannot disagree.

The values are replaced in the case's fields and wherever they appear in free text (notes), matched
without regard to case and only as whole words, so a short name does not eat parts of other words.
Each part of the user's name (three letters or more) counts too: a note that says "Anna called back"
loses "Anna" as well. The agent's own name is not the end user's data and stays.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.core.case import Case

# (group, field) of every personal field of a case, as in its JSON form (`user.name`, `device.imei`).
PERSONAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("user", "name"),
    ("user", "upn"),
    ("device", "name"),
    ("device", "serial"),
    ("device", "imei"),
)
PLACEHOLDER = {"en": "[redacted]", "sv": "[borttaget]"}
MIN_PART = 3


def placeholder(lang: str) -> str:
    return PLACEHOLDER.get(lang, PLACEHOLDER["en"])


class Redactor:
    """Replaces a fixed set of values in any text; with no values it returns text unchanged."""

    def __init__(self, values: Iterable[str], lang: str, *, name: str = "") -> None:
        self.placeholder = placeholder(lang)
        wanted = {value.strip() for value in values if value.strip()}
        wanted |= {part for part in re.split(r"\s+", name.strip()) if len(part) >= MIN_PART}
        self.values = sorted(wanted, key=lambda value: (-len(value), value))
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(value) for value in self.values) + r")(?!\w)",
                re.IGNORECASE,
            )
            if self.values
            else None
        )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def field(self, value: str) -> str:
        """A field holding personal data: replaced whole when it has any content."""
        return self.placeholder if value.strip() and self._pattern is not None else value

    def text(self, value: str) -> str:
        """Free text: every occurrence of a personal value replaced."""
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(self.placeholder, value)


NO_REDACTION = Redactor((), "en")


def is_personal(group: str, key: str) -> bool:
    return (group, key) in PERSONAL_FIELDS


def personal_values(case: Case) -> list[str]:
    """The values of the case's personal fields that have content, in PERSONAL_FIELDS order."""
    values = [str(getattr(getattr(case, group), key)) for group, key in PERSONAL_FIELDS]
    return [value.strip() for value in values if value.strip()]


def redactor_for(case: Case, lang: str) -> Redactor:
    """The redactor of one case: its personal values and each part of the end user's name."""
    return Redactor(personal_values(case), lang, name=case.user.name)


def redact_case_data(data: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """A copy of saved case data (the JSON form) with personal fields replaced and their values
    replaced wherever someone typed them: ticket, notes, the escalation, the searches."""
    data = copy.deepcopy(data)
    for group, key in PERSONAL_FIELDS:
        section = data.get(group)
        if isinstance(section, dict) and isinstance(section.get(key), str):
            section[key] = redactor.field(section[key])
    for key in ("general_note", "ticket"):
        if isinstance(data.get(key), str):
            data[key] = redactor.text(data[key])
    escalation = data.get("escalation")
    if isinstance(escalation, dict):
        for key in ("to", "reason"):
            if isinstance(escalation.get(key), str):
                escalation[key] = redactor.text(escalation[key])
    for visit in _visits(data.get("session")):
        if isinstance(visit.get("note"), str):
            visit["note"] = redactor.text(visit["note"])
    for search in data.get("searches") or ():
        if isinstance(search, dict) and isinstance(search.get("query"), str):
            search["query"] = redactor.text(search["query"])  # an agent may type the user's name
    for note in data.get("feedback") or ():
        if isinstance(note, dict) and isinstance(note.get("comment"), str):
            note["comment"] = redactor.text(note["comment"])
    return data


def _visits(session: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(session, dict):
        return
    for visit in session.get("visits", []):
        if isinstance(visit, dict):
            yield visit
    for discarded in session.get("audit", []):
        if isinstance(discarded, dict):
            for visit in discarded.get("visits", []):
                if isinstance(visit, dict):
                    yield visit
