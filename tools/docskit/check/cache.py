"""The result cache: one JSON file, written atomically, safe to delete at any time.

An article's findings are reused when the article and every file its result
depends on (sources, includes, YAML files, link targets: content or mere
existence) are unchanged, and the run's configuration fingerprint is the same.
"Unchanged" is first judged by size and modification time, and by content
digest when those differ, so a warm run reads almost nothing. Tool results that
are costly to obtain (`bash -n`, shellcheck, the Azure ML SDK) are kept by
content digest as well.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from docskit.diagnostics import Diagnostic, Severity
from docskit.sourcefile import SourceCache

FORMAT = 3
FILE_NAME = "results.json"
MISSING = "missing"
FOLDER = "folder"


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class FileStates:
    """Digest of a file now, memoised; "missing" or "folder" when it is not a file."""

    def __init__(self, files: SourceCache) -> None:
        self.files = files
        self._digests: dict[Path, str] = {}
        self._stamps: dict[Path, tuple[int, int] | None] = {}
        self._records: dict[Path, list] = {}

    def stamp(self, path: Path | str) -> tuple[int, int] | None:
        if path not in self._stamps:
            self._stamps[path] = stamp(path)
        return self._stamps[path]

    def digest(self, path: Path | str) -> str:
        found = self._digests.get(path)
        if found is None:
            file_path = Path(path)
            if file_path.is_dir():
                found = FOLDER
            else:
                file = self.files.get(file_path)
                found = MISSING if file.problem == "missing" else (file.digest or MISSING)
            self._digests[path] = found  # under the key asked with: the cache names files by string
        return found

    def unchanged(self, path: Path | str, recorded: list) -> bool:
        """`recorded` is [size, mtime_ns, digest]; a matching stamp spares reading the file."""
        size, mtime, digest = recorded
        now = self.stamp(path)
        if digest == MISSING:
            return now is None
        if now is not None and now[0] == size and now[1] == mtime and digest != FOLDER:
            return True
        return self.digest(path) == digest

    def record(self, path: Path) -> list:
        """[size, mtime_ns, digest] as the cache keeps it; one list per file, however many results depend on it."""
        found = self._records.get(path)
        if found is None:
            now = self.stamp(path)
            digest = self.digest(path)
            found = self._records[path] = [now[0], now[1], digest] if now else [0, 0, MISSING]
        return found


def default_cache_dir(config_base: Path) -> Path:
    """Where results live unless told otherwise: $CHECK_SNIPPETS_CACHE_DIR, else beside mkdocs.yml."""
    return Path(os.environ.get("CHECK_SNIPPETS_CACHE_DIR") or config_base / ".check-snippets-cache")


def diagnostic_to_list(d: Diagnostic) -> list:
    return [d.path, d.line, d.column, d.code, d.message, d.severity.value, d.hint]


def diagnostic_from_list(item: list) -> Diagnostic:
    path, line, column, code, message, severity, hint = item
    return Diagnostic(path, line, column, code, message, Severity(severity), hint)


class ResultCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.data: dict[str, Any] = {"format": FORMAT, "articles": {}, "tools": {}}
        self.dirty = False
        if folder is not None:
            try:
                loaded = json.loads((folder / FILE_NAME).read_text("utf-8"))
                if isinstance(loaded, dict) and loaded.get("format") == FORMAT:
                    self.data = loaded
            except (OSError, ValueError):
                pass  # no cache, or a damaged one: start afresh

    @property
    def articles(self) -> dict[str, Any]:
        return self.data["articles"]

    @property
    def tools(self) -> dict[str, Any]:
        return self.data["tools"]

    def store_article(self, key: str, entry: dict[str, Any]) -> None:
        self.articles[key] = entry
        self.dirty = True

    def store_tools(self, tools: dict[str, Any], changed: bool) -> None:
        if changed:
            self.data["tools"] = tools
            self.dirty = True

    def save(self) -> str | None:
        """Write atomically (temporary file, then rename); returns a one-line problem or None."""
        if self.folder is None or not self.dirty:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.folder)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(self.data, separators=(",", ":")))  # one-shot: the C encoder, unlike json.dump
            os.replace(temporary, self.folder / FILE_NAME)
        except OSError as exc:
            return f"cache not written to {self.folder}: {exc.strerror or exc}"
        return None
