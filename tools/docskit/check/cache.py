"""The result cache: one JSON file, written atomically, safe to delete at any time.

An article's findings are reused when the article and every file its result
depends on (sources, includes, YAML files, link targets: content or mere
existence) are unchanged, and the run's configuration fingerprint is the same.
"Unchanged" is first judged by size and modification time, and by content
digest when those differ, so a warm run reads almost nothing. Tool results that
are costly to obtain (`bash -n`, shellcheck, the Azure ML SDK) are kept by
content digest as well.

The cache is the user's own file, not a security boundary, but it must never
crash a run or hide a finding. It is read only when it is a regular file (never
through a symlink) of at most `MAX_CACHE_BYTES`; every entry is checked for its
exact shape and for the digest of its results stored with it, and an entry that
fails is dropped and rebuilt, with one note. A size and modification time are
trusted only when the modification time is clearly older than the moment the
file was first looked at (git's racy-timestamp rule): a file changed in the same
instant, or whose old time was put back, is compared by digest.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat as stat_module
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docskit.diagnostics import Diagnostic, Severity
from docskit.sourcefile import SourceCache

FORMAT = 4
FILE_NAME = "results.json"
MISSING = "missing"
FOLDER = "folder"
OTHER = "other"  # neither a regular file nor a folder (a device, a FIFO): never opened
MAX_CACHE_BYTES = 256 * 1024 * 1024  # a larger results.json is ignored unread, then rewritten
RACY_MARGIN_NS = 2_000_000_000  # modification times this close to the first look are not trusted (FAT has 2 s)


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size, info.st_mtime_ns


class FileStates:
    """Digest of a file now, memoised; "missing", "folder" or "other" when it is not a regular file.

    `may_read` says which paths may be opened; any other path (a symlink out of
    the docset, say) is known only by where it points, never by its content.
    """

    def __init__(
        self,
        files: SourceCache,
        may_read: Callable[[Path], bool] | None = None,
        refreshed: Callable[[], None] | None = None,
    ) -> None:
        self.files = files
        self.may_read = may_read
        self.refreshed = refreshed  # called when a record was confirmed by digest and can be trusted from now on
        self.started = time.time_ns()  # before any file of this run is read: the racy-timestamp reference
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
            found = self._digests[path] = self._digest(
                Path(path)
            )  # under the key asked with: the cache names files by string
        return found

    def _digest(self, path: Path) -> str:
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            return MISSING
        if stat_module.S_ISDIR(mode):
            return FOLDER
        if not stat_module.S_ISREG(mode):
            return OTHER
        if self.may_read is not None and not self.may_read(path):
            return (
                "outside:"
                + hashlib.blake2b(os.path.realpath(path).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
            )
        file = self.files.get(path)
        return MISSING if file.problem == "missing" else (file.digest or MISSING)

    def unchanged(self, path: Path | str, recorded: list) -> bool:
        """`recorded` is [size, mtime_ns, digest, first look]; a matching stamp spares reading the file,
        unless the modification time is too close to that first look to tell two versions apart."""
        size, mtime, digest, looked = recorded
        now = self.stamp(path)
        if digest == MISSING:
            return now is None
        same_stamp = now is not None and now[0] == size and now[1] == mtime and digest != FOLDER
        if same_stamp and mtime < looked - RACY_MARGIN_NS:
            return True
        same = self.digest(path) == digest
        if same and now is not None and now[1] < self.started - RACY_MARGIN_NS and self.refreshed is not None:
            recorded[:] = [now[0], now[1], digest, self.started]  # confirmed long after its last change: next time
            self.refreshed()  # its stamp is trusted (a touched but unchanged file, or one no longer racy)
        return same

    def record(self, path: Path) -> list:
        """[size, mtime_ns, digest, first look] as the cache keeps it; one list per file, however many results
        depend on it. The first look is when this run started, before it read anything."""
        found = self._records.get(path)
        if found is None:
            now = self.stamp(path)
            digest = self.digest(path)
            found = self._records[path] = (
                [now[0], now[1], digest, self.started] if now else [0, 0, MISSING, self.started]
            )
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
        self.notes: list[str] = []  # one-line remarks for stderr
        if folder is not None:
            loaded, problem = _read_json(folder / FILE_NAME)
            if problem:
                self.dirty = True
                self.notes.append(f"ignored {folder / FILE_NAME}: {problem}; rebuilt")
            elif loaded is not None:
                self.data, dropped = validated(loaded)
                if dropped:
                    self.dirty = True  # rewritten without them
                    self.notes.append(
                        f"ignored {dropped} cache {'entry' if dropped == 1 else 'entries'} "
                        f"that do not validate in {folder / FILE_NAME}; rebuilt"
                    )

    def mark_changed(self) -> None:
        """Something in the loaded data was updated in place: write it back."""
        self.dirty = True

    @property
    def articles(self) -> dict[str, Any]:
        return self.data["articles"]

    @property
    def tools(self) -> dict[str, Any]:
        return self.data["tools"]

    def store_article(self, key: str, entry: dict[str, Any]) -> None:
        self.articles[key] = {**entry, "sum": results_digest(entry)}
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
                tools = self.data["tools"]
                data = {**self.data, "tools": {**tools, "sum": results_digest(tools)} if tools else {}}
                out.write(json.dumps(data, separators=(",", ":")))  # one-shot: the C encoder, unlike json.dump
            os.replace(temporary, self.folder / FILE_NAME)
        except OSError as exc:
            return f"cache not written to {self.folder}: {exc.strerror or exc}"
        return None


class StoredResults:
    """The one rule for reusing a result an earlier run stored.

    A stored result holds while it was made with this run's fingerprint (code, options, roots), with the
    external programs if this run uses them, and neither the file nor anything its result depends on has
    changed since. The runner asks in two steps (`own`, then `dependencies_unchanged`), because with
    `--changed-since` it decides between them whether an article is to be reported at all.
    """

    def __init__(self, entries: dict[str, Any], fingerprint: str, states: FileStates, exec_checks: bool) -> None:
        self.entries = entries  # by the file's path, as a string
        self.fingerprint = fingerprint
        self.states = states
        self.exec_checks = exec_checks  # a result made without the external programs lacks their findings

    def own(self, path: Path) -> dict[str, Any] | None:
        """The stored entry for `path` if it was made as this run would make it and the file is unchanged."""
        entry = self.entries.get(str(path))
        if (
            entry
            and entry.get("fp") == self.fingerprint
            and (entry.get("exec") or not self.exec_checks)
            and self.states.unchanged(str(path), entry["self"])
        ):
            return entry
        return None

    def dependencies_unchanged(self, entry: dict[str, Any]) -> bool:
        return all(self.states.unchanged(path, recorded) for path, recorded in entry["deps"].items())

    def reusable(self, path: Path) -> dict[str, Any] | None:
        """The stored entry for `path` when it still holds: its own, and nothing it depends on has changed."""
        entry = self.own(path)
        return entry if entry is not None and self.dependencies_unchanged(entry) else None


def _read_json(path: Path) -> tuple[Any, str | None]:
    """(the parsed file, None), (None, None) when there is none, or (None, why it is ignored unread)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "it is a symlink"
        return None, f"it cannot be opened ({exc.strerror or exc})"
    try:
        info = os.fstat(handle)
        if not stat_module.S_ISREG(info.st_mode):
            return None, "it is not a regular file"
        if info.st_size > MAX_CACHE_BYTES:
            return None, f"it is larger than {MAX_CACHE_BYTES // 2**20} MB"
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_CACHE_BYTES + 1)
        if len(data) > MAX_CACHE_BYTES:
            return None, f"it is larger than {MAX_CACHE_BYTES // 2**20} MB"
        return json.loads(data), None
    except RecursionError:
        return None, "it is nested too deeply"
    except (OSError, ValueError):
        return None, "it is not valid JSON"
    finally:
        os.close(handle)


