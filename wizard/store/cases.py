"""The case store: every case in one SQLite database in the user data directory, saved at every change.

One row per case: the fields the history list shows and searches (ticket, agent, user, device, error
codes, outcome, times, finished), the case JSON itself, and a folded search text (lower case, no
diacritics) indexed by an FTS5 trigram table, so any three letters of a ticket number, name, serial,
error code or note find the case; without FTS5 a LIKE scan does the same, slower.

WAL mode with synchronous=FULL: a save is one short transaction, durable when it returns, also across
a power cut. Readers never wait for a writer, and opening an existing database writes nothing unless
its schema is older than this code (then it is migrated once, or read as it is while another program
holds the write lock). The file and its -wal and -shm are the user's alone (0600): cases hold
personal data.

Each row carries a revision, bumped at every save. A case read from the store is saved only over the
revision it was read at: two windows on one case never silently drop each other's changes (a
CONFLICT; AutoSaver then keeps the agent's version as a copy). A window holding a case open leaves its
process and a heartbeat time on the row, so another window does not offer that live case as left
unfinished.

What goes wrong is reported as data (a StoreProblem or NoticeKind and its details; the window words
it), never eaten, and never loses the case the agent has in memory:
- only a damaged file ("file is not a database", "malformed", a failed quick check) is renamed to
  `cases.sqlite3.corrupt-<time>` and a fresh database started; a StoreNotice says so;
- a lock held by another program is waited for (the busy timeout); when it lasts, it is a retryable
  LOCKED error, never a reason to set the database aside;
- a database that can be read but not written (a read-only home) is opened read-only: the history and
  exports work, a READ_ONLY notice says so, and saving is a retryable READ_ONLY error;
- a full disk, or a folder that cannot be written, is a retryable CaseStoreError.
AutoSaver keeps the latest change of each case pending until a save of it succeeds.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import random
import socket
import sqlite3
import weakref
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
OPEN_BUSY_TIMEOUT_MS = 3000  # a migration at open waits this long; reads then go on without it
SCHEMA_VERSION = 3  # 2: revision, open_by, open_seen; 3: case_stats
LEASE_SECONDS = 150  # a window's hold on an open case lasts this long after its last heartbeat
HEARTBEAT_SECONDS = 60  # how often a window renews that hold while a case is open

_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CANNOT_WRITE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM}
_REOPEN = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM}

# The columns of the cases table, in one place: those a history row (CaseRow) reads, by the names of
# its fields, then what only the store uses. Rows are read by name (sqlite3.Row), never by position.
ROW_COLUMNS = (
    "id",
    "ticket",
    "agent",
    "user_name",
    "user_upn",
    "device_name",
    "device_platform",
    "device_os_version",
    "device_serial",
    "device_imei",
    "error_codes",
    "outcome",
    "started_at",
    "updated_at",
    "ended_at",
    "finished",
)
_COLUMNS = ", ".join(ROW_COLUMNS)
# The times and state of a case, which a copy of it starts afresh; a copy keeps the other columns.
_FRESH_IN_A_COPY = ("started_at", "updated_at", "ended_at", "finished")
_COPIED = [column for column in ROW_COLUMNS[1:] if column not in _FRESH_IN_A_COPY]
# What a save writes besides the id and the revision.
_SAVED = [*ROW_COLUMNS[1:], "data", "search", "open_by", "open_seen"]
_UPSERT = f"""
INSERT INTO cases (id, {", ".join(_SAVED)}, revision)
VALUES (?, {", ".join("?" for _ in _SAVED)}, ?)
ON CONFLICT(id) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _SAVED)}, revision = cases.revision + 1
"""
_UPDATE = f"""
UPDATE cases SET {", ".join(f"{c} = ?" for c in _SAVED)}, revision = revision + 1
WHERE id = ? AND revision = ?
"""
_KEEP_SUMMARY = "INSERT OR REPLACE INTO case_stats (id, revision, summary) VALUES (?, ?, ?)"
_TABLES = [
    """CREATE TABLE IF NOT EXISTS cases (
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
    search TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,  -- bumped at every save
    open_by TEXT NOT NULL DEFAULT '',  -- host:pid of the window holding the case open, or ''
    open_seen TEXT NOT NULL DEFAULT ''  -- that window's last heartbeat
)""",
    "CREATE INDEX IF NOT EXISTS cases_by_update ON cases (updated_at)",
    "CREATE INDEX IF NOT EXISTS cases_unfinished ON cases (finished, updated_at)",
    # Each case's statistics summary (wizard/stats: a small record of facts, nothing personal),
    # written with the case; a summary of another revision is stale and read as missing.
    """CREATE TABLE IF NOT EXISTS case_stats (
    id TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    summary TEXT NOT NULL
)""",
]
# Columns added after version 1, for databases made before them.
_ADDED_COLUMNS = {
    "revision": "INTEGER NOT NULL DEFAULT 0",
    "open_by": "TEXT NOT NULL DEFAULT ''",
    "open_seen": "TEXT NOT NULL DEFAULT ''",
}
_FTS_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(
    search, content='cases', content_rowid='rowid', tokenize='trigram'
)"""
_FTS_REST = [
    """CREATE TRIGGER IF NOT EXISTS cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END""",
    """CREATE TRIGGER IF NOT EXISTS cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
END""",
    """CREATE TRIGGER IF NOT EXISTS cases_fts_update AFTER UPDATE OF search ON cases
WHEN old.search IS NOT new.search BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END""",
    "INSERT INTO cases_fts (cases_fts) VALUES ('rebuild')",
]


