"""The case store: save and load, resume after a crash, history search, retention, and every way the
disk can fail: a damaged file, a locked database, a folder that cannot be written, a full disk."""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wizard.core.case import Case
from wizard.core.model import FlowSet
from wizard.store import paths
from wizard.store.cases import (
    AutoSaver,
    CaseStore,
    CaseStoreError,
    NoticeKind,
    SaveStatus,
    StoreProblem,
)

MakeCase = Callable[..., Case]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def store() -> Iterator[CaseStore]:
    with CaseStore() as opened:
        yield opened


def walked(make_case: MakeCase, flowset: FlowSet, seed: int, **fields: str) -> Case:
    case = make_case(flowset, seed=seed, **fields)
    case.session.choose(0)
    case.session.set_tick(0, True)
    return case


def test_lives_in_the_data_directory_in_wal_mode(store: CaseStore, isolated_home: Path) -> None:
    assert store.open() == []
    assert store.path == paths.data_dir() / "cases.sqlite3" and store.path.is_relative_to(isolated_home)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.uses_fts


def test_save_load_round_trip_and_upsert(store: CaseStore, fixed_case: Case, pack_flowset: FlowSet) -> None:
    store.save(fixed_case)
    loaded = store.load(fixed_case.id, pack_flowset)
    assert loaded.to_json() == fixed_case.to_json()
    fixed_case.ticket = "INC0043"
    store.save(fixed_case)
    assert store.count() == 1 and store.load_data(fixed_case.id)["ticket"] == "INC0043"
    (row,) = store.recent()
    assert row.ticket == "INC0043" and row.outcome == "escalate" and row.finished
    assert row.error_codes == ("0x80CF0437", "hr 0x8007064c", "DeviceCapReached")
    with pytest.raises(KeyError):
        store.load_data("TW-20000101-0000-AAA")


def test_unfinished_case_is_offered_exactly_where_it_was(
    make_case: MakeCase, pack_flowset: FlowSet, tmp_path: Path
) -> None:
    case = walked(make_case, pack_flowset, 1)
    case.session.set_note("typed before the crash")
    case.session.back()
    with CaseStore() as store:
        AutoSaver(store).changed(case)
    # A new start, as after a crash or a power cut: a fresh store on the same file.
    with CaseStore() as after:
        row = after.unfinished()
        assert row is not None and row.id == case.id and not row.finished
        resumed = after.load(row.id, pack_flowset)
    assert resumed.session.position == 0 and [str(v.ref) for v in resumed.session.ahead] == [
        "demo#android-steps"
    ]
    assert resumed.visits[1].note == "typed before the crash" and resumed.visits[1].ticked == {0}
    resumed.finish()
    with CaseStore() as store:
        store.save(resumed)
        assert store.unfinished() is None


def test_most_recent_unfinished_wins(store: CaseStore, make_case: MakeCase, pack_flowset: FlowSet) -> None:
    older, newer, closed = (walked(make_case, pack_flowset, seed) for seed in (1, 2, 3))
    older.touch(dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC))
    newer.touch(dt.datetime(2026, 11, 26, 11, tzinfo=dt.UTC))
    closed.finish(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC))
    for case in (older, newer, closed):
        store.save(case)
    unfinished = store.unfinished()
    assert unfinished is not None and unfinished.id == newer.id
    assert [row.id for row in store.recent(2)] == [closed.id, newer.id]


def test_search_finds_any_field_and_note(
    store: CaseStore, make_case: MakeCase, builtin_flowset: FlowSet
) -> None:
    windows = make_case(builtin_flowset, "start#platform", seed=1, ticket="INC0012401")
    windows.session.choose(4)  # Windows
    windows.session.choose(1)  # already enrolled: 0x8007064c
    windows.user.name = "Sara Nyström"
    windows.device.serial = "PF3K9X2A"
    windows.session.set_note("Laptop was re-imaged last week")
    android = make_case(builtin_flowset, "start#platform", seed=2, ticket="INC0099")
    android.session.choose(1)
    android.user.upn = "jonas.berg@contoso.se"
    android.device.imei = "356938035643809"
    store.save(windows)
    store.save(android)

    def ids(query: str) -> set[str]:
        return {row.id for row in store.search(query)}

    assert ids("INC0012401") == {windows.id}
    assert ids("inc00") == {windows.id, android.id}
    assert ids("nystrom") == ids("NYSTRÖM") == ids("sara") == {windows.id}
    assert ids("8007064c") == ids("0x8007064C") == {windows.id}
    assert ids("pf3k9") == {windows.id}
    assert ids("re-imaged laptop") == {windows.id}  # every word, in any order
    assert ids("jonas.berg") == ids("35693803") == {android.id}
    assert ids("android") == {android.id}  # the steps' titles count too
    assert ids("vilket problem har datorn") == {windows.id}  # in Swedish as well
    assert ids("zebra") == set() and ids("re zebra") == set()
    assert ids("x2") == {windows.id}  # short words: a LIKE scan
    assert ids('"%_') == set()
    assert len(store.search("")) == 2
    with CaseStore() as fresh:
        assert [row.id for row in fresh.search("pf3k9")] == [windows.id] and fresh.uses_fts


