"""What a per-article rule sees: the parsed article, the code it shows, and shared services.

Every snippet of an article, whether a `:::code` directive (resolved the way
DocFX resolves it) or a fenced block written in the article, becomes one
`Snippet`, so content rules (YAML, shell, duplicates) are written once. A
snippet knows where each of its lines sits: in the article, and in the source
file when it came from one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath

from docskit.analysis.memo import RunMemo
from docskit.catalog import lookup
from docskit.config import Config
from docskit.diagnostics import Diagnostic
from docskit.languages import SHELL_LANGUAGES
from docskit.learn.items import Article, CodeDirective, Fence
from docskit.snippets.notebooks import ResolvedCell
from docskit.snippets.resolver import ResolvedSnippet, Resolver
from docskit.yaml_budget import YamlDocument

YAML_LANGUAGES = frozenset({"yaml", "yml"})


@dataclass
class Snippet:
    """Code an article shows, with a way back from each shown line to the article.

    What it is (shell, YAML, from which file) is worked out once: every content rule asks.
    """

    language: str  # lower-cased Learn language ("" when unknown)
    text: str
    line: int  # article line of the directive, or of the opening fence
    column: int
    resolved: ResolvedSnippet | None = None  # set for `:::code`
    fence: Fence | None = None  # set for fenced blocks
    cell: ResolvedCell | None = None  # set for notebook references
    source_path: Path | None = field(init=False, default=None)  # the file shown, when it could be read
    is_shell: bool = field(init=False, default=False)
    is_yaml: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        resolved = self.resolved
        if resolved and resolved.source and resolved.file and resolved.file.ok:
            self.source_path = resolved.source.path
        suffix = PurePath(self.source_path).suffix if self.source_path is not None else ""
        self.is_shell = self.language in SHELL_LANGUAGES or suffix in (".sh", ".bash")
        self.is_yaml = suffix in (".yml", ".yaml") if self.source_path is not None else self.language in YAML_LANGUAGES

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    @property
    def directive(self) -> CodeDirective | None:
        return self.resolved.directive if self.resolved else None

    @property
    def source_name(self) -> str:
        return self.resolved.source.relative if self.resolved and self.resolved.source else ""

    @property
    def cwd(self) -> Path | None:
        """The folder commands of this snippet run in: the script's own folder (as CI runs them)."""
        path = self.source_path
        return path.parent if path else None

    def article_position(self, index: int, column: int = 0) -> tuple[int, int]:
        """Article line and column of shown line `index` (0-based): the directive for `:::code`."""
        if self.fence is not None:
            return self.fence.line + 1 + index, self.fence.column + column
        return self.line, self.column

    def source_line(self, index: int) -> int | None:
        if self.resolved and 0 <= index < len(self.resolved.source_lines):
            return self.resolved.source_lines[index]
        return None

    def where(self, index: int | None = None, column: int | None = None) -> str:
        """` (file:line)` for a line of a `:::code` snippet, the cell's line for a notebook cell; "" for a fenced block."""
        if self.cell is not None:
            return self.cell.where(index, column)
        if self.resolved is None or not self.source_name:
            return ""
        line = self.source_line(index) if index is not None else None
        if line is None:
            return f" ({self.source_name})"
        return f" ({self.source_name}:{line}" + (f":{column + 1}" if column is not None else "") + ")"


@dataclass
class ArticleContext:
    path: Path  # absolute
    display: str  # how reports name it
    text: str
    article: Article
    config: Config
    resolver: Resolver
    memo: RunMemo
    snippets: list[Snippet] = field(default_factory=list)
    exec_checks: bool = False
    deps: set[Path] = field(default_factory=set)  # files whose content or existence the result depends on
    uses: set[tuple[Path, str]] = field(default_factory=set)  # (source path, region) shown by the article
    is_include: bool = False  # checked as an include file, not as an article of its own
    included: list[Path] = field(default_factory=list)  # include files found (to be checked too)

    @property
    def directive_snippets(self) -> list[Snippet]:
        return [s for s in self.snippets if s.resolved is not None]

    def diag(
        self, line: int, column: int, code: str, message: str, hint: str | None = None, path: str | None = None
    ) -> Diagnostic:
        return Diagnostic(path or self.display, line, column, code, message, lookup(code).severity, hint)

    def at_snippet(
        self, snippet: Snippet, index: int, code: str, message: str, hint: str | None = None, column: int = 0
    ) -> Diagnostic:
        line, col = snippet.article_position(index, column)
        return self.diag(line, col, code, message + snippet.where(index), hint)

    def yaml_sources(self) -> list[tuple[Snippet, Path, YamlDocument]]:
        """Each YAML source file shown by the article once: (first directive showing it, path, document)."""
        seen: set[Path] = set()
        found = []
        for snippet in self.directive_snippets:
            path = snippet.source_path
            if path is None or path in seen or not snippet.is_yaml:
                continue
            seen.add(path)
            document = self.memo.yaml_of(path)
            if document is not None:
                found.append((snippet, path, document))
        return found


def resolver_diagnostics(ctx: ArticleContext, codes: frozenset[str]) -> list[Diagnostic]:
    """The resolver's own findings for the article's directives, limited to `codes`."""
    found: list[Diagnostic] = []
    for snippet in ctx.directive_snippets:
        found.extend(d for d in snippet.resolved.diagnostics if d.code in codes)
    return found
