"""Shell that bash cannot parse (`bash -n`), mapped back to the article line.

A snippet from a script is checked as the whole script, as CI runs it, and a
syntax error is reported at every directive that shows the broken line; a fenced
block is checked on its own. Scripts are checked in batches, in the background,
and results are cached by content, so a warm run starts no process.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.check.context import ArticleContext, Snippet
from docskit.check.pending import Pending
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def units(ctx: ArticleContext) -> Iterable[tuple[Snippet, str, bool]]:
    """(snippet, text to check, whether the text is the whole source file)."""
    for snippet in ctx.snippets:
        if not snippet.is_shell:
            continue
        if snippet.resolved is not None:
            file = snippet.resolved.file
            if file is not None and file.ok and snippet.text:
                yield snippet, file.text, True
        elif snippet.text.strip():
            yield snippet, snippet.text, False


def findings(ctx: ArticleContext, tool: str, code: str) -> Iterable[Diagnostic | Pending]:
    if not ctx.exec_checks:
        return
    work = list(units(ctx))
    shell = ctx.memo.shell
    if all(shell.ready(text) for _, text, _ in work):
        yield from _report(ctx, tool, code, work)
        return
    shell.request([text for _, text, _ in work])
    yield Pending(lambda: _report(ctx, tool, code, work))


def _report(ctx: ArticleContext, tool: str, code: str, work: list[tuple[Snippet, str, bool]]) -> Iterable[Diagnostic]:
    reported: set[tuple[str, int, str]] = set()
    for snippet, text, whole_file in work:
        for finding in ctx.memo.shell.results(text):
            if finding.tool != tool:
                continue
            label = f"{finding.code}: " if finding.code else ""
            if whole_file:
                lines = snippet.resolved.source_lines
                if finding.line not in lines:
                    continue
                key = (snippet.source_name, finding.line, finding.message)
                if key in reported:
                    continue
                reported.add(key)
                yield ctx.diag(snippet.line, snippet.column, code, f"{label}{finding.message} "
                               f"({snippet.source_name}:{finding.line}:{finding.column})")
            else:
                line, column = snippet.article_position(finding.line - 1, finding.column - 1)
                yield ctx.diag(line, column, code, f"{label}{finding.message}")


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return findings(ctx, "bash", "SH001")


RULES = (
    Rule("SH001", check,
         {"docs/article.md": "# Wait\n\n```bash\nif [ -z \"$STATUS\" ]; then\n  echo waiting\n```\n"},
         {"docs/article.md": "# Wait\n\n```bash\nif [ -z \"$STATUS\" ]; then\n  echo waiting\nfi\n```\n"},
         site=False, external=True),
)