def results_digest(entry: dict[str, Any]) -> str:
    """Digest of what an entry reports (everything but its file records and its own digest), stored in it:
    an entry whose findings were truncated or emptied no longer matches and is rebuilt."""
    reported = {k: v for k, v in entry.items() if k not in ("self", "deps", "sum")}
    return hashlib.blake2b(
        json.dumps(reported, sort_keys=True, separators=(",", ":")).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


def validated(loaded: Any) -> tuple[dict[str, Any], int]:
    """The cache data keeping only entries of exactly the shape this code writes, and how many were dropped."""
    empty = {"format": FORMAT, "articles": {}, "tools": {}}
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
        return empty, 0  # another format: silently replaced, as after an upgrade
    if set(loaded) != {"format", "articles", "tools"} or not isinstance(loaded["articles"], dict):
        return empty, 1
    articles = {k: v for k, v in loaded["articles"].items() if _is_article_entry(v)}
    dropped = len(loaded["articles"]) - len(articles)
    tools = loaded["tools"]
    if tools != {} and not _is_tools(tools):
        tools, dropped = {}, dropped + 1
    return {"format": FORMAT, "articles": articles, "tools": {k: v for k, v in tools.items() if k != "sum"}}, dropped


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(value: Any, size: int) -> bool:
    return isinstance(value, list) and len(value) == size and all(isinstance(v, str) for v in value)


def _is_record(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and _int(value[0])
        and value[0] >= 0
        and _int(value[1])
        and isinstance(value[2], str)
        and _int(value[3])
    )


_SEVERITIES = frozenset(s.value for s in Severity)


def _is_diagnostic(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 7
        and isinstance(value[0], str)
        and _int(value[1])
        and value[1] >= 0
        and _int(value[2])
        and value[2] >= 0
        and isinstance(value[3], str)
        and isinstance(value[4], str)
        and value[5] in _SEVERITIES
        and (value[6] is None or isinstance(value[6], str))
    )


_ARTICLE_KEYS = frozenset({"fp", "exec", "self", "deps", "diags", "uses", "included", "sum"})


def _is_article_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and entry.keys() == _ARTICLE_KEYS
        and isinstance(entry["fp"], str)
        and isinstance(entry["exec"], bool)
        and _is_record(entry["self"])
        and isinstance(entry["deps"], dict)
        and all(_is_record(r) for r in entry["deps"].values())
        and isinstance(entry["diags"], list)
        and all(_is_diagnostic(d) for d in entry["diags"])
        and isinstance(entry["uses"], list)
        and all(_strings(u, 2) for u in entry["uses"])
        and isinstance(entry["included"], list)
        and all(isinstance(p, str) for p in entry["included"])
        and entry["sum"] == results_digest(entry)
    )


