"""Blob contents as plain files, blob properties in a small SQLite table.

Contents are written to a temporary file and renamed into place before the properties
row commits, so after a SIGKILL a blob is either absent or complete and byte-identical.
Uncommitted blocks (Put Block before Put Block List) are files too, so a large upload
survives a restart between its blocks.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS containers (account TEXT, name TEXT, created TEXT, PRIMARY KEY (account, name));
CREATE TABLE IF NOT EXISTS blobs (
    account TEXT, container TEXT, name TEXT,
    size INTEGER NOT NULL, md5 TEXT NOT NULL, etag TEXT NOT NULL, modified TEXT NOT NULL,
    content_type TEXT, metadata TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (account, container, name)
);
"""


class BadBlobName(ValueError):
    """A blob or container name that cannot be stored safely."""


@dataclass
class BlobProperties:
    account: str
    container: str
    name: str
    size: int
    md5: str  # base64, as Content-MD5
    etag: str
    modified: str  # RFC 1123
    content_type: str | None
    metadata: dict[str, str]


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._db = sqlite3.connect(root / "blobs.sqlite", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- paths -----------------------------------------------------------------

    def content_path(self, account: str, container: str, name: str) -> Path:
        """Where the bytes of a blob live (also used to materialise code and model folders)."""
        return self.root / "data" / _segment(account) / _segment(container) / _relative(name)

    def _block_dir(self, account: str, container: str, name: str) -> Path:
        digest = hashlib.sha256(name.encode()).hexdigest()
        return self.root / "blocks" / _segment(account) / _segment(container) / digest

    # -- containers --------------------------------------------------------------

    def create_container(self, account: str, container: str, now: str) -> bool:
        _segment(container)
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO containers (account, name, created) VALUES (?, ?, ?)", (account, container, now)
            )
        return cursor.rowcount == 1

    def container_exists(self, account: str, container: str) -> bool:
        with self._lock:
            return (
                self._db.execute(
                    "SELECT 1 FROM containers WHERE account = ? AND name = ?", (account, container)
                ).fetchone()
                is not None
            )

    # -- blobs -------------------------------------------------------------------

    def get(self, account: str, container: str, name: str) -> BlobProperties | None:
        with self._lock:
            row = self._db.execute(
                "SELECT account, container, name, size, md5, etag, modified, content_type, metadata FROM blobs"
                " WHERE account = ? AND container = ? AND name = ?",
                (account, container, name),
            ).fetchone()
        return _props(row) if row else None

    def list(self, account: str, container: str, prefix: str = "") -> list[BlobProperties]:
        with self._lock:
            rows = self._db.execute(
                "SELECT account, container, name, size, md5, etag, modified, content_type, metadata FROM blobs"
                " WHERE account = ? AND container = ? AND substr(name, 1, ?) = ? ORDER BY name",
                (account, container, len(prefix), prefix),
            ).fetchall()
        return [_props(row) for row in rows]

    def read(self, props: BlobProperties) -> bytes:
        return self.content_path(props.account, props.container, props.name).read_bytes()

    def put(
        self,
        account: str,
        container: str,
        name: str,
        data: bytes,
        content_type: str | None,
        metadata: dict[str, str],
        now: str,
    ) -> BlobProperties:
        target = self.content_path(account, container, name)
        _write_atomically(target, data)
        return self._commit(account, container, name, data, content_type, metadata, now)

    def stage_block(self, account: str, container: str, name: str, block_id: str, data: bytes) -> None:
        folder = self._block_dir(account, container, name)
        _write_atomically(folder / _block_file(block_id), data)

    def commit_blocks(
        self,
        account: str,
        container: str,
        name: str,
        block_ids: list[str],
        content_type: str | None,
        metadata: dict[str, str],
        now: str,
    ) -> BlobProperties:
        folder = self._block_dir(account, container, name)
        parts = []
        for block_id in block_ids:
            path = folder / _block_file(block_id)
            if not path.exists():
                raise KeyError(block_id)
            parts.append(path.read_bytes())
        data = b"".join(parts)
        props = self.put(account, container, name, data, content_type, metadata, now)
        for path in folder.glob("*"):
            path.unlink(missing_ok=True)
        return props

    def set_metadata(self, props: BlobProperties, metadata: dict[str, str], now: str) -> BlobProperties:
        etag = _etag()
        with self._lock:
            self._db.execute(
                "UPDATE blobs SET metadata = ?, etag = ?, modified = ? WHERE account = ? AND container = ? AND name = ?",
                (json.dumps(metadata), etag, now, props.account, props.container, props.name),
            )
        return BlobProperties(
            props.account, props.container, props.name, props.size, props.md5, etag, now, props.content_type, metadata
        )

    def delete(self, props: BlobProperties) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM blobs WHERE account = ? AND container = ? AND name = ?",
                (props.account, props.container, props.name),
            )
        self.content_path(props.account, props.container, props.name).unlink(missing_ok=True)

    def _commit(
        self,
        account: str,
        container: str,
        name: str,
        data: bytes,
        content_type: str | None,
        metadata: dict[str, str],
        now: str,
    ) -> BlobProperties:
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        props = BlobProperties(account, container, name, len(data), md5, _etag(), now, content_type, metadata)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO blobs (account, container, name, size, md5, etag, modified, content_type, metadata)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (account, container, name, props.size, md5, props.etag, now, content_type, json.dumps(metadata)),
            )
        return props


def _etag() -> str:
    return '"0x' + uuid.uuid4().hex[:15].upper() + '"'


def _segment(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise BadBlobName(name)
    return name


def _relative(name: str) -> Path:
    parts = name.split("/")
    for part in parts:
        _segment(part)
    return Path(*parts)


def _block_file(block_id: str) -> str:
    return hashlib.sha256(block_id.encode()).hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


def _props(row: tuple) -> BlobProperties:
    return BlobProperties(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], json.loads(row[8]))
