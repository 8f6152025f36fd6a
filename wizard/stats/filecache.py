"""Summaries of the case files the statistics read before, so that a team folder read again (the
usual case: each week's report over the same shared folder) reads only the files that are new or
changed.

A file is known by its path, size and time of last change (nanoseconds), and by the flows loaded
(their ids and versions): a flow changed since may make a file unreadable, or its facts different.
Only files that were read as cases are kept, as the summary of their facts (nothing personal but
the agent's name, which the case store also keeps). The cache is a small SQLite file in the user's
cache folder; it is best effort: locked, damaged, read-only or missing, the files are read again.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from wizard.core.model import FlowSet

_BATCH = 1000  # summaries written in one transaction


def library_mark(flowset: FlowSet) -> str:
    """Which flows (ids and versions) the summaries were made with."""
    text = "\n".join(f"{flow_id}:{flow.version}" for flow_id, flow in sorted(flowset.flows.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class FileSummaries:
    """path, size, time of change → summary, for one library of flows."""

    def __init__(self, path: Path, flowset: FlowSet) -> None:
        self.library = library_mark(flowset)
        self._pending: list[tuple[str, int, int, str, str]] = []
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=0.2, isolation_level=None)
            with suppress(OSError):
                os.chmod(path, 0o600)  # the agents' names are in it
            # Commits need not wait for the disk: a cache lost to a power cut is only read again.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                """CREATE TABLE IF NOT EXISTS files (
                path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                library TEXT NOT NULL, summary TEXT NOT NULL)"""
            )
            self._db = db
        except (sqlite3.Error, OSError):
            self._db = None

    def has_any(self) -> bool:
        """Whether any file is kept for these flows (when none is, there is nothing to look up)."""
        if self._db is None:
            return False
        try:
            row = self._db.execute(
                "SELECT 1 FROM files WHERE library = ? LIMIT 1", (self.library,)
            ).fetchone()
        except sqlite3.Error:
            self._db = None
            return False
        return row is not None

    def get(self, path: str, size: int, mtime: int) -> str | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT summary FROM files WHERE path = ? AND size = ? AND mtime = ? AND library = ?",
                (path, size, mtime, self.library),
            ).fetchone()
        except sqlite3.Error:
            self._db = None
            return None
        return None if row is None else str(row[0])

    def put(self, path: str, size: int, mtime: int, summary: str) -> None:
        if self._db is None:
            return
        self._pending.append((path, size, mtime, self.library, summary))
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if self._db is None or not pending:
            return
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", pending)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None  # another reader holds it, or the disk is full: read files again next time

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None
