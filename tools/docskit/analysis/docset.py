"""The docset index: which files are articles, which are sources, and one resolver per docset root.

Articles are the Markdown files named on the command line (folders are searched
for `*.md`; a file named explicitly counts whatever its extension) or, by default,
the `docs_dir` of mkdocs.yml, minus the `exclude` patterns. Sources are the files
under the roots that have a region-marker family. An article outside the
configured docset root gets its own folder as docset root, so relative sources
resolve next to it and nothing leaves that folder. A page that is a symlink
leaving its root is refused unread, with an SRC002 finding on it.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docskit.catalog import lookup
from docskit.config import Config
from docskit.diagnostics import Diagnostic
from docskit.snippets.markers import EXPLICIT_FAMILIES, Family, extension_of, families_for
from docskit.snippets.regions import RegionIndex
from docskit.snippets.resolver import Resolver
from docskit.snippets.roots import Roots, inside
from docskit.sourcefile import SourceCache, SourceFile

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        "site",
        ".check-snippets-cache",
        ".pytest_cache",
    }
)
MAX_SOURCE_BYTES = 5_000_000


@dataclass
class ArticleRef:
    path: Path  # absolute
    display: str
    explicit: bool = False  # named on the command line
    refusal: Diagnostic | None = None  # set when the page leaves its root: reported instead of reading it


def article_root(docset: Path, article: Path) -> Path:
    """The root an article's paths must stay in: the docset, or for an article outside it, its own folder."""
    return docset if (article == docset or docset in article.parents) else Path(os.path.realpath(article.parent))


def may_read(roots: Roots, path: Path) -> bool:
    """Whether `path` stays, through its symlinks too, inside the docset, a named root, or else its own folder."""
    lexical = Path(os.path.normpath(path))
    for root in (roots.docset, *roots.named.values()):
        if lexical == root or root in lexical.parents:
            return inside(root, lexical) is not None
    return inside(Path(os.path.realpath(lexical.parent)), lexical) is not None


def _refusal(docset: Path, path: Path, display: str) -> Diagnostic | None:
    if inside(article_root(docset, path), path) is not None:
        return None
    return Diagnostic(
        display,
        1,
        1,
        "SRC002",
        "the page is a symlink to a file outside the docset; it is not read",
        lookup("SRC002").severity,
        "copy the page into the docset instead of linking to it",
    )


@dataclass
class SourceEntry:
    path: Path
    display: str
    file: SourceFile
    families: tuple[Family, ...]


def _excluded(relative: str, patterns: list[str]) -> bool:
    """`includes/**` excludes `includes/a.md` and also `how-to/includes/a.md`."""
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, "*/" + p) for p in patterns)


def collect_articles(
    paths: list[Path], config: Config, display: Callable[[Path], str]
) -> tuple[list[ArticleRef], list[str]]:
    """Articles to check and one-line problems (a path that does not exist)."""
    problems: list[str] = []
    found: dict[Path, ArticleRef] = {}
    docset = Path(os.path.realpath(config.docset_root))
    targets = paths or [config.docs_dir]
    for target in targets:
        target = Path(os.path.abspath(target))
        if target.is_file():
            shown = display(target)
            found.setdefault(target, ArticleRef(target, shown, True, _refusal(docset, target, shown)))
        elif target.is_dir():
            top = str(target)
            for folder, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                below = folder[len(top) :].lstrip(os.sep).replace(os.sep, "/")  # the folder relative to the target
                # os.walk does not enter symlinked folders, so a page that is no symlink in a folder that
                # stays in its root stays there too: one real-path check per folder, not per page
                folder_stays = _refusal(docset, Path(folder, "_"), "") is None
                for name in sorted(files):
                    if not name.endswith(".md"):
                        continue
                    if _excluded(f"{below}/{name}" if below else name, config.options.exclude):
                        continue
                    path = Path(folder, name)
                    shown = display(path)
                    checked = not folder_stays or os.path.islink(path)
                    found.setdefault(
                        path, ArticleRef(path, shown, refusal=_refusal(docset, path, shown) if checked else None)
                    )
        else:
            problems.append(f"{display(target)}: no such file or folder")
    return sorted(found.values(), key=lambda a: a.display), problems


def file_state(path: Path) -> str:
    """ "file", "folder", "missing", "too-long" or "unreadable": what `path` is, without ever raising."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return "too-long"
        return "missing" if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP) else "unreadable"
    except ValueError:  # a NUL byte in the name
        return "unreadable"
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    return "file" if stat.S_ISREG(info.st_mode) else "unreadable"


def source_families(path: Path) -> tuple[Family, ...]:
    """The marker families a source is linted with; () when the file type has none we trust."""
    choice = families_for(path)
    if extension_of(path) in EXPLICIT_FAMILIES or choice.docfx_knows_type:
        return choice.families
    return ()


def walk_sources(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder, name)
            if source_families(path):
                found.append(path)
    return found


@dataclass
class Docset:
    config: Config
    roots: Roots
    files: SourceCache
    display: Callable[[Path], str]  # how reports name a path
    _resolvers: dict[Path, Resolver] = field(default_factory=dict)
    _walks: dict[Path, list[tuple[Path, Path]]] = field(default_factory=dict)

    def resolver_for(self, article: Path) -> Resolver:
        docset = self.roots.docset
        root = article_root(docset, article)
        resolver = self._resolvers.get(root)
        if resolver is None:
            roots = self.roots if root == docset else Roots(root, dict(self.roots.named), dict(self.roots.urls))
            resolver = self._resolvers[root] = Resolver(roots, self.files)
        return resolver

    def may_read(self, path: Path) -> bool:
        return may_read(self.roots, path)

    def default_resolver(self) -> Resolver:
        return self.resolver_for(self.roots.docset / "_")

    def sources(self, root_names: set[str] | None, only: set[Path] | None = None) -> list[SourceEntry]:
        entries: list[SourceEntry] = []
        seen: set[Path] = set()
        for name, root in sorted(self.roots.named.items()):
            if root_names is not None and name not in root_names:
                continue
            if not root.is_dir():
                continue
            for path, real in self._walked(root):
                if real in seen or (only is not None and real not in only and path not in only):
                    continue
                if real != root and root not in real.parents:
                    continue  # a symlink out of the root is never read
                seen.add(real)
                try:
                    if real.stat().st_size > MAX_SOURCE_BYTES:
                        continue
                except OSError:
                    continue
                file = self.files.get(real)
                if file.ok:
                    entries.append(SourceEntry(real, self.display(real), file, source_families(real)))
        return entries

    def _walked(self, root: Path) -> list[tuple[Path, Path]]:
        """(path, real path) of each source file under `root`: the folders are walked once per run."""
        found = self._walks.get(root)
        if found is None:
            found = self._walks[root] = [(path, Path(os.path.realpath(path))) for path in walk_sources(root)]
        return found


class DocsetIndex:
    """What docset-wide rules see: the sources, their region indexes, and which regions articles show."""

    def __init__(self, docset: Docset, sources: list[SourceEntry], used: dict[Path, set[str]] | None) -> None:
        self.docset = docset
        self.sources = sources
        self.used = used
        self._resolver = docset.default_resolver()

    def region_index(self, entry: SourceEntry, family: Family) -> RegionIndex:
        return self._resolver.region_index(entry.file, family)
