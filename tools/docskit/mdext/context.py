"""What the extensions know about the page being converted and the build it belongs to.

Python-Markdown hands an extension text, not a file. MkDocs and Zensical both
create a fresh `Markdown` (and so fresh extension instances) for every page, but
each leaves the page and the site configuration on the instance: MkDocs in its
`relpath` tree processor, Zensical in its `rendering_context` preprocessor. A
bare `markdown.Markdown()` call may name the page with `md.docskit_page`, and
make several instances share one build by giving them the same object as
`md.docskit_build_owner`.

A build is identified by the host's configuration object (a new one for every
MkDocs build, `mkdocs serve` rebuilds included), or by the `Markdown` instance in
a bare call, where `Markdown.reset()` ends it. One `Resolver` serves every page
of a build, so each source file is read and indexed once per build.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from docskit.check.cache import default_cache_dir
from docskit.config import EXTENSION_NAME, Config, ConfigError, Options, build_roots, config_from_extension
from docskit.diagnostics import Diagnostic
from docskit.learn.items import CodeDirective
from docskit.mdext.reporting import log_config_problem, report_page
from docskit.snippets import ResolvedSnippet, Resolver, Roots

if TYPE_CHECKING:
    from docskit.check.stored_findings import StoredFindings

PREVIEW_ENV = "DOCSKIT_PREVIEW"  # set to 1 for a preview build without editing mkdocs.yml
BARE_PAGE_NAME = "<markdown>"


@dataclass(frozen=True)
class Host:
    """Where the conversion runs: the build's identity, its config file, the page file."""

    owner: object | None  # the build's configuration object; None in a bare call
    mkdocs_yml: Path | None
    docs_dir: Path | None
    page: Path | None  # absolute path of the page's Markdown file, when known


class BuildResolver(Resolver):
    """A `Resolver` that remembers what each directive shows, for the rest of the build.

    Checking a page resolves its directives; rendering the page needs the same
    snippets, and other pages often show the same regions again. The snippet a
    directive shows depends only on the folder it is written in and its
    attributes, so that is the key.
    """

    def __init__(self, roots: Roots) -> None:
        super().__init__(roots)
        self._shown: dict[tuple[Path, tuple[tuple[str, str], ...]], ResolvedSnippet] = {}

    def resolve(self, article_path: Path, article: str, directive: CodeDirective) -> ResolvedSnippet:
        snippet = super().resolve(article_path, article, directive)
        self._shown[_shown_key(article_path, directive)] = snippet
        return snippet

    def shown(self, article_path: Path, article: str, directive: CodeDirective) -> ResolvedSnippet:
        """The snippet to render (its diagnostics may name another page that shows the same thing)."""
        found = self._shown.get(_shown_key(article_path, directive))
        return found if found is not None else self.resolve(article_path, article, directive)


def _shown_key(article_path: Path, directive: CodeDirective) -> tuple[Path, tuple[tuple[str, str], ...]]:
    return article_path.parent, tuple((a.name, a.value) for a in directive.attributes)


@dataclass
class Build:
    """State shared by every page of one build."""

    owner: object
    key: str
    config: Config
    roots: Roots
    resolver: BuildResolver
    reported: set[Diagnostic] = field(default_factory=set)  # include files are checked once per build
    _stored: StoredFindings | None = None

    def stored_findings(self) -> StoredFindings:
        """What the last check-snippets run stored (read once per build, on first use)."""
        if self._stored is None:
            from docskit.check.stored_findings import StoredFindings  # it loads the engine and every rule

            self._stored = StoredFindings(
                self.config, self.roots, self.resolver.cache, default_cache_dir(self.config.base)
            )
        return self._stored


@dataclass
class Page:
    """The page being converted."""

    build: Build
    path: Path  # absolute; relative `source=` and include paths start from its folder
    display: str  # how reports name it: relative to the working directory, as check-snippets does
    on_disk: bool  # whether `path` is a real file (diagnostics then read it as written)
    preview: bool


