"""Redaction of personal data: the end user's name and UPN, the device's name, serial number and IMEI.

The values are replaced in the case's fields and wherever they appear in free text (notes), matched
without regard to case and only as whole words, so a short name does not eat parts of other words.
Each part of the user's name (three letters or more) counts too: a note that says "Anna called back"
loses "Anna" as well. The agent's own name is not the end user's data and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
