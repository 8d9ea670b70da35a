"""Checking one article: parse it, resolve what it shows, run the per-article rules.

`check_page` is what the site's Markdown extension calls for each page, and the
linter runs the same `check_article` for each article, so a defect gets the same
code and message in both. The site variant runs only the rules that need no
external program and no heavy import.

One file never ends a run: whatever fails while one file is parsed, resolved or
checked becomes one INT001 finding on that file (`internal_error`), at the line
of the directive being resolved when that is known, and the other files are
checked as ever.
"""

from __future__ import annotations

import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from docskit.analysis.context import ArticleContext, Snippet
from docskit.analysis.memo import RunMemo
from docskit.analysis.pending import Pending
from docskit.catalog import lookup
from docskit.check.suppression import find_suppressions
from docskit.config import Config
from docskit.diagnostics import Diagnostic
from docskit.learn import parse_article
from docskit.rules import RULES, SITE_CODES
from docskit.snippets.notebooks import notebooks_for
from docskit.snippets.resolver import Resolver


class Findings:
    """What the rules found in one article, with the findings still owed by background jobs."""

    def __init__(self, display: str, codes: frozenset[str], lines: list[str]) -> None:
        self.display = display
        self.codes = codes
        self.lines = lines  # the article's, for its suppression comments
        self.found: list[Diagnostic] = []
        self.waiting: list[tuple[str, Pending]] = []  # (rule code, pending findings)

    def add(self, code: str, produce: Callable[[], Iterable[Diagnostic | Pending]]) -> None:
        try:
            for item in produce():
                if isinstance(item, Pending):
                    self.waiting.append((code, item))
                elif item.code in self.codes or item.code == "CFG001":
                    self.found.append(item)
        except Exception as exc:  # noqa: BLE001 - a rule bug must cost one file, not the run
            self.found.append(internal_error(self.display, f"rule {code} failed", exc))

    def settle(self) -> list[Diagnostic]:
        """Every finding, pending ones collected (waiting for their jobs), unique, sorted, suppressions applied."""
        waiting, self.waiting = self.waiting, []
        for code, pending in waiting:
            self.add(code, pending.collect)
        try:
            suppressions = find_suppressions(self.lines)
        except Exception as exc:  # noqa: BLE001 - a bad suppression comment costs its own finding, not the file's others
            self.found.append(internal_error(self.display, "reading the suppression comments failed", exc))
            suppressions = None
        unique = sorted(
            set(self.found), key=lambda d: (d.path != self.display, d.path, d.line, d.column, d.code, d.message)
        )
        if suppressions:
            unique = [d for d in unique if d.path != self.display or not suppressions.silences(d)]
        return unique


MESSAGE_LIMIT = 300  # characters of an exception's text quoted in an INT001 message


def internal_error(display: str, what: str, exc: BaseException, line: int = 1, column: int = 1) -> Diagnostic:
    """The INT001 finding for a failure of the checker itself on one file: one line, the exception and where."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    text = " ".join(str(exc).split())
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + "…"
    return Diagnostic(
        display,
        max(1, line),
        max(1, column),
        "INT001",
        f"{what}: {type(exc).__name__}: {text}{where}",
        lookup("INT001").severity,
        "the file was not fully checked; the other files were. Please report this with the file",
    )


@dataclass
class ArticleResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    deps: set[Path] = field(default_factory=set)
    uses: set[tuple[Path, str]] = field(default_factory=set)
    included: list[Path] = field(default_factory=list)
    findings: Findings | None = None  # set while background jobs still owe findings

    def settle(self) -> None:
        """Collect what background jobs owe this result; `diagnostics` is complete afterwards."""
        if self.findings is not None:
            findings, self.findings = self.findings, None
            try:
                self.diagnostics = findings.settle()
            except Exception as exc:  # noqa: BLE001 - a background job's failure becomes this file's INT001
                self.diagnostics = [
                    *findings.found,
                    internal_error(findings.display, "collecting the findings failed", exc),
                ]


def contained(display: str, check: Callable[[], ArticleResult]) -> ArticleResult:
    """`check()` for one file; an exception it raises is that file's INT001, never the end of the run."""
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - any failure of one file is that file's INT001, never the end of the run
        return ArticleResult([internal_error(display, "checking this file failed", exc)])


