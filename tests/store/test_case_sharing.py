"""One case database, several users of it: another process holding the write lock, two windows saving
one case, a window holding a case open, an older schema, a read-only home, and who may read the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from wizard.core.case import Case
from wizard.core.model import FlowSet
from wizard.store import paths
from wizard.store.cases import (
    LEASE_SECONDS,
    SCHEMA_VERSION,
    AutoSaver,
    CaseStore,
    CaseStoreError,
    NoticeKind,
    SaveStatus,
    StoreProblem,
)

MakeCase = Callable[..., Case]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# A second, real process: takes the write lock (BEGIN IMMEDIATE), says so, and holds it until told to
# stop on its standard input, or for `seconds` when given.
HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
if len(sys.argv) > 2:
    time.sleep(float(sys.argv[2]))
else:
    sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextmanager
def write_lock_held(path: Path, seconds: float | None = None) -> Iterator[subprocess.Popen[str]]:
    argv = [sys.executable, "-c", HOLDER, str(path)] + ([str(seconds)] if seconds is not None else [])
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline() == "locked\n"
            yield holder
        finally:
            if holder.poll() is None:
                holder.stdin.write("\n")
                holder.stdin.flush()
            holder.wait(timeout=30)


def walked(make_case: MakeCase, flowset: FlowSet, seed: int) -> Case:
    case = make_case(flowset, seed=seed)
    case.session.choose(0)
    return case


def kept_aside(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name or ".locked-" in p.name)


# -- a lock is not damage ------------------------------------------------------------------------


def test_a_write_lock_in_another_process_is_never_taken_for_damage(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    """The issue's recipe: an import, then another program holding the write lock while we open."""
    case = walked(make_case, pack_flowset, 1)
    with CaseStore() as first:
        first.save(case)
    path = paths.cases_database()
    with write_lock_held(path):
        with CaseStore(busy_timeout_ms=100, open_busy_timeout_ms=100) as store:
            assert store.open() == []  # opening writes nothing: no notice, nothing set aside
            assert kept_aside(path.parent) == []
            # Reads go on beside the writer (WAL): the case, the history, the unfinished case.
            assert store.load(case.id, pack_flowset).to_json() == case.to_json()
            assert [row.id for row in store.recent()] == [case.id]
            assert [row.id for row in store.search(case.id)] == [case.id]
            unfinished = store.unfinished()
            assert unfinished is not None and unfinished.id == case.id
            # A save waits for the busy timeout, then says "locked", typed and retryable.
            case.session.set_note("typed while the other program writes")
            with pytest.raises(CaseStoreError) as caught:
                store.save(case)
            assert caught.value.problem is StoreProblem.LOCKED and caught.value.retryable
        assert kept_aside(path.parent) == []
    with CaseStore() as store:
        store.save(case)
        assert store.load(case.id, pack_flowset).visits[1].note == "typed while the other program writes"
        assert store.count() == 1
    assert kept_aside(path.parent) == []


