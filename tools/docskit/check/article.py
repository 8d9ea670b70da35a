"""Checking one article: parse it, resolve what it shows, run the per-article rules.

`check_page` is what the site's Markdown extension calls for each page, and the
linter runs the same `check_article` for each article, so a defect gets the same
code and message in both. The site variant runs only the rules that need no
external program and no heavy import.
"""

from __future__ import annotations

import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from docskit.catalog import lookup
from docskit.check.context import ArticleContext, Snippet
from docskit.check.memo import RunMemo
from docskit.check.suppression import find_suppressions
from docskit.config import Config
from docskit.diagnostics import Diagnostic
from docskit.learn import parse_article
from docskit.snippets.resolver import Resolver


@dataclass
class ArticleResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    deps: set[Path] = field(default_factory=set)
    uses: set[tuple[Path, str]] = field(default_factory=set)
    included: list[Path] = field(default_factory=list)


def build_context(path: Path, display: str, text: str, config: Config, resolver: Resolver, memo: RunMemo,
                  *, exec_checks: bool = False, is_include: bool = False) -> ArticleContext:
    article = parse_article(display, text)
    memo.remember(path, article)
    ctx = ArticleContext(path, display, text, article, config, resolver, memo, exec_checks=exec_checks,
                         is_include=is_include)
    snippets: list[Snippet] = []
    for directive in article.code_directives:
        resolved = resolver.resolve(path, display, directive)
        language = (directive.language or resolved.language or "").lower()
        snippets.append(Snippet(language, resolved.text, directive.line, directive.column, resolved=resolved))
        if resolved.source is not None:
            ctx.deps.add(resolved.source.path)
            if resolved.region and resolved.file is not None and resolved.file.ok:
                ctx.uses.add((resolved.source.path, resolved.region))
                ctx.uses.add((resolved.source.path, "snippet" + resolved.region))
    for fence in article.fences:
        snippets.append(Snippet(fence.language.lower(), "\n".join(fence.body), fence.line, fence.column, fence=fence))
    snippets.sort(key=lambda s: (s.line, s.column))
    ctx.snippets = snippets
    return ctx


def run_rules(ctx: ArticleContext, codes: frozenset[str]) -> list[Diagnostic]:
    from docskit.rules import RULES

    found: list[Diagnostic] = []
    done: set[object] = set()
    for rule in RULES:
        if rule.check is None or rule.code not in codes or rule.check in done:
            continue
        done.add(rule.check)
        try:
            found.extend(d for d in rule.check(ctx) if d.code in codes or d.code == "CFG001")
        except Exception as exc:  # a rule bug must cost one file, not the run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            found.append(Diagnostic(ctx.display, 1, 1, "INT001",
                                    f"rule {rule.code} failed: {type(exc).__name__}: {exc} "
                                    f"(at {Path(where.filename).name}:{where.lineno})",
                                    lookup("INT001").severity, "please report this with the file"))
    suppressions = find_suppressions(ctx.article.lines)
    unique = sorted(set(found), key=lambda d: (d.path != ctx.display, d.path, d.line, d.column, d.code, d.message))
    if suppressions:
        unique = [d for d in unique if d.path != ctx.display or not suppressions.silences(d)]
    return unique


def check_article(path: Path, display: str, text: str, config: Config, resolver: Resolver, memo: RunMemo,
                  codes: frozenset[str], *, exec_checks: bool = False, is_include: bool = False) -> ArticleResult:
    ctx = build_context(path, display, text, config, resolver, memo, exec_checks=exec_checks, is_include=is_include)
    diagnostics = run_rules(ctx, codes)
    return ArticleResult(diagnostics, ctx.deps, ctx.uses, ctx.included)


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


_MEMOS: "weakref.WeakKeyDictionary[Resolver, RunMemo]" = weakref.WeakKeyDictionary()


def check_page(path: Path, display: str, text: str, config: Config, resolver: Resolver) -> list[Diagnostic]:
    """Per-article rules for one page, as the site build needs them: no external programs, no Azure SDK.

    `path` is the page's file (relative links and sources resolve from it),
    `display` how messages name it, `text` its Markdown. Files the page uses are
    read through `resolver`'s cache, so a build that checks many pages reads each
    source once. Configured severities and inline suppressions apply; codes
    switched `off` are dropped.
    """
    from docskit.rules import SITE_CODES

    memo = _MEMOS.get(resolver)
    if memo is None:
        memo = _MEMOS[resolver] = RunMemo(config, resolver.cache)
    result = check_article(Path(path), display, text, config, resolver, memo, SITE_CODES)
    return apply_severity(result.diagnostics, config)