class StoreProblem(enum.Enum):
    """Why an operation of the store failed; the window words each in the agent's language."""

    LOCKED = "locked"  # another program or window held the write lock longer than the busy timeout
    READ_ONLY = "read-only"  # the file or its folder cannot be written
    DISK_FULL = "disk-full"
    NO_FOLDER = "no-folder"  # the folder for the database cannot be created
    CANNOT_OPEN = "cannot-open"
    IO_ERROR = "io-error"
    DAMAGED = "damaged"  # damaged and it could not be replaced, or damaged again
    CONFLICT = "conflict"  # the case was saved elsewhere since it was read here; not retryable
    FAILED = "failed"  # anything else SQLite reports; `detail` holds its words


_ENGLISH = {
    StoreProblem.LOCKED: "The case database {path} is busy (locked by another program or window)",
    StoreProblem.READ_ONLY: "Cannot save cases: {path} is read-only",
    StoreProblem.DISK_FULL: "The disk is full: cannot save cases to {path}",
    StoreProblem.NO_FOLDER: "Cannot create the folder for saved cases {path}",
    StoreProblem.CANNOT_OPEN: "Cannot open the case database {path}",
    StoreProblem.IO_ERROR: "Reading or writing {path} failed",
    StoreProblem.DAMAGED: "The case database {path} is damaged",
    StoreProblem.CONFLICT: "Case {case_id} was changed by another window since it was read",
    StoreProblem.FAILED: "The case database {path} failed",
}


class CaseStoreError(Exception):
    """Saving or reading failed: a kind, the path, and details (SQLite's own words, a case id).

    `retryable`: the same call may work later (disk full, read-only, locked); the case in memory is
    still whole. `message` is an English sentence for the command line and logs; the window words
    `problem` itself.
    """

    def __init__(
        self,
        problem: StoreProblem,
        path: Path,
        detail: str = "",
        *,
        retryable: bool = True,
        case_id: str = "",
    ) -> None:
        self.problem = problem
        self.path = path
        self.detail = detail
        self.retryable = retryable
        self.case_id = case_id
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = _ENGLISH[self.problem].format(path=self.path, case_id=self.case_id)
        return f"{text} ({self.detail})." if self.detail else f"{text}."


