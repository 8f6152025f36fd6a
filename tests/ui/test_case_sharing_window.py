"""The window beside other users of the case database: another process holding the write lock, and a
second window on the same case. The agent is told in the UI language and keeps every change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from confirmations import Confirmations
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wizard.core.library import FlowLibrary
from wizard.core.model import NodeRef
from wizard.store import paths
from wizard.store.cases import CaseStore, CaseStoreError, NoticeKind, StoreNotice, StoreProblem
from wizard.store.settings import Settings
from wizard.ui.i18n import LanguageManager
from wizard.ui.main_window import MainWindow

HOLDER = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
)


@pytest.fixture
def open_window(qtbot: QtBot, library: FlowLibrary) -> Iterator[Callable[..., MainWindow]]:
    stores: list[CaseStore] = []
    managers: list[LanguageManager] = []

    def make(store: CaseStore, lang: str = "en") -> MainWindow:
        stores.append(store)
        languages = LanguageManager(paths.builtin_translations_dir(), library.flowset.languages)
        managers.append(languages)
        languages.apply(lang)
        window = MainWindow(
            library,
            Settings(language=lang, agent_name="Agent Å"),
            languages,
            paths.builtin_resources_dir(),
            store=store,
        )
        window.confirm = Confirmations()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()
    for languages in managers:  # the next test starts in English
        languages.apply("en")


@pytest.mark.parametrize(
    ("lang", "in_use", "kept"),
    [
        ("en", "in use by another program or window", "Your changes are kept and saving is tried again"),
        ("sv", "används av ett annat program eller fönster", "Dina ändringar finns kvar"),
    ],
)
def test_a_database_locked_by_another_process_keeps_the_case_and_says_what_to_do(
    open_window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, lang: str, in_use: str, kept: str
) -> None:
    monkeypatch.setattr("wizard.ui.case_controller.RETRY_MS", 50)
    with CaseStore() as first:
        first.open()
    window = open_window(CaseStore(busy_timeout_ms=50), lang)
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths.cases_database())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline() == "locked\n"
            window.open_at(NodeRef("start", "platform"), infer=False)
            window.case_panel.ticket.insert("INC-LOCK")
            window.cases.flush()
            status = window.case_panel.status.text()
            assert window.cases.pending and in_use in status and kept in status, status
            assert window.case_panel.status.property("problem") is True
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
    qtbot.waitUntil(lambda: not window.cases.pending, timeout=3000)
    case = window.cases.case
    assert case is not None
    with CaseStore() as check:
        assert check.load(case.id, window.flowset).ticket == "INC-LOCK"
    assert not [p for p in paths.cases_database().parent.iterdir() if ".locked-" in p.name]


def test_a_second_window_on_a_live_case_keeps_both_versions(open_window, qtbot: QtBot) -> None:
    first = open_window(CaseStore(owner=f"{socket.gethostname()}:{os.getpid()}"))
    first.open_at(NodeRef("start", "platform"), infer=False)
    first.case_panel.ticket.insert("INC-1")
    assert first.cases.flush()
    case_id = first.cases.case.id  # type: ignore[union-attr]

    second = open_window(CaseStore(owner="another-window:1"))
    # The first window holds the case open: the second does not offer it as left unfinished.
    assert second.cases.unfinished() is None and not second.start_page.resume_banner.isVisible()
    second.resume_case(case_id)  # yet the history may open it
    assert second.cases.case is not None and second.cases.case.id == case_id

    # Resuming saved it in the second window; the first window's next save finds a newer revision.
    first.case_panel.general_note.setPlainText("the first window's note")
    assert first.cases.flush()
    copy_id = first.cases.case.id  # type: ignore[union-attr]
    assert copy_id != case_id and first.case_panel.case_id.text() == copy_id
    QApplication.processEvents()
    notice = first.notice.text()
    assert f"Case {case_id} was changed in another window" in notice and copy_id in notice, notice
    assert "Saved" in first.case_panel.status.text()
    second.case_panel.general_note.setPlainText("the second window's note")
    assert second.cases.flush() and second.cases.case.id == case_id  # type: ignore[union-attr]
    with CaseStore() as check:
        assert check.load(copy_id, first.flowset).general_note == "the first window's note"
        assert check.load(case_id, first.flowset).general_note == "the second window's note"
        assert check.load(copy_id, first.flowset).ticket == "INC-1"


def test_store_problems_are_worded_in_the_ui_language(open_window) -> None:
    from wizard.ui.case_controller import store_problem_text

    window = open_window(CaseStore(), "sv")
    path = paths.cases_database()
    texts = {problem: store_problem_text(CaseStoreError(problem, path, "x")) for problem in StoreProblem}
    assert texts[StoreProblem.DISK_FULL] == "disken är full"
    assert all(text and "%" not in text for text in texts.values())
    window.languages.apply("en")
    assert store_problem_text(CaseStoreError(StoreProblem.DISK_FULL, path)) == "the disk is full"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads and writes through permission bits"
)
def test_a_read_only_home_shows_its_cases_and_says_why_nothing_is_saved(open_window, qtbot: QtBot) -> None:
    import stat

    with CaseStore() as store:
        window = open_window(store)
        window.open_at(NodeRef("start", "platform"), infer=False)
        window.case_panel.ticket.insert("INC-RO")
        assert window.cases.flush()
        case_id = window.cases.case.id  # type: ignore[union-attr]
        window.close_case()
    folder = paths.cases_database().parent
    for item in folder.iterdir():
        item.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        window = open_window(CaseStore(), "sv")
        QApplication.processEvents()
        assert "kan läsas men inte ändras" in window.notice.text(), window.notice.text()
        assert [row.id for row in window.cases.recent()] == [case_id]  # the history is there
        window.open_at(NodeRef("start", "platform"), infer=False)
        assert window.cases.pending and "skrivskyddad" in window.case_panel.status.text()
    finally:
        folder.chmod(stat.S_IRWXU)


def test_the_window_holds_only_the_case_it_has_open(open_window) -> None:
    window = open_window(CaseStore(owner=f"{socket.gethostname()}:{os.getpid()}"))
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.cases.flush() and window.cases.heartbeat.isActive()
    first_id = window.cases.case.id  # type: ignore[union-attr]
    with CaseStore(owner="another-window:1") as other:
        assert other.unfinished() is None  # held by the running window

        def seen() -> str:
            row = (
                other._connection()
                .execute("SELECT open_seen FROM cases WHERE id = ?", (first_id,))
                .fetchone()
            )
            return str(row[0])

        before = seen()
        window.cases.heartbeat.timeout.emit()  # what the timer does every minute
        assert seen() > before
        window.open_at(NodeRef("ios", "unable-to-sync"))  # a new walk: the first case is let go
        assert window.cases.flush()
        offered = other.unfinished()
        assert offered is not None and offered.id == first_id
        window.close_case()
        assert not window.cases.heartbeat.isActive()


def _forced_save_failure(open_window, lang: str, problem: StoreProblem, monkeypatch) -> str:
    """What the case panel says when every save fails with `problem` (SQLite's words as the detail)."""
    store = CaseStore()
    window = open_window(store, lang)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise CaseStoreError(problem, store.path, "disk I/O error", case_id="TW-20260101-0900-AAA")

    monkeypatch.setattr(store, "save", fail)
    monkeypatch.setattr(store, "save_as_copy", fail)  # a conflict whose copy fails too
    window.open_at(NodeRef("start", "platform"), infer=False)
    window.cases.flush()
    text = window.case_panel.status.text()
    window.close_case()
    return text


@pytest.mark.parametrize("problem", list(StoreProblem), ids=lambda problem: problem.value)
def test_every_store_problem_reaches_the_swedish_window_in_swedish(
    open_window, monkeypatch: pytest.MonkeyPatch, problem: StoreProblem
) -> None:
    from wizard.ui.case_controller import store_problem_text

    english = _forced_save_failure(open_window, "en", problem, monkeypatch)
    forced = CaseStoreError(problem, paths.cases_database(), "disk I/O error", case_id="TW-20260101-0900-AAA")
    english_phrase = store_problem_text(forced)  # while the window speaks English
    swedish = _forced_save_failure(open_window, "sv", problem, monkeypatch)
    assert english.startswith("Not saved:") and english_phrase in english, english
    assert swedish.startswith("Inte sparat:"), swedish
    assert english_phrase not in swedish and forced.message not in swedish


def _forced_notice(open_window, lang: str, notice: StoreNotice, monkeypatch) -> str:
    """What the notice bar says when the store hands `notice` over after a save."""
    store = CaseStore()
    window = open_window(store, lang)
    window.open_at(NodeRef("start", "platform"), infer=False)
    assert window.cases.flush()
    monkeypatch.setattr(store, "take_notices", lambda: [notice])
    window.case_panel.ticket.insert("INC-7")
    window.cases.flush()
    monkeypatch.setattr(store, "take_notices", lambda: [])
    QApplication.processEvents()
    text = window.notice.text()
    window.close_case()
    return text


@pytest.mark.parametrize("kind", list(NoticeKind), ids=lambda kind: kind.value)
def test_every_store_notice_reaches_the_swedish_window_in_swedish(
    open_window, monkeypatch: pytest.MonkeyPatch, kind: NoticeKind
) -> None:
    path = paths.cases_database()
    notice = StoreNotice(
        kind,
        path,
        kept_as=path.with_name("cases.sqlite3.corrupt-20260101"),
        case_id="TW-20260101-0900-CCC",
        detail="file is not a database" if kind is NoticeKind.KEPT_ASIDE else "TW-20260101-0900-AAA",
    )
    english = _forced_notice(open_window, "en", notice, monkeypatch)
    swedish = _forced_notice(open_window, "sv", notice, monkeypatch)
    assert english and swedish and swedish != english, (english, swedish)
    assert notice.message not in swedish
    for word in ("case", "saved", "window", "database"):
        assert f" {word} " not in swedish, swedish
    assert any(word in swedish for word in ("ärende", "Ärende")), swedish


def test_a_case_that_cannot_be_opened_is_explained_in_swedish(open_window) -> None:
    window = open_window(CaseStore(), "sv")
    window.resume_case("TW-20990101-0000-AAA")
    QApplication.processEvents()
    text = window.notice.text()
    assert "TW-20990101-0000-AAA" in text and "finns inte bland de sparade ärendena" in text, text
    assert "'TW-" not in text  # not the KeyError's own words
