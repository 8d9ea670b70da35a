"""Where `source="…"` points: relative to the article, or `~/NAME/…` through a roots table.

A path that leaves its root (through `..`, an absolute path, or a symlink
pointing outside) is refused and never read: `check-snippets` runs on pull
requests, and a pull request must not be able to make it read `/etc/passwd`.
A path no file system accepts (a NUL character, a name too long) is an answer
("not found"), never an exception: the path comes from the page, not from us.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path


def inside(root: Path, path: Path) -> Path | None:
    """`path`'s real path when it stays inside `root` (a real path) both as written and with symlinks resolved.

    None when either leaves `root`: the one containment check for sources,
    include files, link targets and pages. Never raises (a NUL byte or an
    over-long name is simply not inside).
    """
    try:
        lexical = Path(os.path.normpath(path))
        real = Path(os.path.realpath(lexical))
    except (OSError, ValueError):
        return None
    return real if _contained(root, lexical, real) else None


def _contained(root: Path, lexical: Path, real: Path) -> bool:
    """Both the path as written and its real path lie in `root`."""
    return all(candidate == root or root in candidate.parents for candidate in (lexical, real))


@dataclass(frozen=True)
class ResolvedPath:
    path: Path  # absolute, inside `root`
    root: Path
    root_name: str  # "" for the docset root
    relative: str  # path below the root, with "/" separators


@dataclass(frozen=True)
class Refusal:
    code: str  # SRC002 outside its root, SRC005 unknown root, SRC001 not a local path
    message: str
    hint: str | None = None


@dataclass
class Roots:
    """The docset root (`~/`) and the named roots (`~/NAME/`)."""

    docset: Path
    named: dict[str, Path] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # NAME -> URL template with {path}

    def __post_init__(self) -> None:
        self.docset = Path(os.path.realpath(self.docset))
        self.named = {name: Path(os.path.realpath(p)) for name, p in self.named.items()}
        self._memo: dict[tuple[str, str], ResolvedPath | Refusal] = {}

    def resolve(self, article: Path, source: str) -> ResolvedPath | Refusal:
        """Memoised per (article folder, source): a docset shows the same sources thousands of times."""
        key = (os.path.dirname(article), source)  # the folder as a string: no Path built per directive
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve(article, source)
        return found

    def _resolve(self, article: Path, source: str) -> ResolvedPath | Refusal:
        if "\x00" in source:
            shown = source.replace("\x00", "\\0")
            return Refusal("SRC001", f"`{shown}` contains a NUL character; no file has such a name", "remove the NUL character")
        if "://" in source:
            return Refusal("SRC001", f"`{source}` is a URL; only files in the docset or a configured root can be shown")
        if source.startswith("~/"):
            rest = source[2:]
            parts = rest.split("/")
            while parts and parts[0] == "..":  # `~/../NAME/` when the docset lives in a subfolder
                parts = parts[1:]
            if parts and parts[0] in self.named:
                return self._inside(self.named[parts[0]], parts[0], "/".join(parts[1:]), source)
            if rest.startswith("../"):
                name = parts[0] if parts else ""
                return Refusal("SRC005", unknown_root_message(name), self._root_hint(name))
            first = parts[0] if parts else ""
            if first and len(parts) > 1 and not _exists(self.docset / first):
                return Refusal("SRC005", unknown_root_message(first), self._root_hint(first))
            return self._inside(self.docset, "", rest, source)
        if os.path.isabs(source) or (len(source) > 1 and source[1] == ":"):
            return Refusal("SRC002", f"`{source}` is an absolute path; write it relative to the article or as ~/NAME/…")
        joined = Path(os.path.normpath(article.parent / source))
        try:
            relative = joined.relative_to(self.docset).as_posix()
        except ValueError:
            return Refusal("SRC002", f"`{source}` leaves the docset root; it is not read")
        return self._inside(self.docset, "", relative, source)

    def _inside(self, root: Path, name: str, relative: str, source: str) -> ResolvedPath | Refusal:
        lexical = Path(os.path.normpath(root / relative)) if relative else root
        try:
            real = Path(os.path.realpath(lexical))
        except (OSError, ValueError) as exc:
            return Refusal("SRC001", f"`{source}` cannot be resolved: {_reason(exc)}")
        if not _contained(root, lexical, real):
            where = f"root `{name}`" if name else "the docset root"
            return Refusal("SRC002", f"`{source}` resolves outside {where}; it is not read")
        return ResolvedPath(real, root, name, real.relative_to(root).as_posix() if real != root else "")

    def _root_hint(self, name: str) -> str:
        known = f" (configured: {', '.join(sorted(self.named))})" if self.named else ""
        return (f"pass --root {name}=DIR with the folder of that repository's checkout, or --checkouts DIR for the "
                f"repositories of .openpublishing.publish.config.json{known}")

    def source_url(self, resolved: ResolvedPath) -> str | None:
        template = self.urls.get(resolved.root_name)
        return template.replace("{path}", resolved.relative) if template else None


def unknown_root_message(name: str) -> str:
    """The one wording of SRC005: a run reports it once per root, naming how many directives use it."""
    return f"unknown root `{name}`: `~/{name}/` names no configured root and no folder of the docset"


def _exists(path: Path) -> bool:
    """Whether `path` exists; a name the file system refuses (too long, a NUL) names nothing."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def roots_from_openpublishing(config_file: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """Dependent repositories of a Learn repository's `.openpublishing.publish.config.json`.

    Each entry's `path_to_root` is both the name used after `~/` and the folder
    (relative to the repository) where the dependent repository is checked out.
    """
    data = json.loads(config_file.read_text(encoding="utf-8-sig"))
    named: dict[str, Path] = {}
    urls: dict[str, str] = {}
    for repo in data.get("dependent_repositories", []) or []:
        name = str(repo.get("path_to_root", "")).strip("/")
        if not name:
            continue
        named[name] = config_file.parent / name
        url, branch = repo.get("url"), repo.get("branch") or "main"
        if url:
            urls[name] = f"{url.rstrip('/')}/blob/{branch}/{{path}}"
    return named, urls
