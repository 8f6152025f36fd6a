"""The case store: every case in one SQLite database in the user data directory, saved at every change.

One row per case: the fields the history list shows and searches (ticket, agent, user, device, error
codes, outcome, times, finished), the case JSON itself, and a folded search text (lower case, no
diacritics) indexed by an FTS5 trigram table, so any three letters of a ticket number, name, serial,
error code or note find the case; without FTS5 a LIKE scan does the same, slower.

WAL mode with synchronous=FULL: a save is one prepared statement in its own transaction, durable when
it returns, also across a power cut.

What goes wrong is reported, never eaten, and never loses the case the agent has in memory:
- a damaged file ("file is not a database", "malformed", a failed quick check) is renamed to
  `cases.sqlite3.corrupt-<time>` and a fresh database started; a StoreNotice says so;
- a database that stays locked while it is opened gets the same treatment; locked later (another
  process writing for longer than the busy timeout) is a retryable CaseStoreError;
- a read-only or full disk, or a folder that cannot be written, is a retryable CaseStoreError.
AutoSaver keeps the latest change of each case pending until a save of it succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.core.case import Case, new_case_id
from wizard.core.engine import Clock, utc_now
from wizard.core.model import FlowSet
from wizard.core.search import fold
from wizard.store import paths

BUSY_TIMEOUT_MS = 1500  # a save waits this long for another writer before it reports "locked"
OPEN_BUSY_TIMEOUT_MS = 3000
SCHEMA_VERSION = 1

_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_REOPEN = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM}

_COLUMNS = (
    "id, ticket, agent, user_name, user_upn, device_name, device_platform, device_os_version, "
    "device_serial, device_imei, error_codes, outcome, started_at, updated_at, ended_at, finished"
)
_SAVE = f"""
INSERT INTO cases ({_COLUMNS}, data, search)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET
    ticket = excluded.ticket, agent = excluded.agent, user_name = excluded.user_name,
    user_upn = excluded.user_upn, device_name = excluded.device_name,
    device_platform = excluded.device_platform, device_os_version = excluded.device_os_version,
    device_serial = excluded.device_serial, device_imei = excluded.device_imei,
    error_codes = excluded.error_codes, outcome = excluded.outcome, started_at = excluded.started_at,
    updated_at = excluded.updated_at, ended_at = excluded.ended_at, finished = excluded.finished,
    data = excluded.data, search = excluded.search
"""
_TABLES = """
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    ticket TEXT NOT NULL DEFAULT '',
    agent TEXT NOT NULL DEFAULT '',
    user_name TEXT NOT NULL DEFAULT '',
    user_upn TEXT NOT NULL DEFAULT '',
    device_name TEXT NOT NULL DEFAULT '',
    device_platform TEXT NOT NULL DEFAULT '',
    device_os_version TEXT NOT NULL DEFAULT '',
    device_serial TEXT NOT NULL DEFAULT '',
    device_imei TEXT NOT NULL DEFAULT '',
    error_codes TEXT NOT NULL DEFAULT '',  -- one a line
    outcome TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT,
    finished INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    search TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS cases_by_update ON cases (updated_at);
CREATE INDEX IF NOT EXISTS cases_unfinished ON cases (finished, updated_at);
"""
_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(
    search, content='cases', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END;
CREATE TRIGGER IF NOT EXISTS cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
CREATE TRIGGER IF NOT EXISTS cases_fts_update AFTER UPDATE OF search ON cases
WHEN old.search IS NOT new.search BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END;
"""


