"""The start page's search in the real window: why each hit matched, and no dead end."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from wizard.core.library import load_library
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow

PACK = Path(__file__).resolve().parents[1] / "data" / "pack"


def rows(window: MainWindow) -> list[str]:
    results = window.start_page.results
    return [results.item(row).text() for row in range(results.count())]


def snapshot(window: MainWindow, name: str) -> None:
    """Pictures for a person to look at, when asked for (SEARCH_SNAPSHOTS=folder)."""
    folder = os.environ.get("SEARCH_SNAPSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / f"{name}.png"))


def test_hits_say_why_they_matched(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    window = make_window("sv")
    qtbot.keyClicks(window.start_page.search, "kan inte synka iphone")
    first = rows(window)[0]
    assert "Enheterna är inaktiva" in first and "[nyckelord]" in first and "[plattform]" in first
    assert not window.start_page.no_hits.isVisible()
    assert not window.start_page.cards_scroll.isVisible()  # a good hit: the cards step aside
    snapshot(window, "search-why-sv")


def test_a_typo_is_found_and_marked_similar(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.start_page.search, "devicecapreched")
    assert "[similar word]" in rows(window)[0]
    assert window.start_page.entries[0] in (
        NodeRef("ios", "device-cap-reached"),
        NodeRef("general", "device-cap"),
    )


def test_an_unknown_code_leads_on_and_is_kept_on_the_case(window: MainWindow, qtbot: QtBot) -> None:
    page = window.start_page
    qtbot.keyClicks(page.search, "0x80CF0999")
    notice = page.no_hits.text()
    assert page.no_hits.isVisible() and "0x80CF0999 is not in the flows" in notice and "0x80CF" in notice
    assert page.entries[0] == NodeRef("start", "platform")  # Enter never opens another code's page
    assert NodeRef("general", "escalate") in page.entries
    assert any("nearest known code 0x80cf0440" in row.casefold() for row in rows(window))
    assert page.cards_scroll.isVisible()
    snapshot(window, "search-unknown-en")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert window.session is not None and window.session.current_ref == NodeRef("start", "platform")
    case = window.cases.case
    assert case is not None and len(case.searches) == 1
    record = case.searches[0]
    assert record.query == "0x80CF0999" and record.hit is None and record.unknown_codes == ("0x80CF0999",)
    assert record.opened == NodeRef("start", "platform") and record.lang == "en"
    assert case.to_json()["searches"][0]["hit"] is None


def test_free_text_without_a_good_hit_offers_did_you_mean_and_the_cards(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window("sv")
    page = window.start_page
    qtbot.keyClicks(page.search, "certifikaaat zzzzqqq")
    assert page.no_hits.isVisible() and page.cards_scroll.isVisible()
    assert page.did_you_mean.isVisible() and "certifikat zzzzqqq" in page.did_you_mean.text()
    assert page.entries and page.entries[-1] == NodeRef("general", "escalate")
    snapshot(window, "search-didyoumean-sv")
    qtbot.mouseClick(page.did_you_mean, Qt.MouseButton.LeftButton)
    assert page.search.text() == "certifikat zzzzqqq"


def test_a_card_opened_after_a_search_keeps_the_search_unanswered(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window("sv")
    page = window.start_page
    qtbot.keyClicks(page.search, "zebrafink kalibrering")
    assert page.results.count() == 1  # only the escalation: never an empty list
    android = next(card for card in page.cards if card.flow_id == "android")
    qtbot.mouseClick(android, Qt.MouseButton.LeftButton)
    case = window.cases.case
    assert case is not None and [(r.query, r.hit, r.opened) for r in case.searches] == [
        ("zebrafink kalibrering", None, None)
    ]


def test_the_index_is_built_on_the_first_search_not_at_start(window: MainWindow, qtbot: QtBot) -> None:
    assert window._index is None  # a start that opens a card or a deep link never pays for it
    qtbot.keyClicks(window.start_page.search, "0x80cf0437")
    assert window._index is not None


def test_an_authors_edited_synonyms_file_is_used_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    shutil.copytree(PACK, tmp_path / "pack")
    flows = tmp_path / "pack" / "flows"
    monkeypatch.setenv("WIZARD_FLOWS_PATH", str(flows))
    synonyms = flows / "synonyms.en.yaml"
    synonyms.write_text("language: en\nsynonyms:\n  - [zorbulate, frobnicate]\n", encoding="utf-8")
    library = load_library(paths.flow_dirs())
    languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
    languages.apply("en")
    window = MainWindow(library, Settings(language="en"), languages, paths.builtin_resources_dir())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        qtbot.keyClicks(window.start_page.search, "zorbulate")
        assert NodeRef("demo", "android-steps") not in window.start_page.entries
        with qtbot.waitSignal(window.flow_watcher.changed, timeout=5000):
            synonyms.write_text("language: en\nsynonyms:\n  - [zorbulate, restart]\n", encoding="utf-8")
        window.start_page.search.setText("zorbulate")
        entries = window.start_page.entries
        assert NodeRef("demo", "android-steps") in entries[:3]
        assert "[synonym]" in rows(window)[entries.index(NodeRef("demo", "android-steps"))]
    finally:
        window.flow_watcher.enabled = False
