"""SQLite state: owned events, tombstones, backend sync tokens, the last plan and run summaries.

One file (WAL mode) in the platform state dir. A schema version lives in ``PRAGMA user_version``;
:data:`MIGRATIONS` brings any older file up to date in one transaction.

Crash safety (the engine): before each remote write the engine records its *intent* (a row whose
``status`` is ``pending-insert``/``pending-update``/``pending-delete`` with the fingerprint it is
about to write), commits, writes, then records the outcome. A run killed anywhere leaves either
no row, a pending row, or a done row, and the next run resolves each against what the calendar
really holds (found by the ownership marker).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.errors import SourceError

SCHEMA_VERSION = 3

# Version 1 was the first released layout (owned events without sequence, no runs table).
SCHEMA_V1 = """
CREATE TABLE owned (
    target TEXT NOT NULL, nid TEXT NOT NULL, href TEXT, etag TEXT,
    fingerprint TEXT NOT NULL, content_hash TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (target, nid));
CREATE TABLE tombstones (target TEXT NOT NULL, nid TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (target, nid));
CREATE TABLE tokens (source TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (source, key));
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

MIGRATIONS: dict[int, str] = {
    # 1 -> 2: SEQUENCE per owned event, user-modified flag, the planned event as JSON, run log.
    2: """
ALTER TABLE owned ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE owned ADD COLUMN user_modified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE owned ADD COLUMN planned TEXT;
ALTER TABLE owned ADD COLUMN updated TEXT;
ALTER TABLE owned ADD COLUMN prev_fingerprint TEXT;
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,
    finished TEXT, exit_code INTEGER, summary TEXT);
""",
    # 2 -> 3: what became of each planned activity (sync.lifecycle): its state and every change,
    # the slots offered to the other person, snoozed people, and the interaction log.
    3: """
CREATE TABLE activities (uid TEXT PRIMARY KEY, contact TEXT NOT NULL, name TEXT NOT NULL,
    kind TEXT NOT NULL, title TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
    state TEXT NOT NULL, changed TEXT NOT NULL, place TEXT NOT NULL DEFAULT '');
CREATE TABLE activity_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL,
    state TEXT NOT NULL, changed TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE TABLE slots (uid TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
    status TEXT NOT NULL, PRIMARY KEY (uid, start));
CREATE TABLE snoozes (contact TEXT PRIMARY KEY, name TEXT NOT NULL, until TEXT NOT NULL);
CREATE TABLE interactions (id INTEGER PRIMARY KEY AUTOINCREMENT, contact TEXT NOT NULL,
    name TEXT NOT NULL, day TEXT NOT NULL, uid TEXT, topic TEXT NOT NULL DEFAULT '',
    promised TEXT NOT NULL DEFAULT '', offered TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
""",
}


#: Why an existing 0-byte state file is not quietly started afresh.
EMPTY_STATE = (
    "the state database is empty (0 bytes): truncated or damaged. Starting afresh would forget "
    "your deletes and moves of netweave's events; restore it from a backup, or move it aside "
    "to start afresh (netweave then finds its events again by their marker)"
)
#: Meta key prefix: the count of a source's last healthy read (``health:calendar:work``).
HEALTH_META = "health:"
#: Meta key: the errors of the last run that failed, and when (JSON).
LAST_FAILURE_META = "last_failure"


class StateError(SourceError):
    """The state database cannot be opened or written (disk full, permissions, corrupt)."""


@dataclass(frozen=True)
class OwnedRow:
    target: str
    nid: str
    href: str | None
    etag: str | None
    fingerprint: str  # of what netweave wrote (or is about to write, when pending)
    content_hash: str  # of the full rendered event: a change means an update is due
    status: str  # pending-insert | pending-update | pending-delete | done
    sequence: int = 0
    user_modified: bool = False
    planned: str | None = None  # JSON of the planned event (for status and replanning)
    prev_fingerprint: str | None = None  # pending-update: what the calendar held before


