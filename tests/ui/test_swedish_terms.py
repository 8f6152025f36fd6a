"""One Swedish term per concept, Microsoft's where it has one: checked on the translation file and
on the window, so a new string cannot bring back a term the agents stumbled on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from wizard.store.paths import builtin_translations_dir
from wizard.ui.main_window import MainWindow


def translations() -> list[tuple[str, str]]:
    """(English source, Swedish translation) for every UI string; plural forms each on their own."""
    pairs = []
    for message in ET.parse(builtin_translations_dir() / "wizard_sv.ts").getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = translation.findall("numerusform") or [translation]
        pairs += [(source, form.text or "") for form in forms]
    assert len(pairs) > 200
    return pairs


def words(text: str) -> str:
    return text.replace("&", "")


# (why, English sources it applies to, Swedish that must not appear in their translation)
AVOIDED = [
    ("Duplicate is Duplicera: Kopiera is the clipboard's Copy", r"(?i)duplicat", r"(?i)kopi"),
    ("Fit is Passa in: Anpassa is Microsoft's Customize", r"\bFit\b", r"(?i)anpassa"),
    ("Peek is Snabbtitt", r"(?i)\bpeek\b", r"^Titta$"),
    ("focused is fokuserad: markerad is selected or checked", r"(?i)focused", r"(?i)markerad"),
    (
        "the ticket is ärendenummer or ärendesystemet, never ärendet (our case)",
        r"(?i)ticket",
        r"(?i)ärendet\b",
    ),
    ("the path is Vägen hittills, not the road", r"(?i)\bpath\b", r"(?i)\bväg(en)?\b(?! hittills)"),
    ("plain text is Oformaterad text", r"(?i)plain text", r"(?i)ren text"),
]


@pytest.mark.parametrize(("why", "source_pattern", "avoided"), AVOIDED, ids=[row[0] for row in AVOIDED])
def test_one_term_per_concept(why: str, source_pattern: str, avoided: str) -> None:
    applies = [
        (source, swedish) for source, swedish in translations() if re.search(source_pattern, words(source))
    ]
    assert applies, f"no source string matches {source_pattern}: the check would prove nothing"
    wrong = [
        f"{source!r} -> {swedish!r}" for source, swedish in applies if re.search(avoided, words(swedish))
    ]
    assert not wrong, why + ":\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("avoided", "why"),
    [
        (r"(?i)\bo?avslutade?\b|\bo?avslutat\b", "a case is stängt (closed) or öppet (open), never avslutat"),
        (r"exempel\.se", "example.com is reserved for examples; exempel.se is a real domain"),
        (r"\burklipp", "Urklipp is a name, capitalised"),
        (
            r"(?i)vänsterpil|högerpil|blanksteg|\bretur\b",
            "key names as Qt's own: Vänster, Höger, Mellanslag, Enter",
        ),
    ],
)
def test_avoided_everywhere(avoided: str, why: str) -> None:
    wrong = [
        f"{source!r} -> {swedish!r}" for source, swedish in translations() if re.search(avoided, swedish)
    ]
    assert not wrong, why + ":\n" + "\n".join(wrong)


def test_the_shortcuts_box_names_keys_as_the_menus_do(make_window: Callable[..., MainWindow]) -> None:
    window = make_window("sv")
    window.show_shortcuts()
    QApplication.processEvents()
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1
    text = boxes[0].text()
    native = QKeySequence.SequenceFormat.NativeText
    back = window.menus.back_action.shortcut().toString(native)
    assert back == "Alt+Vänster"  # Qt's own Swedish, as shown beside Gå > Bakåt
    assert back in text and "Mellanslag" in text
    assert "Vänsterpil" not in text and "Blanksteg" not in text