def _is_tools(tools: Any) -> bool:
    """{"shell": {digest: [[tool, line, column, message, code]]}, "azureml": {key: [[key path, message]]},
    "kept": {kind: {digest: [[kind, key, text]]}}, "sum": digest}."""
    if not isinstance(tools, dict) or tools.keys() != {"shell", "azureml", "kept", "sum"}:
        return False
    shell, azureml, kept = tools["shell"], tools["azureml"], tools["kept"]
    return (
        isinstance(shell, dict)
        and all(
            isinstance(found, list)
            and all(
                isinstance(f, list)
                and len(f) == 5
                and isinstance(f[0], str)
                and _int(f[1])
                and _int(f[2])
                and isinstance(f[3], str)
                and isinstance(f[4], str)
                for f in found
            )
            for found in shell.values()
        )
        and isinstance(azureml, dict)
        and all(
            isinstance(found, list)
            and all(
                isinstance(f, list)
                and len(f) == 2
                and isinstance(f[0], list)
                and all(isinstance(k, (str, int)) and not isinstance(k, bool) for k in f[0])
                and isinstance(f[1], str)
                for f in found
            )
            for found in azureml.values()
        )
        and isinstance(kept, dict)
        and all(
            isinstance(bucket, dict)
            and all(
                isinstance(found, list)
                and all(
                    isinstance(f, list) and len(f) == 3 and all(v is None or isinstance(v, str) for v in f)
                    for f in found
                )
                for found in bucket.values()
            )
            for bucket in kept.values()
        )
        and tools["sum"] == results_digest(tools)
    )