def test_search_without_fts(store: CaseStore, fixed_case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(fixed_case)
    monkeypatch.setattr(store, "uses_fts", False)
    assert [row.id for row in store.search("svensson 0x80cf")] == [fixed_case.id]


def test_delete_duplicate_purge(store: CaseStore, make_case: MakeCase, pack_flowset: FlowSet) -> None:
    old = walked(make_case, pack_flowset, 1, ticket="OLD")
    old.touch(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    keep = walked(make_case, pack_flowset, 2, ticket="KEEP")
    keep.touch(dt.datetime.now(dt.UTC))
    store.save(old)
    store.save(keep)
    copy = store.duplicate(keep.id, random.Random(5))
    assert copy != keep.id and store.load_data(copy)["ticket"] == "KEEP"
    assert store.load(copy, pack_flowset).id == copy and store.load_data(copy)["ended_at"] is None
    assert {row.id for row in store.search(copy)} == {copy}
    assert {row.id for row in store.search(keep.id)} == {keep.id}
    assert store.purge_older_than(365) == 1
    assert not store.exists(old.id) and store.exists(keep.id)
    assert store.delete(copy) and not store.delete(copy)
    assert store.search("old") == [] and store.count() == 1


def test_a_file_that_is_not_a_database_is_kept_aside(fixed_case: Case, pack_flowset: FlowSet) -> None:
    path = paths.cases_database()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is no database, just text " * 100)
    with CaseStore() as store:
        (notice,) = store.open()
        assert notice.kind is NoticeKind.KEPT_ASIDE and "damaged" in notice.message
        assert notice.kept_as is not None
        assert notice.kept_as.name.startswith("cases.sqlite3.corrupt-")
        assert notice.kept_as.read_bytes().startswith(b"this is no database")
        store.save(fixed_case)
        assert store.load(fixed_case.id, pack_flowset).id == fixed_case.id


def test_damaged_pages_are_found_and_the_case_in_memory_is_saved(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    with CaseStore() as store:
        for seed in range(40):
            case = walked(make_case, pack_flowset, seed)
            case.general_note = "x" * 2000
            store.save(case)
    path = paths.cases_database()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # every page but the header's: garbage
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    statuses: list[SaveStatus] = []
    in_memory = walked(make_case, pack_flowset, 99)
    with CaseStore() as store:
        saver = AutoSaver(store, statuses.append)
        assert saver.changed(in_memory)
        assert [s.notice.kind for s in statuses if s.notice] == [NoticeKind.KEPT_ASIDE]
        assert len(statuses) == 1 and "damaged" in statuses[0].message
        assert store.load(in_memory.id, pack_flowset).id == in_memory.id
    assert list(path.parent.glob("cases.sqlite3.corrupt-*"))


def test_locked_later_is_retried_without_losing_the_case(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    statuses: list[SaveStatus] = []
    with CaseStore(busy_timeout_ms=50) as store:
        store.open()
        saver = AutoSaver(store, statuses.append)
        holder = sqlite3.connect(store.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            case.session.set_note("typed while locked")
            assert not saver.changed(case) and saver.pending
            assert not saver.flush()  # still locked: one message only
            assert [(s.ok, s.retryable) for s in statuses] == [(False, True)]
            assert statuses[0].error is not None and statuses[0].error.problem is StoreProblem.LOCKED
            assert "busy" in statuses[0].message and "kept" in statuses[0].message
        finally:
            holder.close()
        assert saver.flush() and not saver.pending
        assert statuses[-1].ok and "saved again" in statuses[-1].message
        assert store.load(case.id, pack_flowset).visits[1].note == "typed while locked"


def test_a_database_path_that_cannot_be_written_is_retried(
    make_case: MakeCase, pack_flowset: FlowSet, tmp_path: Path
) -> None:
    """Runs as root too: the database's place is taken by a folder, which no permission bit opens."""
    path = tmp_path / "cases.sqlite3"
    path.mkdir()
    statuses: list[SaveStatus] = []
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(path) as store:
        saver = AutoSaver(store, statuses.append)
        assert not saver.changed(case)
        assert saver.pending and saver.last_error is not None and saver.last_error.retryable
        assert not statuses[0].ok and "Cannot open the case database" in statuses[0].message
        assert statuses[0].error is not None and statuses[0].error.problem is StoreProblem.CANNOT_OPEN
        case.session.set_note("still typing")
        assert not saver.changed(case, typing=True)
        path.rmdir()  # the disk is fixed
        assert saver.flush() and not saver.pending
        assert store.load(case.id, pack_flowset).visits[1].note == "still typing"


def test_a_full_disk_is_retried(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    """A real SQLITE_FULL, as root too: the database may not grow past its current pages."""
    statuses: list[SaveStatus] = []
    case = walked(make_case, pack_flowset, 1)
    with CaseStore() as store:
        store.open()
        db = store._connection()
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count={pages}")
        saver = AutoSaver(store, statuses.append)
        case.general_note = "a long note " * 5000
        assert not saver.changed(case)
        assert statuses[0].message.startswith("The disk is full") and saver.pending
        assert statuses[0].error is not None and statuses[0].error.problem is StoreProblem.DISK_FULL
        assert not store.exists(case.id)
        db.execute("PRAGMA max_page_count=1073741823")
        assert saver.flush()
        assert store.load(case.id, pack_flowset).general_note == case.general_note


@pytest.mark.skipif(
    IS_ROOT, reason="root writes through permission bits; the two tests above fail writes as root"
)
def test_a_read_only_folder_is_retried(make_case: MakeCase, pack_flowset: FlowSet, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(folder / "cases.sqlite3") as store:
        store.save(case)
    store.close()
    for item in folder.iterdir():
        item.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    statuses: list[SaveStatus] = []
    try:
        with CaseStore(folder / "cases.sqlite3") as store:
            saver = AutoSaver(store, statuses.append)
            case.session.set_note("typed on a read-only disk")
            assert not saver.changed(case) and saver.pending
            # Opened read-only (said once), then the save fails as read-only, to be retried.
            assert statuses[0].notice is not None and statuses[0].notice.kind is NoticeKind.READ_ONLY
            assert not statuses[1].ok and statuses[1].retryable and "read-only" in statuses[1].message
            assert statuses[1].error is not None and statuses[1].error.problem is StoreProblem.READ_ONLY
            folder.chmod(stat.S_IRWXU)
            for item in folder.iterdir():
                item.chmod(stat.S_IRUSR | stat.S_IWUSR)
            assert saver.flush()  # the same store, once the disk can be written again
            assert store.load(case.id, pack_flowset).visits[1].note == "typed on a read-only disk"
    finally:
        folder.chmod(stat.S_IRWXU)


def test_typing_waits_for_flush(store: CaseStore, make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    saver = AutoSaver(store, clock=lambda: dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC))
    case.general_note = "t"
    assert not saver.changed(case, typing=True)
    assert saver.pending and not store.exists(case.id)
    assert saver.flush() and store.exists(case.id) and not saver.pending
    assert saver.last_saved_at == dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    assert case.updated_at == dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def test_errors_are_data_worded_in_english_only_for_the_command_line(tmp_path: Path) -> None:
    error = CaseStoreError(StoreProblem.DISK_FULL, tmp_path / "cases.sqlite3")
    assert error.retryable and error.problem is StoreProblem.DISK_FULL and error.detail == ""
    assert (
        str(error) == error.message == f"The disk is full: cannot save cases to {tmp_path / 'cases.sqlite3'}."
    )
    conflict = CaseStoreError(
        StoreProblem.CONFLICT, tmp_path, "2 read, 3 saved", retryable=False, case_id="TW-1"
    )
    assert conflict.message == "Case TW-1 was changed by another window since it was read (2 read, 3 saved)."


def test_the_history_row_and_the_table_share_one_list_of_columns(tmp_path: Path) -> None:
    """CaseRow's fields are the columns it is read from (by name), and the table has each of them."""
    import dataclasses
    import sqlite3

    from wizard.store.cases import ROW_COLUMNS, CaseRow

    assert tuple(field.name for field in dataclasses.fields(CaseRow)) == ROW_COLUMNS
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        store.open()
        db = sqlite3.connect(tmp_path / "cases.sqlite3")
        table = [row[1] for row in db.execute("PRAGMA table_info(cases)")]
        db.close()
    assert set(ROW_COLUMNS) <= set(table)


@pytest.mark.parametrize("read_only", [False, True])
def test_rows_are_read_by_name_on_every_connection(tmp_path: Path, read_only: bool) -> None:
    """A read-only reader (the statistics) gets named rows too, so load_data works the same."""
    import sqlite3

    with CaseStore(tmp_path / "cases.sqlite3") as store:
        store.open()
    with CaseStore(tmp_path / "cases.sqlite3", read_only=read_only) as store:
        assert store._connection().row_factory is sqlite3.Row