def build_context(
    path: Path,
    display: str,
    text: str,
    config: Config,
    resolver: Resolver,
    memo: RunMemo,
    failures: list[Diagnostic],
    *,
    exec_checks: bool = False,
    is_include: bool = False,
) -> ArticleContext:
    """Parse the article and resolve what it shows; a directive that fails to resolve adds to `failures`."""
    article = parse_article(display, text, config.yaml_budget)
    memo.remember(path, article)
    ctx = ArticleContext(
        path, display, text, article, config, resolver, memo, exec_checks=exec_checks, is_include=is_include
    )
    snippets: list[Snippet] = []
    for directive in article.code_directives:
        try:
            resolved = resolver.resolve(path, display, directive)
        except Exception as exc:  # noqa: BLE001 - the other directives of the page are still resolved and checked
            failures.append(
                internal_error(display, "resolving this `:::code` failed", exc, directive.line, directive.column)
            )
            continue
        language = (directive.language or resolved.language or "").lower()
        snippets.append(Snippet(language, resolved.text, directive.line, directive.column, resolved=resolved))
        if resolved.source is not None:
            ctx.deps.add(resolved.source.path)
            if resolved.region and resolved.file is not None and resolved.file.ok:
                ctx.uses.add((resolved.source.path, resolved.region))
                ctx.uses.add((resolved.source.path, "snippet" + resolved.region))
    for fence in article.fences:
        snippets.append(Snippet(fence.language.lower(), "\n".join(fence.body), fence.line, fence.column, fence=fence))
    notebooks = notebooks_for(resolver)
    for ref in article.notebooks:
        try:
            cell = notebooks.resolve(path, display, ref)
        except Exception as exc:  # noqa: BLE001 - one notebook reference that fails costs only itself
            failures.append(
                internal_error(display, "resolving this notebook reference failed", exc, ref.line, ref.column)
            )
            continue
        snippets.append(Snippet(cell.language, cell.text, ref.line, ref.column, cell=cell))
        if cell.source is not None:
            ctx.deps.add(cell.source.path)
    snippets.sort(key=lambda s: (s.line, s.column))
    ctx.snippets = snippets
    return ctx


def run_rules(ctx: ArticleContext, codes: frozenset[str]) -> Findings:
    findings = Findings(ctx.display, codes, ctx.article.lines)
    done: set[object] = set()
    for rule in RULES:
        if rule.check is None or rule.code not in codes or rule.check in done:
            continue
        done.add(rule.check)
        findings.add(rule.code, partial(rule.check, ctx))
    return findings


def check_article(
    path: Path,
    display: str,
    text: str,
    config: Config,
    resolver: Resolver,
    memo: RunMemo,
    codes: frozenset[str],
    *,
    exec_checks: bool = False,
    is_include: bool = False,
    defer: bool = False,
) -> ArticleResult:
    """The article's findings; with `defer`, those owed by background jobs wait for `ArticleResult.settle`.

    Never raises: a failure is the article's INT001 (see `contained`).
    """
    return contained(
        display,
        partial(_check_article, path, display, text, config, resolver, memo, codes, exec_checks, is_include, defer),
    )


def _check_article(
    path: Path,
    display: str,
    text: str,
    config: Config,
    resolver: Resolver,
    memo: RunMemo,
    codes: frozenset[str],
    exec_checks: bool,
    is_include: bool,
    defer: bool,
) -> ArticleResult:
    failures: list[Diagnostic] = []
    ctx = build_context(
        path, display, text, config, resolver, memo, failures, exec_checks=exec_checks, is_include=is_include
    )
    findings = run_rules(ctx, codes)
    findings.found.extend(failures)
    if findings.waiting and defer:
        return ArticleResult([], ctx.deps, ctx.uses, ctx.included, findings)
    return ArticleResult(findings.settle(), ctx.deps, ctx.uses, ctx.included)


def apply_severity(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Configured severities (`severity:` option); a code set to `off` disappears."""
    if not config.options.severity:
        return diagnostics
    out = []
    for diagnostic in diagnostics:
        level = config.severity_for(diagnostic.code, diagnostic.severity)
        if level is not None:
            out.append(diagnostic if level == diagnostic.severity else diagnostic.with_severity(level))
    return out


_MEMOS: weakref.WeakKeyDictionary[Resolver, RunMemo] = weakref.WeakKeyDictionary()


def check_page(path: Path, display: str, text: str, config: Config, resolver: Resolver) -> list[Diagnostic]:
    """Per-article rules for one page and the files it includes, as the site build needs them.

    No external programs, no Azure SDK. `path` is the page's file (relative links
    and sources resolve from it), `display` how messages name it, `text` its
    Markdown. Include files are checked as check-snippets checks them (each
    once, named relative to the working directory), because a site never builds
    them as pages of their own. Files are read through `resolver`'s cache, so a
    build that checks many pages reads each source once. Configured severities
    and inline suppressions apply; codes switched `off` are dropped.
    """
    memo = _MEMOS.get(resolver)
    if memo is None:
        memo = _MEMOS[resolver] = RunMemo(config, resolver.cache)
    result = check_article(Path(path), display, text, config, resolver, memo, SITE_CODES)
    found = list(result.diagnostics)
    seen = {Path(path)}
    pending = deque(result.included)  # a worklist, not recursion: include chains are as deep as a page makes them
    while pending:
        include = pending.popleft()
        if include in seen:
            continue
        seen.add(include)
        included = contained(memo.display(include), partial(_check_include, include, config, resolver, memo))
        found.extend(included.diagnostics)
        pending.extend(included.included)
    return apply_severity(found, config)


def _check_include(include: Path, config: Config, resolver: Resolver, memo: RunMemo) -> ArticleResult:
    file = resolver.cache.get(include)
    if not file.ok:
        return ArticleResult()  # the page's own findings already say the include cannot be read
    return check_article(include, memo.display(include), file.text, config, resolver, memo, SITE_CODES, is_include=True)