class CaseStoreError(Exception):
    """Saving or reading failed. `retryable`: the same call may work later (disk full, read-only,
    locked); the case in memory is still whole."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class StoreNotice:
    """Something the agent should know, e.g. that a damaged database was kept aside."""

    message: str
    kept_as: Path | None = None


@dataclass(frozen=True)
class CaseRow:
    """A case as the history list shows it, without its walk."""

    id: str
    ticket: str
    agent: str
    user_name: str
    user_upn: str
    device_name: str
    device_platform: str
    device_os_version: str
    device_serial: str
    device_imei: str
    error_codes: tuple[str, ...]
    outcome: str  # resolved, escalate, not_resolved, or "" while the walk goes on
    started_at: dt.datetime
    updated_at: dt.datetime
    ended_at: dt.datetime | None
    finished: bool

    @classmethod
    def from_sql(cls, row: tuple[Any, ...]) -> CaseRow:
        return cls(
            id=str(row[0]),
            ticket=str(row[1]),
            agent=str(row[2]),
            user_name=str(row[3]),
            user_upn=str(row[4]),
            device_name=str(row[5]),
            device_platform=str(row[6]),
            device_os_version=str(row[7]),
            device_serial=str(row[8]),
            device_imei=str(row[9]),
            error_codes=tuple(code for code in str(row[10]).split("\n") if code),
            outcome=str(row[11]),
            started_at=_from_db(row[12]),
            updated_at=_from_db(row[13]),
            ended_at=_from_db(row[14]) if row[14] else None,
            finished=bool(row[15]),
        )


def search_text(case: Case) -> str:
    """Everything a search may look for, folded: ids, names, device, codes, notes, the steps' titles."""
    parts = [
        case.id,
        case.ticket,
        case.agent,
        case.user.name,
        case.user.upn,
        case.device.name,
        case.device.platform,
        case.device.os_version,
        case.device.serial,
        case.device.imei,
        case.general_note,
        case.escalated_to,
        case.escalation_reason,
        case.outcome.value if case.outcome else "",
        *case.error_codes(),
    ]
    for visit in case.visits:
        parts.extend(case.session.node_of(visit).title.values())
        parts.append(visit.note)
    return fold("\n".join(part for part in parts if part))