class NoticeKind(enum.Enum):
    """Something the agent should know once; the window words it."""

    KEPT_ASIDE = "kept-aside"  # a damaged database was renamed (`kept_as`) and a new one started
    READ_ONLY = "read-only"  # opened read-only: the history can be read, nothing can be saved
    SAVED_AS_COPY = "saved-as-copy"  # a conflict: the agent's version saved as `case_id`, not over `detail`


@dataclass(frozen=True)
class StoreNotice:
    """Something the agent should know, e.g. that a damaged database was kept aside."""

    kind: NoticeKind
    path: Path
    kept_as: Path | None = None
    case_id: str = ""
    detail: str = ""  # SQLite's words, or the id a copy was made of

    @property
    def message(self) -> str:
        """In English, for the command line and logs."""
        if self.kind is NoticeKind.KEPT_ASIDE:
            name = self.kept_as.name if self.kept_as else "?"
            return (
                f"The case database {self.path} was damaged ({self.detail}); it was kept as {name} "
                "and a new one was started. The open case is kept."
            )
        if self.kind is NoticeKind.READ_ONLY:
            return f"The case database {self.path} is read-only: cases can be read but not saved."
        return f"Case {self.detail} was changed by another window; this version was saved as {self.case_id}."


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
    def from_sql(cls, row: sqlite3.Row) -> CaseRow:
        """A row selected with ROW_COLUMNS, read by column name."""
        converted = ("error_codes", *_FRESH_IN_A_COPY)
        texts = {name: str(row[name]) for name in ROW_COLUMNS if name not in converted}
        return cls(
            **texts,
            error_codes=tuple(code for code in str(row["error_codes"]).split("\n") if code),
            started_at=_from_db(row["started_at"]),
            updated_at=_from_db(row["updated_at"]),
            ended_at=_from_db(row["ended_at"]) if row["ended_at"] else None,
            finished=bool(row["finished"]),
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
        owner: str | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path or paths.cases_database()
        self.clock = clock
        self.open_busy_timeout_ms = open_busy_timeout_ms
        self.busy_timeout_ms = busy_timeout_ms
        # Who holds a case open: this host and process (a test may name two windows apart).
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self._db: sqlite3.Connection | None = None
        self._notices: list[StoreNotice] = []
        self._schema_current = False  # False while an older schema waits for the write lock
        self._read_only = False
        self._told_read_only = False
        # Opened only to read (the statistics): never created, migrated or set aside when damaged.
        self._only_read = read_only
        # The revision each case object was read or last saved at: its next save must find it so.
        self._revisions: weakref.WeakKeyDictionary[Case, int] = weakref.WeakKeyDictionary()
        self.uses_fts = False

    # -- opening --------------------------------------------------------------------------------

    def open(self) -> list[StoreNotice]:
        """Open (or create) the database now; returns and clears the notices so far."""
        self._connection()
        return self.take_notices()

    def take_notices(self) -> list[StoreNotice]:
        notices, self._notices = self._notices, []
        return notices

    @property
    def read_only(self) -> bool:
        """Opened read-only (a home that cannot be written): reading works, saving does not."""
        return self._read_only

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
        if self._only_read:
            self._told_read_only = True  # asked for: no notice
            self._db = self._open_read_only()
            self._db.row_factory = sqlite3.Row  # rows are read by column name, on every connection
            return self._db
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseStoreError(StoreProblem.NO_FOLDER, self.path.parent, exc.strerror or "") from exc
        try:
            self._db = self._open_checked()
        except sqlite3.Error as exc:
            code = _code(exc)
            if code in _CORRUPT:
                kept = self._move_aside()
                self._notices.append(StoreNotice(NoticeKind.KEPT_ASIDE, self.path, kept, detail=str(exc)))
                try:
                    self._db = self._open_checked()
                except sqlite3.Error as again:
                    raise _store_error(again, self.path) from again
            elif code in _CANNOT_WRITE and _readable_file(self.path):
                self._db = self._open_read_only()
            else:
                raise _store_error(exc, self.path) from exc
        self._db.row_factory = sqlite3.Row  # rows are read by column name
        return self._db

    def _open_checked(self) -> sqlite3.Connection:
        """Open read-write. Writes only to create or migrate the schema; a lock held elsewhere
        is waited for, then the database is read as it is and migrated at the first save."""
        _create_private(self.path)
        db = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            result = db.execute("PRAGMA quick_check(1)").fetchone()
            if result is None or result[0] != "ok":
                raise _corrupt_error(f"quick check failed: {result[0] if result else 'no answer'}")
            self._read_only = False
            self._schema_current = False
            try:
                self._migrate(db)
            except sqlite3.Error as exc:
                if _code(exc) not in _BUSY or not self._has_table(db, "cases"):
                    raise
                # Another program writes: read what is there; the first save migrates.
            self.uses_fts = self._has_table(db, "cases_fts")
        except BaseException:
            with suppress(sqlite3.Error):
                db.close()
            raise
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        """Open a database that can be read but not written (a read-only home or file)."""
        uri = self.path.resolve().as_uri()
        db: sqlite3.Connection | None = None
        try:
            try:
                db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                # A WAL database whose -shm cannot be made in a read-only folder: nobody can write
                # there either, so SQLite may read the file as an unchanging one.
                if db is not None:
                    db.close()
                db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            self.uses_fts = self._has_table(db, "cases_fts")
            self._schema_current = self._columns(db) >= set(_ADDED_COLUMNS)
        except sqlite3.Error as exc:
            if db is not None:
                with suppress(sqlite3.Error):
                    db.close()
            raise _store_error(exc, self.path) from exc
        self._read_only = True
        if not self._told_read_only:
            self._told_read_only = True
            self._notices.append(StoreNotice(NoticeKind.READ_ONLY, self.path))
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the schema and journal mode up to date; nothing is written when they are."""
        journal = str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if journal == "wal" and db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            self._schema_current = True
            return
        db.execute(f"PRAGMA busy_timeout={int(self.open_busy_timeout_ms)}")
        try:
            if journal != "wal":
                db.execute("PRAGMA journal_mode=WAL").fetchone()
            db.execute("BEGIN IMMEDIATE")
            try:
                # Read again under the lock: another process may have migrated meanwhile.
                if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    for statement in _TABLES:
                        db.execute(statement)
                    for column, kind in _ADDED_COLUMNS.items():
                        if column not in self._columns(db):
                            db.execute(f"ALTER TABLE cases ADD COLUMN {column} {kind}")
                    self._setup_fts(db)
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        self._schema_current = True

    @staticmethod
    def _setup_fts(db: sqlite3.Connection) -> None:
        """The trigram index, inside the migration's transaction; left out where SQLite lacks FTS5."""
        try:
            db.execute(_FTS_TABLE)
        except sqlite3.OperationalError as exc:  # no FTS5 or no trigram tokenizer in this SQLite
            if "no such module" in str(exc) or "tokenizer" in str(exc):
                return
            raise
        for statement in _FTS_REST:
            db.execute(statement)

    @staticmethod
    def _has_table(db: sqlite3.Connection, name: str) -> bool:
        return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None

    @staticmethod
    def _columns(db: sqlite3.Connection) -> set[str]:
        return {str(row[1]) for row in db.execute("PRAGMA table_info(cases)")}

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
                StoreProblem.DAMAGED, self.path, exc.strerror or str(exc), retryable=False
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
            if _code(exc) in _CORRUPT and not self._read_only:
                kept = self._move_aside()
                self._notices.append(StoreNotice(NoticeKind.KEPT_ASIDE, self.path, kept, detail=str(exc)))
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
                    raise CaseStoreError(StoreProblem.DAMAGED, self.path, "again") from retry
        raise AssertionError("unreachable")

    def _write(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """A write in one short transaction, after the schema is brought up to date."""

        if self._read_only:
            self.close()  # open read-write again if it can be: the disk may be back

        def write(db: sqlite3.Connection) -> Any:
            if self._read_only:
                raise CaseStoreError(StoreProblem.READ_ONLY, self.path)
            if not self._schema_current:
                self._migrate(db)
            db.execute("BEGIN IMMEDIATE")
            result = action(db)
            db.execute("COMMIT")
            return result

        return self._run(write)

    # -- writing --------------------------------------------------------------------------------

    def save(self, case: Case) -> None:
        """Write the case in one short transaction.

        A case read from this store (or saved by it before) is written only over the revision it
        was read at; when another window saved it meanwhile, CONFLICT (not retryable) and nothing
        is written. A case this store has not seen (new, imported) is inserted or replaces the row.
        """
        data = json.dumps(case.to_json(), ensure_ascii=False, separators=(",", ":"))
        outcome = case.outcome
        values: dict[str, Any] = {
            "ticket": case.ticket,
            "agent": case.agent,
            "user_name": case.user.name,
            "user_upn": case.user.upn,
            "device_name": case.device.name,
            "device_platform": case.device.platform,
            "device_os_version": case.device.os_version,
            "device_serial": case.device.serial,
            "device_imei": case.device.imei,
            "error_codes": "\n".join(case.error_codes()),
            "outcome": outcome.value if outcome else "",
            "started_at": _to_db(case.started_at),
            "updated_at": _to_db(case.updated_at),
            "ended_at": _to_db(case.ended_at) if case.ended_at else None,
            "finished": int(case.is_finished),
            "data": data,
            "search": search_text(case),
            "open_by": "" if case.is_finished else self.owner,
            "open_seen": _to_db(self.clock()),
        }
        fields = tuple(values[column] for column in _SAVED)
        base = self._revisions.get(case)
        summary = _stats_summary(case)

        def write(db: sqlite3.Connection) -> int:
            revision = saved(db)
            if summary is not None:
                db.execute(_KEEP_SUMMARY, (case.id, revision, summary))
            return revision

        def saved(db: sqlite3.Connection) -> int:
            if base is not None:
                if db.execute(_UPDATE, (*fields, case.id, base)).rowcount:
                    return base + 1
                found = db.execute("SELECT revision FROM cases WHERE id = ?", (case.id,)).fetchone()
                if found is not None:
                    db.execute("ROLLBACK")
                    raise CaseStoreError(
                        StoreProblem.CONFLICT,
                        self.path,
                        f"revision {base} was read, {found[0]} is saved",
                        retryable=False,
                        case_id=case.id,
                    )
            # New, imported, or deleted meanwhile (the agent's work comes back): insert or replace.
            db.execute(_UPSERT, (case.id, *fields, (base or 0) + 1))
            return int(db.execute("SELECT revision FROM cases WHERE id = ?", (case.id,)).fetchone()[0])

        self._revisions[case] = self._write(write)

    def save_as_copy(self, case: Case, rng: random.Random | None = None) -> str:
        """Give `case` a new, unused id and save it as a case of its own; returns the new id.

        After a CONFLICT: the other window's version stays under the old id, the agent's under this.
        """
        now = self.clock()
        new_id = new_case_id(now, rng)
        while self.exists(new_id):
            new_id = new_case_id(now, rng)
        old_id = case.id
        self._revisions.pop(case, None)
        case.id = new_id
        try:
            self.save(case)
        except CaseStoreError:
            case.id = old_id  # not saved: the case stays as it was, still pending
            raise
        return new_id

    def heartbeat(self, case_id: str) -> None:
        """Renew this window's hold on an open case (not a change: the revision stays)."""
        now = _to_db(self.clock())
        self._write(
            lambda db: db.execute(
                "UPDATE cases SET open_by = ?, open_seen = ? WHERE id = ? AND finished = 0",
                (self.owner, now, case_id),
            )
        )

    def release(self, case_id: str) -> None:
        """This window no longer holds the case open: another may offer it as left unfinished."""
        self._write(
            lambda db: db.execute(
                "UPDATE cases SET open_by = '' WHERE id = ? AND open_by = ?", (case_id, self.owner)
            )
        )

    def delete(self, case_id: str) -> bool:
        cursor = self._write(lambda db: db.execute("DELETE FROM cases WHERE id = ?", (case_id,)))
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
                f"""INSERT INTO cases (id, {", ".join(_COPIED)}, {", ".join(_FRESH_IN_A_COPY)}, data, search)
                SELECT ?, {", ".join(_COPIED)}, ?, ?, NULL, 0, ?, replace(search, ?, ?)
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

        self._write(copy)
        return new_id

    def purge_older_than(self, days: int) -> int:
        """Delete cases not changed for `days` days (retention); returns how many."""
        cutoff = _to_db(self.clock() - dt.timedelta(days=days))
        cursor = self._write(lambda db: db.execute("DELETE FROM cases WHERE updated_at < ?", (cutoff,)))
        return int(cursor.rowcount)

    # -- reading --------------------------------------------------------------------------------

    def exists(self, case_id: str) -> bool:
        return bool(
            self._run(lambda db: db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone())
        )

    def load_data(self, case_id: str) -> dict[str, Any]:
        return self._load_with_revision(case_id)[0]

    def _load_with_revision(self, case_id: str) -> tuple[dict[str, Any], int | None]:
        def read(db: sqlite3.Connection) -> Any:
            if self._schema_current:
                return db.execute("SELECT data, revision FROM cases WHERE id = ?", (case_id,)).fetchone()
            # an older schema, not yet migrated: no revision yet
            return db.execute("SELECT data, NULL AS revision FROM cases WHERE id = ?", (case_id,)).fetchone()

        row = self._run(read)
        if row is None:
            raise KeyError(case_id)
        data: dict[str, Any] = json.loads(row["data"])
        return data, (int(row["revision"]) if row["revision"] is not None else None)

    def load(self, case_id: str, flowset: FlowSet, clock: Clock = utc_now) -> Case:
        """The case, ready to go on with; CaseError when the flows no longer fit it. Its next save
        through this store must find the revision read here."""
        data, revision = self._load_with_revision(case_id)
        case = Case.from_json(flowset, data, clock=clock)
        if revision is not None:
            self._revisions[case] = revision
        return case

    def unfinished(self) -> CaseRow | None:
        """The most recently changed case that was never closed and that no other running window
        holds open: offer to resume it after a crash."""

        def read(db: sqlite3.Connection) -> list[Any]:
            if not self._schema_current:
                return db.execute(
                    f"SELECT {_COLUMNS}, '' AS open_by, '' AS open_seen FROM cases WHERE finished = 0 "
                    "ORDER BY updated_at DESC LIMIT 1"
                ).fetchall()
            return db.execute(
                f"SELECT {_COLUMNS}, open_by, open_seen FROM cases WHERE finished = 0 "
                "ORDER BY updated_at DESC LIMIT 20"
            ).fetchall()

        for row in self._run(read):
            if not self._held_elsewhere(str(row["open_by"]), str(row["open_seen"])):
                return CaseRow.from_sql(row)
        return None

    def _held_elsewhere(self, open_by: str, open_seen: str) -> bool:
        """Whether another running window holds a case open: its heartbeat is recent and, on this
        host, its process is still alive (a crashed window's case is offered at once)."""
        if not open_by or open_by == self.owner or not open_seen:
            return False
        try:
            seen = _from_db(open_seen)
        except ValueError:
            return False
        if self.clock() - seen > dt.timedelta(seconds=LEASE_SECONDS):
            return False
        host, _, pid = open_by.rpartition(":")
        if host == socket.gethostname() and pid.isdigit():
            return _process_alive(int(pid))
        return True

    def recent(self, limit: int = 50) -> list[CaseRow]:
        rows = self._run(
            lambda db: db.execute(
                f"SELECT {_COLUMNS} FROM cases ORDER BY updated_at DESC LIMIT ?", (limit,)
            ).fetchall()
        )
        return [CaseRow.from_sql(row) for row in rows]

    def stream_data(self, batch: int = 500) -> Iterator[tuple[str, str]]:
        """Every saved case as (id, JSON text), in the order saved first, a batch at a time: a reader
        of all cases (the statistics) never holds more than one batch, and no read stays open long."""
        after = 0

        def read(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                "SELECT rowid, id, data FROM cases WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, batch)
            ).fetchall()

        while True:
            rows = self._run(read)
            for _, case_id, data in rows:
                yield str(case_id), str(data)
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    def stream_summaries(self, batch: int = 500) -> Iterator[tuple[str, int, str | None, str | None]]:
        """Every saved case as (id, revision, statistics summary, JSON text), the order and batches of
        `stream_data`; the case's JSON only where it has no summary of its revision (saved before
        summaries were kept, or by an older version of the app)."""
        if not self._run(lambda db: self._has_table(db, "case_stats")):
            for case_id, data in self.stream_data(batch):
                yield case_id, -1, None, data
            return
        after = 0

        def read(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                """SELECT c.rowid, c.id, c.revision, s.summary, CASE WHEN s.summary IS NULL THEN c.data END
                FROM cases AS c LEFT JOIN case_stats AS s ON s.id = c.id AND s.revision = c.revision
                WHERE c.rowid > ? ORDER BY c.rowid LIMIT ?""",
                (after, batch),
            ).fetchall()

        while True:
            rows = self._run(read)
            for _, case_id, revision, summary, data in rows:
                yield str(case_id), int(revision), summary, data
            if len(rows) < batch:
                return
            after = int(rows[-1][0])

    def keep_summaries(self, summaries: list[tuple[str, int, str]]) -> bool:
        """Keep summaries computed by a reader for cases that had none (id, revision, summary), so
        they are computed once. Best effort, on a short connection of its own (also for a store opened
        read-only): never creates or migrates a database, and gives up at once when it is locked,
        read-only or older; the summary of a case saved meanwhile is not kept. True when kept."""
        if not summaries:
            return True
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=rw", uri=True, timeout=0.2)
        except (sqlite3.Error, OSError):
            return False
        try:
            with db:
                if not self._has_table(db, "case_stats"):
                    return False
                db.executemany(
                    _KEEP_SUMMARY.replace("VALUES (?, ?, ?)", "SELECT ?, ?, ?")
                    + " WHERE EXISTS (SELECT 1 FROM cases WHERE id = ? AND revision = ?)",
                    [(case_id, revision, text, case_id, revision) for case_id, revision, text in summaries],
                )
            return True
        except sqlite3.Error:
            return False
        finally:
            db.close()

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
        columns = ", ".join(f"c.{column}" for column in ROW_COLUMNS)
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
    hears of each failure, of the recovery, and of the store's notices (a database kept aside). A
    case another window saved meanwhile (CONFLICT) is saved as a copy under a new id, so both
    versions are kept; a SAVED_AS_COPY notice says which.
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
        self._pending: dict[int, Case] = {}  # by object: a copy changes the case's id
        self.last_error: CaseStoreError | None = None
        self.last_saved_at: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def changed(self, case: Case, *, typing: bool = False) -> bool:
        """Note a change of `case`; save it now unless typing. True when nothing is left unsaved."""
        case.touch(self.clock())
        self._pending[id(case)] = case
        if typing:
            return False
        return self.flush()

    def flush(self) -> bool:
        """Save every pending case; True when all are saved."""
        for key, case in list(self._pending.items()):
            try:
                self._save(case)
            except CaseStoreError as exc:
                self._report_notices()
                self._failed(exc)
                return False
            self._pending.pop(key, None)
            self.last_saved_at = self.clock()
        self._report_notices()
        if self.last_error is not None:
            self.last_error = None
            self._tell(SaveStatus(True))
        return True

    def _save(self, case: Case) -> None:
        try:
            self.store.save(case)
        except CaseStoreError as exc:
            if exc.problem is not StoreProblem.CONFLICT:
                raise
            old_id = case.id
            new_id = self.store.save_as_copy(case)
            self._tell(
                SaveStatus(
                    True,
                    notice=StoreNotice(
                        NoticeKind.SAVED_AS_COPY, self.store.path, case_id=new_id, detail=old_id
                    ),
                )
            )

    def _failed(self, error: CaseStoreError) -> None:
        first = self.last_error is None or self.last_error.message != error.message
        self.last_error = error
        if first:
            self._tell(SaveStatus(False, error=error))

    def _report_notices(self) -> None:
        for notice in self.store.take_notices():
            self._tell(SaveStatus(True, notice=notice))

    def _tell(self, status: SaveStatus) -> None:
        if self.on_status is not None:
            self.on_status(status)


@dataclass(frozen=True)
class SaveStatus:
    """What AutoSaver tells the window: a failure (`error`), a store notice, or, with neither, that
    all changes are saved again after a failure."""

    ok: bool
    error: CaseStoreError | None = None
    notice: StoreNotice | None = None

    @property
    def retryable(self) -> bool:
        return self.error is None or self.error.retryable

    @property
    def message(self) -> str:
        """In English, for logs and the command line; the window words the kinds itself."""
        if self.error is not None:
            suffix = " Your changes are kept and saving is tried again." if self.error.retryable else ""
            return self.error.message + suffix
        if self.notice is not None:
            return self.notice.message
        return "All changes are saved again."


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
    problem = {
        sqlite3.SQLITE_FULL: StoreProblem.DISK_FULL,
        sqlite3.SQLITE_READONLY: StoreProblem.READ_ONLY,
        sqlite3.SQLITE_PERM: StoreProblem.READ_ONLY,
        sqlite3.SQLITE_AUTH: StoreProblem.READ_ONLY,
        sqlite3.SQLITE_BUSY: StoreProblem.LOCKED,
        sqlite3.SQLITE_LOCKED: StoreProblem.LOCKED,
        sqlite3.SQLITE_CANTOPEN: StoreProblem.CANNOT_OPEN,
        sqlite3.SQLITE_IOERR: StoreProblem.IO_ERROR,
        sqlite3.SQLITE_CORRUPT: StoreProblem.DAMAGED,
        sqlite3.SQLITE_NOTADB: StoreProblem.DAMAGED,
    }.get(code, StoreProblem.FAILED)
    detail = "" if problem in (StoreProblem.DISK_FULL, StoreProblem.LOCKED) else str(exc)
    return CaseStoreError(problem, path, detail)


def _readable_file(path: Path) -> bool:
    return path.is_file() and os.access(path, os.R_OK)


def _create_private(path: Path) -> None:
    """Make a new database file readable by its owner only (SQLite gives its -wal and -shm the
    same mode); tighten one made before with wider rights."""
    if os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except FileExistsError:
        pass
    except OSError:
        return  # a folder that cannot be written: opening reports it
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(OSError):
            found = file.stat()
            if found.st_mode & 0o077 and found.st_uid == os.getuid():
                file.chmod(0o600)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # there, but another user's
    return True


def _stats_summary(case: Case) -> str | None:
    """The case's statistics summary, or None when it cannot be made: the statistics then read the
    case itself, and the save, which matters more, goes on."""
    from wizard.stats.core import case_summary

    try:
        return case_summary(case)
    except Exception:  # a figure is never worth losing the agent's save
        return None


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _to_db(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _from_db(text: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