def test_a_lock_shorter_than_the_busy_timeout_is_waited_for(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(busy_timeout_ms=20_000) as store:  # far longer than the other process holds on
        store.open()
        with write_lock_held(store.path, seconds=0.3):
            store.save(case)  # waits until the other process lets go: no error
        assert store.exists(case.id)


def test_autosave_keeps_the_case_while_another_process_writes(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    statuses: list[SaveStatus] = []
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(busy_timeout_ms=100) as store:
        store.open()
        saver = AutoSaver(store, statuses.append)
        with write_lock_held(store.path):
            assert not saver.changed(case) and saver.pending
        assert [s.error.problem for s in statuses if s.error] == [StoreProblem.LOCKED]
        assert statuses[0].notice is None and statuses[0].error is not None
        assert statuses[0].error.retryable
        assert saver.flush() and store.exists(case.id)


def _version_1_database(path: Path, case: Case) -> None:
    """A database as the first release wrote it: no revision, no hold on open cases."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(
        """
        CREATE TABLE cases (
            id TEXT PRIMARY KEY, ticket TEXT NOT NULL DEFAULT '', agent TEXT NOT NULL DEFAULT '',
            user_name TEXT NOT NULL DEFAULT '', user_upn TEXT NOT NULL DEFAULT '',
            device_name TEXT NOT NULL DEFAULT '', device_platform TEXT NOT NULL DEFAULT '',
            device_os_version TEXT NOT NULL DEFAULT '', device_serial TEXT NOT NULL DEFAULT '',
            device_imei TEXT NOT NULL DEFAULT '', error_codes TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            ended_at TEXT, finished INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
            search TEXT NOT NULL DEFAULT ''
        );
        PRAGMA user_version=1;
        """
    )
    db.execute(
        "INSERT INTO cases (id, ticket, started_at, updated_at, data, search) VALUES (?, ?, ?, ?, ?, ?)",
        (
            case.id,
            case.ticket,
            case.started_at.isoformat(),
            case.updated_at.isoformat(),
            json.dumps(case.to_json()),
            case.id.lower(),
        ),
    )
    db.close()


def test_an_older_database_is_migrated_once(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    case.ticket = "INC-OLD"
    path = paths.cases_database()
    _version_1_database(path, case)
    with CaseStore() as store:
        assert store.open() == []
        loaded = store.load(case.id, pack_flowset)
        loaded.ticket = "INC-NEW"
        store.save(loaded)  # over the revision it was read at (0, the migration's default)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT ticket, revision FROM cases").fetchall() == [("INC-NEW", 1)]


def test_an_older_database_is_read_while_another_process_holds_the_lock(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    """Migrating needs the write lock; without it the history is read as it is."""
    case = walked(make_case, pack_flowset, 1)
    path = paths.cases_database()
    _version_1_database(path, case)
    with write_lock_held(path), CaseStore(busy_timeout_ms=100, open_busy_timeout_ms=100) as store:
        assert store.open() == []
        assert store.load(case.id, pack_flowset).id == case.id
        assert [row.id for row in store.recent()] == [case.id] and store.unfinished() is not None
        with pytest.raises(CaseStoreError) as caught:
            store.save(case)
        assert caught.value.problem is StoreProblem.LOCKED
    with CaseStore() as store:
        store.save(case)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# -- two windows on one case ---------------------------------------------------------------------


def test_a_save_over_a_newer_revision_is_a_conflict_and_writes_nothing(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(owner="pc:1") as first, CaseStore(owner="pc:2") as second:
        first.save(case)
        mine = first.load(case.id, pack_flowset)
        theirs = second.load(case.id, pack_flowset)
        theirs.session.set_note("the other window's note")
        second.save(theirs)
        mine.session.set_note("this window's note")
        with pytest.raises(CaseStoreError) as caught:
            first.save(mine)
        assert caught.value.problem is StoreProblem.CONFLICT and not caught.value.retryable
        assert caught.value.case_id == case.id
        assert first.load(case.id, pack_flowset).visits[1].note == "the other window's note"
        second.save(theirs)  # the window that saved last goes on saving its own revisions
        second.save(theirs)


def test_two_windows_on_one_case_keep_both_versions(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(owner="pc:1") as first, CaseStore(owner="pc:2") as second:
        first.save(case)
        in_first, in_second = first.load(case.id, pack_flowset), second.load(case.id, pack_flowset)
        first_status: list[SaveStatus] = []
        second_status: list[SaveStatus] = []
        first_saver = AutoSaver(first, first_status.append)
        second_saver = AutoSaver(second, second_status.append)
        in_first.session.set_note("first window")
        assert first_saver.changed(in_first)
        in_second.general_note = "second window"
        assert second_saver.changed(in_second) and not second_saver.pending  # saved, as a copy
        (status,) = second_status
        assert status.notice is not None and status.notice.kind is NoticeKind.SAVED_AS_COPY
        assert status.notice.detail == case.id and status.notice.case_id == in_second.id != case.id
        # Nothing was dropped: the first window's version under the id, the second's under the copy.
        kept = first.load(case.id, pack_flowset)
        assert kept.visits[1].note == "first window" and kept.general_note == ""
        copy = first.load(in_second.id, pack_flowset)
        assert copy.general_note == "second window" and copy.visits[1].note == ""
        # Both windows go on saving, each into its own case.
        in_second.general_note = "second window, later"
        assert second_saver.changed(in_second)
        in_first.general_note = "first window, later"
        assert first_saver.changed(in_first) and first_status == []
        assert first.load(in_second.id, pack_flowset).general_note == "second window, later"
        assert first.count() == 2


def test_a_case_deleted_elsewhere_comes_back_with_the_agents_work(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(owner="pc:1") as first, CaseStore(owner="pc:2") as second:
        first.save(case)
        second.delete(case.id)
        case.session.set_note("still working on it")
        first.save(case)
        assert second.load(case.id, pack_flowset).visits[1].note == "still working on it"


# -- a case open in another window ---------------------------------------------------------------


def test_a_case_open_in_another_running_window_is_not_offered(
    make_case: MakeCase, pack_flowset: FlowSet
) -> None:
    host = socket.gethostname()
    now = dt.datetime.now(dt.UTC)
    case = walked(make_case, pack_flowset, 1)
    live = CaseStore(owner=f"{host}:{os.getppid()}", clock=lambda: now)  # a process that runs
    with live, CaseStore(clock=lambda: now) as here:
        live.save(case)
        assert here.unfinished() is None
        assert live.unfinished() is not None  # its own window may offer it (and skips its open case)
        # Its heartbeat stopped long ago: offered again.
        later = CaseStore(clock=lambda: now + dt.timedelta(seconds=LEASE_SECONDS + 1))
        with later:
            offered = later.unfinished()
            assert offered is not None and offered.id == case.id
        live.heartbeat(case.id)
        assert here.unfinished() is None
        live.release(case.id)
        offered = here.unfinished()
        assert offered is not None and offered.id == case.id


def test_a_crashed_windows_case_is_offered_at_once(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(owner=f"{socket.gethostname()}:{dead_pid}") as crashed, CaseStore() as here:
        crashed.save(case)
        offered = here.unfinished()
        assert offered is not None and offered.id == case.id
        # On another computer the process cannot be asked: the heartbeat decides.
        with CaseStore(owner="elsewhere:1") as other:
            other.save(other.load(case.id, pack_flowset))
        assert here.unfinished() is None


def test_a_finished_case_holds_nothing(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore(owner="elsewhere:1") as other:
        case.finish()
        other.save(case)
        assert tuple(other._connection().execute("SELECT open_by FROM cases").fetchone()) == ("",)


# -- who may read the file -----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_database_and_its_side_files_are_the_users_alone(fixed_case: Case) -> None:
    old_umask = os.umask(0o022)  # the usual one: files world-readable unless made otherwise
    try:
        with CaseStore() as store:
            store.save(fixed_case)
            for suffix in ("", "-wal", "-shm"):
                mode = stat.S_IMODE(Path(f"{store.path}{suffix}").stat().st_mode)
                assert mode == 0o600, (suffix, oct(mode))
    finally:
        os.umask(old_umask)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_world_readable_database_from_before_is_made_private(fixed_case: Case) -> None:
    with CaseStore() as store:
        store.save(fixed_case)
    path = paths.cases_database()
    path.chmod(0o644)
    with CaseStore() as store:
        store.open()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(IS_ROOT, reason="root reads and writes through permission bits")
def test_a_read_only_home_with_data_is_read(make_case: MakeCase, pack_flowset: FlowSet) -> None:
    case = walked(make_case, pack_flowset, 1)
    with CaseStore() as store:
        store.save(case)
    folder = paths.cases_database().parent
    for item in folder.iterdir():
        item.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with CaseStore() as store:
            (notice,) = store.open()
            assert notice.kind is NoticeKind.READ_ONLY and store.read_only
            assert store.load(case.id, pack_flowset).id == case.id
            assert [row.id for row in store.recent()] == [case.id]
            assert store.unfinished() is not None and [r.id for r in store.search(case.id)] == [case.id]
            with pytest.raises(CaseStoreError) as caught:
                store.save(case)
            assert caught.value.problem is StoreProblem.READ_ONLY and caught.value.retryable
            assert store.take_notices() == []  # said once
            folder.chmod(stat.S_IRWXU)
            for item in folder.iterdir():
                item.chmod(stat.S_IRUSR | stat.S_IWUSR)
            case.session.set_note("saved once the home can be written")
            store.save(case)  # the same store, once the disk can be written again
            assert not store.read_only
            assert store.load(case.id, pack_flowset).visits[1].note == "saved once the home can be written"
    finally:
        folder.chmod(stat.S_IRWXU)
