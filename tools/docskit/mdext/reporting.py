"""Report a page's problems on the `mkdocs` logger, so `mkdocs build --strict` fails on them.

The findings are the linter's own: `docskit.check.check_page` runs on the page
file as written (front matter included, so line numbers match the editor), and
each finding is logged as one `path:line:col: CODE severity message` line, the
same text `check-snippets` prints. Nothing is raised: every problem of every page
is logged and MkDocs counts them, so one build lists all of them.

Before `docskit.check` existed the extension reported what the parser and the
resolver find; that path stays as the fallback for an installation without it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic, Severity
from docskit.learn import parse_article
from docskit.snippets.roots import Refusal
from docskit.sourcefile import read_source_file

if TYPE_CHECKING:
    from docskit.mdext.context import Build, Page

LOG = logging.getLogger("mkdocs.plugins.docskit")  # the `mkdocs` hierarchy is what --strict counts
REVIEW_CODES = ("TXT001", "TXT002")  # review marks: errors in a strict build, notes in a preview build


def report_page(page: "Page", converted_text: str) -> list[Diagnostic]:
    """Log every finding of the page; returns what was logged (for tests and callers)."""
    text = converted_text
    if page.on_disk:
        file = read_source_file(page.path)
        if file.problem is None:
            text = file.text
    build = page.build
    logged = []
    for diagnostic in page_diagnostics(page.path, page.display, text, build):
        if diagnostic.path != page.display:  # an include file shared by several pages: once per build
            if diagnostic in build.reported:
                continue
            build.reported.add(diagnostic)
        if page.preview and diagnostic.code in REVIEW_CODES:
            LOG.info("%s (shown as a review mark in this preview build)", diagnostic.format_text())
        elif diagnostic.severity is Severity.INFO:
            LOG.info("%s", diagnostic.format_text())
        else:
            LOG.warning("%s", diagnostic.format_text())
        logged.append(diagnostic)
    return logged


def log_config_problem(message: str) -> None:
    LOG.error("%s", message)


def page_diagnostics(path: Path, display: str, text: str, build: "Build") -> list[Diagnostic]:
    check_page = _linter_check_page()
    if check_page is not None:
        return list(check_page(path, display, text, build.config, build.resolver))
    return _parser_and_resolver_findings(path, display, text, build, (path.resolve(),))


def _linter_check_page():  # type: ignore[no-untyped-def]
    try:
        from docskit.check import check_page
    except ImportError:
        return None
    return check_page


_PLACEHOLDER = r"(?<![\w-])({words})(?![\w-])"


def _parser_and_resolver_findings(path: Path, display: str, text: str, build: "Build",
                                  stack: tuple[Path, ...]) -> list[Diagnostic]:
    """Directive syntax, snippet resolution, review marks and includes, without the linter's other rules."""
    article = parse_article(display, text)
    found: list[Diagnostic] = list(article.syntax_problems)
    for directive in article.code_directives:
        if directive.source:
            found.extend(build.resolver.resolve(path, display, directive).diagnostics)
    for mark in article.critic_marks:
        found.append(_make(display, mark.line, mark.column, "TXT002", f"CriticMarkup {mark.kind} left in: `{mark.text[:60]}`"))
    words = "|".join(re.escape(w) for w in build.config.options.placeholder_words) or "(?!)"
    placeholder = re.compile(_PLACEHOLDER.format(words=words), re.IGNORECASE)
    for line_no, prose in article.prose_lines:
        for match in placeholder.finditer(prose):
            found.append(_make(display, line_no, match.start() + 1, "TXT001", f"placeholder `{match.group(0)}` left in"))
    for include in article.includes:
        located = build.roots.resolve(path, include.target)
        where = (display, include.line, include.target_column)
        if isinstance(located, Refusal) or not located.path.is_file():
            found.append(_make(*where, "INC001", f"include file `{include.target}` does not exist"))
        elif located.path in stack:
            found.append(_make(*where, "INC002", f"including `{include.target}` closes a cycle"))
        elif len(stack) > build.config.options.max_include_depth:
            found.append(_make(*where, "INC003", f"`{include.target}` is nested {len(stack)} includes deep"))
        else:
            file = read_source_file(located.path)
            if file.problem is None:
                from docskit.mdext.context import display_path

                found.extend(_parser_and_resolver_findings(located.path, display_path(located.path), file.text, build,
                                                           (*stack, located.path)))
    severities = [(d, build.config.severity_for(d.code, d.severity)) for d in found]
    return sorted(d.with_severity(s) for d, s in severities if s is not None)


def _make(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, lookup(code).severity)