class CaseStore:
    """The SQLite case store. Opens lazily; every method may raise CaseStoreError."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        clock: Clock = utc_now,
        open_busy_timeout_ms: int = OPEN_BUSY_TIMEOUT_MS,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = path or paths.cases_database()
        self.clock = clock
        self.open_busy_timeout_ms = open_busy_timeout_ms
        self.busy_timeout_ms = busy_timeout_ms
        self._db: sqlite3.Connection | None = None
        self._notices: list[StoreNotice] = []
        self.uses_fts = False

    # -- opening --------------------------------------------------------------------------------

    def open(self) -> list[StoreNotice]:
        """Open (or create) the database now; returns and clears the notices so far."""
        self._connection()
        return self.take_notices()

    def take_notices(self) -> list[StoreNotice]:
        notices, self._notices = self._notices, []
        return notices

    def close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseStoreError(
                f"Cannot create the folder for saved cases {self.path.parent}: {exc.strerror}"
            ) from exc
        try:
            self._db = self._open_checked()
        except sqlite3.Error as exc:
            if _code(exc) in _CORRUPT or _code(exc) in _BUSY:
                damaged = _code(exc) in _CORRUPT
                why = "damaged" if damaged else "locked by another program"
                kept = self._move_aside("corrupt" if damaged else "locked")
                self._notices.append(
                    StoreNotice(
                        f"The case database {self.path} was {why} ({exc}); it was kept as {kept.name} "
                        "and a new one was started. The open case is kept.",
                        kept,
                    )
                )
                try:
                    self._db = self._open_checked()
                except sqlite3.Error as again:
                    raise _store_error(again, self.path) from again
            else:
                raise _store_error(exc, self.path) from exc
        return self._db

    def _open_checked(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.open_busy_timeout_ms / 1000, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL").fetchone()
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            result = db.execute("PRAGMA quick_check(1)").fetchone()
            if result is None or result[0] != "ok":
                raise _corrupt_error(f"quick check failed: {result[0] if result else 'no answer'}")
            # BEGIN IMMEDIATE asks for the write lock: can we write at all (locked, read-only, full)?
            db.executescript("BEGIN IMMEDIATE;" + _TABLES + "COMMIT;")
            self.uses_fts = self._setup_fts(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        except BaseException:
            with suppress(sqlite3.Error):
                db.close()
            raise
        return db

    @staticmethod
    def _setup_fts(db: sqlite3.Connection) -> bool:
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cases_fts'").fetchone()
        if exists:
            return True
        try:
            db.executescript(
                "BEGIN IMMEDIATE;" + _FTS + "INSERT INTO cases_fts (cases_fts) VALUES ('rebuild'); COMMIT;"
            )
            return True
        except sqlite3.OperationalError as exc:  # no FTS5 or no trigram tokenizer in this SQLite
            if db.in_transaction:
                db.execute("ROLLBACK")
            if "no such module" in str(exc) or "tokenizer" in str(exc):
                return False
            raise

    def _move_aside(self, why: str = "corrupt") -> Path:
        """Rename the database (and its -wal and -shm files) to `cases.sqlite3.<why>-<time>`."""
        self.close()
        stamp = self.clock().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        number = 1
        while kept.exists():
            number += 1
            kept = self.path.with_name(f"{self.path.name}.{why}-{stamp}-{number}")
        try:
            os.replace(self.path, kept)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CaseStoreError(
                f"The case database {self.path} is unusable and cannot be moved aside: {exc}"
            ) from exc
        for suffix in ("-wal", "-shm", "-journal"):
            side = self.path.with_name(self.path.name + suffix)
            with suppress(OSError):
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
        return kept

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Run one operation; a damaged database is replaced (the caller retries), others raise."""
        db = self._connection()
        try:
            yield db
        except sqlite3.Error as exc:
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            if _code(exc) in _CORRUPT:
                kept = self._move_aside()
                self._notices.append(
                    StoreNotice(
                        f"The case database {self.path} was damaged ({exc}); it was kept as {kept.name} "
                        "and a new one was started. The open case is kept.",
                        kept,
                    )
                )
                raise _Retry from exc
            if _code(exc) in _REOPEN:
                self.close()  # the next call opens again, once the disk is back
            raise _store_error(exc, self.path) from exc

    def _run(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        for attempt in range(2):
            try:
                with self._guard() as db:
                    return action(db)
            except _Retry as retry:
                if attempt:
                    raise CaseStoreError(f"The case database {self.path} is damaged again") from retry
        raise AssertionError("unreachable")

    # -- writing --------------------------------------------------------------------------------

    def save(self, case: Case) -> None:
        """Insert or replace the case (one prepared statement, one transaction)."""
        data = json.dumps(case.to_json(), ensure_ascii=False, separators=(",", ":"))
        outcome = case.outcome
        values = (
            case.id,
            case.ticket,
            case.agent,
            case.user.name,
            case.user.upn,
            case.device.name,
            case.device.platform,
            case.device.os_version,
            case.device.serial,
            case.device.imei,
            "\n".join(case.error_codes()),
            outcome.value if outcome else "",
            _to_db(case.started_at),
            _to_db(case.updated_at),
            _to_db(case.ended_at) if case.ended_at else None,
            int(case.is_finished),
            data,
            search_text(case),
        )
        self._run(lambda db: db.execute(_SAVE, values))

    def delete(self, case_id: str) -> bool:
        cursor = self._run(lambda db: db.execute("DELETE FROM cases WHERE id = ?", (case_id,)))
        return bool(cursor.rowcount)

    def duplicate(self, case_id: str, rng: random.Random | None = None) -> str:
        """A copy of a case under a new id, open, as a start for a similar one; returns the new id."""
        data = self.load_data(case_id)
        now = self.clock()
        new_id = new_case_id(now, rng)
        while self.exists(new_id):
            new_id = new_case_id(now, rng)
        stamp = now.astimezone(dt.UTC).isoformat()
        data.update(id=new_id, started_at=stamp, updated_at=stamp, ended_at=None)

        def copy(db: sqlite3.Connection) -> None:
            db.execute(
                f"""INSERT INTO cases ({_COLUMNS}, data, search)
                SELECT ?, ticket, agent, user_name, user_upn, device_name, device_platform, device_os_version,
                       device_serial, device_imei, error_codes, outcome, ?, ?, NULL, 0, ?, replace(search, ?, ?)
                FROM cases WHERE id = ?""",
                (
                    new_id,
                    _to_db(now),
                    _to_db(now),
                    json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    fold(case_id),
                    fold(new_id),
                    case_id,
                ),
            )

        self._run(copy)
        return new_id

    def purge_older_than(self, days: int) -> int:
        """Delete cases not changed for `days` days (retention); returns how many."""
        cutoff = _to_db(self.clock() - dt.timedelta(days=days))
        cursor = self._run(lambda db: db.execute("DELETE FROM cases WHERE updated_at < ?", (cutoff,)))
        return int(cursor.rowcount)

    # -- reading --------------------------------------------------------------------------------

    def exists(self, case_id: str) -> bool:
        return bool(
            self._run(lambda db: db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone())
        )

    def load_data(self, case_id: str) -> dict[str, Any]:
        row = self._run(lambda db: db.execute("SELECT data FROM cases WHERE id = ?", (case_id,)).fetchone())
        if row is None:
            raise KeyError(case_id)
        data: dict[str, Any] = json.loads(row[0])
        return data

    def load(self, case_id: str, flowset: FlowSet, clock: Clock = utc_now) -> Case:
        """The case, ready to go on with; CaseError when the flows no longer fit it."""
        return Case.from_json(flowset, self.load_data(case_id), clock=clock)

    def unfinished(self) -> CaseRow | None:
        """The most recently changed case that was never closed: offer to resume it after a crash."""
        row = self._run(
            lambda db: db.execute(
                f"SELECT {_COLUMNS} FROM cases WHERE finished = 0 ORDER BY updated_at DESC LIMIT 1"
            ).fetchone()
        )
        return CaseRow.from_sql(row) if row else None

    def recent(self, limit: int = 50) -> list[CaseRow]:
        rows = self._run(
            lambda db: db.execute(
                f"SELECT {_COLUMNS} FROM cases ORDER BY updated_at DESC LIMIT ?", (limit,)
            ).fetchall()
        )
        return [CaseRow.from_sql(row) for row in rows]

    def count(self) -> int:
        return int(self._run(lambda db: db.execute("SELECT count(*) FROM cases").fetchone()[0]))

    def search(self, text: str, limit: int = 50) -> list[CaseRow]:
        """Cases holding every word of `text` anywhere (ticket, user, device, error code, notes, step
        titles), most recently changed first. Case and Swedish diacritics do not matter."""
        words = fold(text).split()
        if not words:
            return self.recent(limit)
        self._connection()  # opening finds out whether FTS5 is there
        long_words = [word for word in words if len(word) >= 3]
        short_words = [word for word in words if len(word) < 3]
        likes = " AND ".join("c.search LIKE ? ESCAPE '\\'" for _ in short_words)
        like_args = [f"%{_like_escape(word)}%" for word in short_words]
        columns = ", ".join(f"c.{column.strip()}" for column in _COLUMNS.split(","))
        if self.uses_fts and long_words:
            match = " AND ".join('"' + word.replace('"', '""') + '"' for word in long_words)
            sql = (
                f"SELECT {columns} FROM cases_fts f JOIN cases c ON c.rowid = f.rowid "
                f"WHERE cases_fts MATCH ? {'AND ' + likes if likes else ''} "
                "ORDER BY c.updated_at DESC LIMIT ?"
            )
            args: list[Any] = [match, *like_args, limit]
        else:
            all_likes = " AND ".join("c.search LIKE ? ESCAPE '\\'" for _ in words)
            sql = f"SELECT {columns} FROM cases c WHERE {all_likes} ORDER BY c.updated_at DESC LIMIT ?"
            args = [*(f"%{_like_escape(word)}%" for word in words), limit]
        rows = self._run(lambda db: db.execute(sql, args).fetchall())
        return [CaseRow.from_sql(row) for row in rows]


class AutoSaver:
    """Saves each changed case at once, or within a second while the agent types, and never drops one.

    The UI calls `changed(case)` after every change (`typing=True` from a text field, which only marks
    the case pending) and `flush()` from a timer (at most a second apart while `pending`) and before
    quitting. A failed save keeps the case pending and is tried again on the next call; `on_status`
    hears of each failure, of the recovery, and of the store's notices (a database kept aside).
    """

    def __init__(
        self,
        store: CaseStore,
        on_status: Callable[[SaveStatus], None] | None = None,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.on_status = on_status
        self.clock = clock
        self._pending: dict[str, Case] = {}
        self.last_error: CaseStoreError | None = None
        self.last_saved_at: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def changed(self, case: Case, *, typing: bool = False) -> bool:
        """Note a change of `case`; save it now unless typing. True when nothing is left unsaved."""
        case.touch(self.clock())
        self._pending[case.id] = case
        if typing:
            return False
        return self.flush()

    def flush(self) -> bool:
        """Save every pending case; True when all are saved."""
        for case_id, case in list(self._pending.items()):
            try:
                self.store.save(case)
            except CaseStoreError as exc:
                self._report_notices()
                self._failed(exc)
                return False
            self._pending.pop(case_id, None)
            self.last_saved_at = self.clock()
        self._report_notices()
        if self.last_error is not None:
            self.last_error = None
            self._tell(SaveStatus(True, "All changes are saved again."))
        return True

    def _failed(self, error: CaseStoreError) -> None:
        first = self.last_error is None or self.last_error.message != error.message
        self.last_error = error
        if first:
            suffix = " Your changes are kept and saving is tried again." if error.retryable else ""
            self._tell(SaveStatus(False, error.message + suffix, retryable=error.retryable))

    def _report_notices(self) -> None:
        for notice in self.store.take_notices():
            self._tell(SaveStatus(True, notice.message, notice=True))

    def _tell(self, status: SaveStatus) -> None:
        if self.on_status is not None:
            self.on_status(status)


@dataclass(frozen=True)
class SaveStatus:
    """What AutoSaver tells the window: a failure (ok False), a recovery, or a store notice."""

    ok: bool
    message: str
    retryable: bool = True
    notice: bool = False


class _Retry(Exception):
    """The database was replaced after damage: do the operation again on the fresh one."""


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", -1)) & 0xFF


def _corrupt_error(message: str) -> sqlite3.DatabaseError:
    error = sqlite3.DatabaseError(message)
    error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    error.sqlite_errorname = "SQLITE_CORRUPT"
    return error


def _store_error(exc: sqlite3.Error, path: Path) -> CaseStoreError:
    code = _code(exc)
    if code == sqlite3.SQLITE_FULL:
        return CaseStoreError(f"The disk is full: cannot save cases to {path}.")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return CaseStoreError(f"Cannot save cases: {path} is read-only ({exc}).")
    if code in _BUSY:
        return CaseStoreError(f"The case database {path} is busy (locked by another program).")
    if code == sqlite3.SQLITE_CANTOPEN:
        return CaseStoreError(f"Cannot open the case database {path} ({exc}).")
    if code == sqlite3.SQLITE_IOERR:
        return CaseStoreError(f"Reading or writing {path} failed ({exc}).")
    return CaseStoreError(f"The case database {path} failed: {exc}.")


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _to_db(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _from_db(text: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