class State:
    """The state database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._depth = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
                os.close(fd)
            elif path.stat().st_size == 0:
                raise StateError(str(path), EMPTY_STATE)
            self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StateError(
                str(path), f"cannot use the state database ({e}); move it aside to start afresh"
            ) from None
        except OSError as e:
            raise StateError(str(path), f"cannot create the state database: {e.strerror}") from None

    # ------------------------------------------------------------------ schema
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(
                str(self.path),
                f"written by a newer netweave (schema {version}); upgrade netweave",
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            if version == 0:
                for stmt in _statements(SCHEMA_V1):
                    self.db.execute(stmt)
                version = 1
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in _statements(MIGRATIONS[v]):
                    self.db.execute(stmt)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested ones join the outermost (see :meth:`batch`)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self.db.execute("ROLLBACK")
                raise
            self._depth = 0
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as e:
            self._depth = 0
            raise StateError(str(self.path), f"cannot write the state database: {e}") from None

    def batch(self) -> Any:
        """Group many small writes (sync tokens, caches) into one commit.

        Not for intents: those must be committed before the remote write they announce.
        """
        return self.transaction()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ owned events
    def owned(self, target: str) -> dict[str, OwnedRow]:
        rows = self.db.execute(
            "SELECT target, nid, href, etag, fingerprint, content_hash, status, sequence,"
            " user_modified, planned, prev_fingerprint FROM owned WHERE target = ? ORDER BY nid",
            (target,),
        ).fetchall()
        return {
            r[1]: OwnedRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), r[9], r[10])
            for r in rows
        }

    def all_owned(self) -> list[OwnedRow]:
        rows = self.db.execute(
            "SELECT target, nid, href, etag, fingerprint, content_hash, status, sequence,"
            " user_modified, planned, prev_fingerprint FROM owned ORDER BY target, nid"
        ).fetchall()
        return [
            OwnedRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), r[9], r[10])
            for r in rows
        ]

    def put_owned(self, row: OwnedRow, now: datetime) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO owned (target, nid, href, etag, fingerprint, content_hash,"
                " status, sequence, user_modified, planned, updated, prev_fingerprint)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.target,
                    row.nid,
                    row.href,
                    row.etag,
                    row.fingerprint,
                    row.content_hash,
                    row.status,
                    row.sequence,
                    int(row.user_modified),
                    row.planned,
                    now.isoformat(),
                    row.prev_fingerprint,
                ),
            )

    def drop_owned(self, target: str, nid: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM owned WHERE target = ? AND nid = ?", (target, nid))

    # ------------------------------------------------------------------ tombstones
    def tombstones(self, target: str | None = None) -> frozenset[str]:
        if target is None:
            rows = self.db.execute("SELECT nid FROM tombstones").fetchall()
        else:
            rows = self.db.execute(
                "SELECT nid FROM tombstones WHERE target = ?", (target,)
            ).fetchall()
        return frozenset(r[0] for r in rows)

    def add_tombstone(self, target: str, nid: str, now: datetime) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO tombstones (target, nid, created) VALUES (?, ?, ?)",
                (target, nid, now.isoformat()),
            )
            self.db.execute("DELETE FROM owned WHERE target = ? AND nid = ?", (target, nid))

    # ------------------------------------------------------------------ tokens and meta
    def tokens(self, source: str) -> TokenStore:
        """A persistent mapping for one backend's sync tokens, etags and caches."""
        return TokenStore(self, source)

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def remembered_counts(self) -> dict[str, int]:
        """What each source held at its last healthy read (``calendar:NAME``,
        ``addressbook:NAME``), for :func:`sync.engine.health.judge`. An address book's count
        kept by earlier versions (``count:NAME``) is its last healthy read too."""
        out: dict[str, int] = {}
        for key, value in self.db.execute("SELECT key, value FROM meta").fetchall():
            try:
                n = int(value)
            except ValueError:
                continue
            if key.startswith(HEALTH_META):
                out[key[len(HEALTH_META) :]] = n
            elif key.startswith("count:"):
                out.setdefault("addressbook:" + key[len("count:") :], n)
        return out

    def remember_counts(self, counts: dict[str, int]) -> None:
        with self.transaction():
            for key, n in sorted(counts.items()):
                self.set_meta(HEALTH_META + key, str(n))

    # ------------------------------------------------------------------ runs
    def start_run(self, now: datetime) -> int:
        with self.transaction():
            cur = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now.isoformat(),))
        return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, now: datetime, exit_code: int, summary: dict[str, object]
    ) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, exit_code = ?, summary = ? WHERE id = ?",
                (now.isoformat(), exit_code, json.dumps(summary, sort_keys=True), run_id),
            )

    def last_run(self) -> dict[str, object] | None:
        row = self.db.execute(
            "SELECT id, started, finished, exit_code, summary FROM runs"
            " WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return {
            "id": row[0],
            "started": row[1],
            "finished": row[2],
            "exit_code": row[3],
            "summary": json.loads(row[4]) if row[4] else {},
        }


class TokenStore(MutableMapping[str, str]):
    """``MutableMapping[str, str]`` view of one source's rows in the tokens table."""

    def __init__(self, state: State, source: str) -> None:
        self.state = state
        self.source = source

    def __getitem__(self, key: str) -> str:
        row = self.state.db.execute(
            "SELECT value FROM tokens WHERE source = ? AND key = ?", (self.source, key)
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __setitem__(self, key: str, value: str) -> None:
        with self.state.transaction():
            self.state.db.execute(
                "INSERT OR REPLACE INTO tokens (source, key, value) VALUES (?, ?, ?)",
                (self.source, key, value),
            )

    def __delitem__(self, key: str) -> None:
        with self.state.transaction():
            cur = self.state.db.execute(
                "DELETE FROM tokens WHERE source = ? AND key = ?", (self.source, key)
            )
        if cur.rowcount == 0:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        rows = self.state.db.execute(
            "SELECT key FROM tokens WHERE source = ? ORDER BY key", (self.source,)
        ).fetchall()
        return iter([r[0] for r in rows])

    def __len__(self) -> int:
        row = self.state.db.execute(
            "SELECT COUNT(*) FROM tokens WHERE source = ?", (self.source,)
        ).fetchone()
        return int(row[0])


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
