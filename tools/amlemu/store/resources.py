"""ARM resources and long-running operation records in one SQLite file.

Every acknowledged change is committed before the HTTP answer is written, so a SIGKILL
loses nothing a client was told about. Keys are lower-cased ARM ids because ARM treats
ids case-insensitively; bodies keep the spelling the client used. Secrets (endpoint keys,
datastore account keys) live in their own column so they can never leak into a GET body.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY,          -- lower-cased ARM id
    kind TEXT NOT NULL,           -- 'workspace', 'onlineEndpoint', 'modelVersion', ...
    parent TEXT NOT NULL,         -- lower-cased id of the parent resource
    body TEXT NOT NULL,           -- the ARM JSON as served (without per-request URLs)
    secrets TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources (parent, kind);
CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL,    -- lower-cased id of the resource the operation changes
    action TEXT NOT NULL,         -- 'create', 'update', 'delete', 'regenerateKeys'
    status TEXT NOT NULL,         -- 'InProgress', 'Succeeded', 'Failed'
    started TEXT NOT NULL,
    ended TEXT,
    error TEXT,                   -- ARM error object as JSON when Failed
    payload TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class Resource:
    id: str
    kind: str
    parent: str
    body: dict[str, Any]
    secrets: dict[str, Any]


@dataclass
class Operation:
    id: str
    resource_id: str
    action: str
    status: str
    started: str
    ended: str | None
    error: dict[str, Any] | None
    payload: dict[str, Any]


class ResourceStore:
    """A thread-safe wrapper over one SQLite connection; `transaction()` groups writes."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[ResourceStore]:
        """Hold the store lock; nested calls join the outer transaction."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._db.execute("COMMIT")

    # -- resources -----------------------------------------------------------

    def get(self, resource_id: str) -> Resource | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, kind, parent, body, secrets FROM resources WHERE id = ?", (resource_id.lower(),)
            ).fetchone()
        return _resource(row) if row else None

    def children(self, parent: str, kind: str | None = None) -> list[Resource]:
        query = "SELECT id, kind, parent, body, secrets FROM resources WHERE parent = ?"
        args: tuple[str, ...] = (parent.lower(),)
        if kind is not None:
            query += " AND kind = ?"
            args += (kind,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY rowid", args).fetchall()
        return [_resource(row) for row in rows]

    def of_kind(self, kind: str) -> list[Resource]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, kind, parent, body, secrets FROM resources WHERE kind = ? ORDER BY rowid", (kind,)
            ).fetchall()
        return [_resource(row) for row in rows]

    def put(self, resource: Resource) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO resources (id, kind, parent, body, secrets) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET body = excluded.body, secrets = excluded.secrets",
                (
                    resource.id.lower(),
                    resource.kind,
                    resource.parent.lower(),
                    json.dumps(resource.body),
                    json.dumps(resource.secrets),
                ),
            )

    def delete(self, resource_id: str) -> None:
        """Delete a resource and everything under it."""
        prefix = resource_id.lower()
        with self.transaction():
            self._db.execute(
                "DELETE FROM resources WHERE id = ? OR substr(id, 1, ?) = ?",
                (prefix, len(prefix) + 1, prefix + "/"),
            )

    # -- operations ----------------------------------------------------------

    def put_operation(self, op: Operation) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO operations (id, resource_id, action, status, started, ended, error, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op.id,
                    op.resource_id.lower(),
                    op.action,
                    op.status,
                    op.started,
                    op.ended,
                    json.dumps(op.error) if op.error else None,
                    json.dumps(op.payload),
                ),
            )

    def get_operation(self, op_id: str) -> Operation | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, resource_id, action, status, started, ended, error, payload FROM operations WHERE id = ?",
                (op_id,),
            ).fetchone()
        return _operation(row) if row else None

    def operations_in_progress(self) -> list[Operation]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, resource_id, action, status, started, ended, error, payload FROM operations"
                " WHERE status = 'InProgress' ORDER BY rowid"
            ).fetchall()
        return [_operation(row) for row in rows]

    # -- settings ------------------------------------------------------------

    def setting(self, name: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_setting(self, name: str, value: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (name, value))


def _resource(row: tuple) -> Resource:
    return Resource(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]))


def _operation(row: tuple) -> Operation:
    return Operation(
        row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]) if row[6] else None, json.loads(row[7])
    )