def detect_host(md: Markdown) -> Host:
    """Find the page and configuration that MkDocs, Zensical or the caller left on `md`."""
    if "relpath" in md.treeprocessors:  # MkDocs registers it before converting each page
        processor = md.treeprocessors["relpath"]
        config = getattr(processor, "config", None)
        file = getattr(processor, "file", None)
        if config is not None and file is not None:
            config_file = config.get("config_file_path") if hasattr(config, "get") else None
            abs_src = getattr(file, "abs_src_path", None)
            return Host(
                config,
                Path(config_file) if config_file else None,
                Path(config["docs_dir"]),
                Path(abs_src) if abs_src else None,
            )
    if "rendering_context" in md.preprocessors:  # Zensical
        context = md.preprocessors["rendering_context"]
        config, page = getattr(context, "config", None), getattr(context, "page", None)
        if isinstance(config, dict) and page is not None:
            root = Path(config.get("root_dir") or ".")
            docs_dir = (root / str(config.get("docs_dir", "docs"))).resolve()
            mkdocs_yml = next((root / name for name in ("mkdocs.yml", "mkdocs.yaml") if (root / name).is_file()), None)
            return Host(config, mkdocs_yml, docs_dir, docs_dir / str(page.path))
    named = getattr(md, "docskit_page", None)
    owner = getattr(md, "docskit_build_owner", None)  # lets several bare Markdown instances share one build
    return Host(owner, None, None, Path(named).resolve() if named else None)


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, the way `check-snippets` prints paths."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


_current: Build | None = None


def build_for(host: Host, owner: object, options: dict[str, Any]) -> Build:
    """The build this page belongs to: the current one if the owner and options match, else a new one."""
    global _current
    key = json.dumps(options, sort_keys=True, default=str) + "|" + str(host.mkdocs_yml)
    if _current is not None and _current.owner is owner and _current.key == key:
        return _current
    config = config_from_extension(options, host.mkdocs_yml)
    if host.docs_dir is not None:
        config.docs_dir = host.docs_dir
    try:
        roots = build_roots(config)
    except ConfigError as exc:
        log_config_problem(str(exc))
        roots = Roots(config.docset_root)
    _current = Build(owner, key, config, roots, BuildResolver(roots))
    return _current


def forget_build(owner: object) -> None:
    global _current
    if _current is not None and _current.owner is owner:
        _current = None


def _defaults() -> dict[str, Any]:
    defaults = Options()
    return {f.name: getattr(defaults, f.name) for f in fields(Options)}


_VALID: set[str] = set()  # options already validated in this process (MkDocs makes 5 extensions per page)


def _validate(options: dict[str, Any]) -> None:
    key = json.dumps(options, sort_keys=True, default=str)
    if key not in _VALID:
        Options.from_mapping(options, EXTENSION_NAME)
        _VALID.add(key)


class OptionsExtension(Extension):
    """A Markdown extension configured by the toolkit's `Options` (declared once, in docskit.config)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {name: [value, f"docskit option `{name}`"] for name, value in _defaults().items()}
        _validate(kwargs)  # an unknown option is a one-line ConfigError
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        self.tracker = PageTracker.attach(md, self.getConfigs())


class PageTracker(Extension):
    """One per `Markdown` instance: starts each conversion by naming the page and its build."""

    BEGIN_PRIORITY = 40  # before every other preprocessor

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__()
        self.options = options
        self.md: Markdown | None = None
        self._page: Page | None = None

    @classmethod
    def attach(cls, md: Markdown, options: dict[str, Any]) -> PageTracker:
        found = getattr(md, "docskit_tracker", None)
        if isinstance(found, cls):
            return found
        tracker = cls(options)
        tracker.md = md
        md.docskit_tracker = tracker  # type: ignore[attr-defined]
        md.preprocessors.register(_BeginPage(md, tracker), "docskit-begin-page", cls.BEGIN_PRIORITY)
        md.registerExtension(tracker)  # so Markdown.reset() reaches reset()
        return tracker

    @property
    def page(self) -> Page:
        if self._page is None:  # a preprocessor run outside convert(); start now
            self.begin([])
        assert self._page is not None
        return self._page

    def begin(self, lines: list[str]) -> None:
        assert self.md is not None
        host = detect_host(self.md)
        owner = host.owner if host.owner is not None else self
        build = build_for(host, owner, self.options)
        on_disk = host.page is not None and host.page.is_file()
        if host.page is not None:
            path, display = host.page, display_path(host.page)
        else:
            path, display = Path.cwd() / BARE_PAGE_NAME, BARE_PAGE_NAME
        preview = bool(self.options.get("preview")) or os.environ.get(PREVIEW_ENV, "") not in ("", "0", "false", "no")
        self._page = Page(build, path, display, on_disk, preview)
        report_page(self._page, "\n".join(lines))

    def reset(self) -> None:
        forget_build(self)
        self._page = None


class _BeginPage(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        self.tracker.begin(lines)
        return lines
