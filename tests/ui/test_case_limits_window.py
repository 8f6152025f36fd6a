"""The case limits in the window: Replay refuses hostile case files with a notice (no traceback), and
the note fields take no more than a note may hold, and say so."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confirmations import Confirmations
from PySide6.QtCore import QMimeData, Qt
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary
from wizard.core.limits import MAX_NOTE_CHARS, MAX_NOTES_TOTAL_CHARS
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-windows-0x8007064c.json"


@pytest.fixture
def open_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[..., MainWindow]]:
    stores: list[CaseStore] = []
    managers: list[LanguageManager] = []

    def make(lang: str = "en") -> MainWindow:
        store = CaseStore()
        stores.append(store)
        languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
        managers.append(languages)
        languages.apply(lang)
        window = MainWindow(
            library, Settings(language=lang), languages, paths.builtin_resources_dir(), store=store
        )
        window.confirm = Confirmations()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()
    for languages in managers:
        languages.apply("en")  # its translators are the application's: the next test starts in English


def hostile(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    if name == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        return path
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if name == "surrogate":
        data["session"]["visits"][2]["note"] = "a \ud800 b"
    elif name == "year-9999":
        data["session"]["visits"][1]["entered_at"] = "9999-12-31T23:59:59-23:59"
    elif name == "not-a-path":
        visits = data["session"]["visits"]
        visits[2], visits[3] = visits[3], visits[2]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("deep", "(the whole file): nested more than 16 levels deep"),
        ("surrogate", "session.visits[2].note: holds a lone surrogate"),
        ("year-9999", "session.visits[1].entered_at: '9999-12-31T23:59:59-23:59' is out of range"),
        ("not-a-path", "session.visits[2]: 'windows#already-enrolled-certificate' does not follow"),
    ],
)
def test_replay_refuses_a_hostile_case_file_with_a_notice(
    open_window: Callable[..., MainWindow], tmp_path: Path, name: str, says: str
) -> None:
    window = open_window()
    path = hostile(tmp_path, name)
    window.replay_path(path)
    assert window.replay is None
    assert f"{path.name} cannot be replayed" in window.notice.text()
    assert says in window.notice.text()
    window.replay_path(EXAMPLE)  # the window goes on working
    assert window.replay is not None


def paste(window: MainWindow, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    window.case_panel.step_note.insertFromMimeData(mime)


def test_a_step_note_takes_no_more_than_a_note_may_hold_and_says_so(
    open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    panel = window.case_panel
    assert not panel.note_limit.isVisible()
    qtbot.keyClicks(panel.step_note, "Pasted log: ")
    paste(window, "x" * (MAX_NOTE_CHARS + 500))
    assert len(panel.step_note.toPlainText()) == MAX_NOTE_CHARS
    assert panel.step_note.toPlainText().startswith("Pasted log: xxx")
    assert window.session is not None and len(window.session.current.note) == MAX_NOTE_CHARS
    assert panel.note_limit.isVisible()
    assert "at most 100,000 characters" in panel.note_limit.text()
    qtbot.keyClick(panel.step_note, Qt.Key.Key_Y)  # full: a typed character is not added either
    assert len(panel.step_note.toPlainText()) == MAX_NOTE_CHARS and "y" not in panel.step_note.toPlainText()
    window.choose(1)  # another step: the notice goes, that step's note is empty
    assert not panel.note_limit.isVisible()


def test_all_notes_together_stay_within_their_budget(open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    panel = window.case_panel
    paste(window, "a" * MAX_NOTE_CHARS)
    window.choose(1)
    paste(window, "b" * MAX_NOTE_CHARS)  # the budget is now spent
    panel.general_note.setFocus()
    mime = QMimeData()
    mime.setText("general")
    panel.general_note.insertFromMimeData(mime)
    assert panel.general_note.toPlainText() == ""
    assert panel.note_limit.isVisible()
    case = window.cases.case
    assert case is not None
    assert sum(len(visit.note) for visit in case.visits) + len(case.general_note) == MAX_NOTES_TOTAL_CHARS


def test_the_notice_speaks_swedish(open_window: Callable[..., MainWindow]) -> None:
    window = open_window("sv")
    window.open_at(NodeRef("start", "platform"), infer=False)
    paste(window, "x" * (MAX_NOTE_CHARS + 1))
    text = window.case_panel.note_limit.text()
    assert "100\u00a0000" in text and "tecken" in text, text


TOKEN = "".join(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[i * 7 % 62] for i in range(5_000)
)


def test_a_note_holding_a_long_token_wraps_anywhere_and_words_otherwise(
    open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    """Qt lays a run without spaces out in time growing with the square of its length when it wraps
    at words; the note field wraps anywhere while it holds one, so Continue does not freeze."""
    from PySide6.QtGui import QTextOption

    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    note = window.case_panel.step_note
    qtbot.keyClicks(note, "Words wrap at word boundaries")
    assert note.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    paste(window, " token: " + TOKEN)
    assert note.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    case = window.cases.case
    assert case is not None
    window.cases.flush()
    window.choose(1)  # another step, then back to the saved case from the start page
    assert note.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    window.go_home()
    window.resume_case(case.id)
    window.jump_to(0)
    assert note.toPlainText().endswith(TOKEN)
    assert note.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere


def test_the_replay_bar_shows_the_start_of_a_long_note_redacted(
    open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    from wizard.ui.replay import NOTE_PREVIEW

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    name = data["user"]["name"]  # "Ahmed Karimi"
    data["session"]["visits"][0]["note"] = "x" * (NOTE_PREVIEW - 5) + f" {name} " + TOKEN
    path = tmp_path / "long-note.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = open_window()
    window.replay_path(path)
    shown = window.replay_bar.note.text()
    # The note is redacted whole, then cut: the cut falls inside the placeholder, not inside the name.
    assert shown == "Note: " + "x" * (NOTE_PREVIEW - 5) + " [red…"
    assert not any(part in shown for part in ("Ahm", "Kar"))  # redacted before it was cut


def test_leaving_a_long_token_for_a_short_note_does_not_lay_the_token_out_at_words(
    open_window: Callable[..., MainWindow],
) -> None:
    """The wrap mode changes while the short text is in the field: changing it first would lay the
    long token out again, at words, the slow way."""
    from PySide6.QtGui import QTextOption

    window = open_window()
    window.open_at(NodeRef("start", "platform"), infer=False)
    note = window.case_panel.step_note
    paste(window, TOKEN)
    texts_when_mode_changed: list[str] = []
    original = note.setWordWrapMode

    def spy(mode: QTextOption.WrapMode) -> None:
        texts_when_mode_changed.append(note.toPlainText())
        original(mode)

    note.setWordWrapMode = spy  # type: ignore[method-assign]
    window.choose(1)  # the next step's note is empty
    assert texts_when_mode_changed == [""]
    assert note.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
