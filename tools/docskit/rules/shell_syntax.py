"""Shell that bash cannot parse (`bash -n`), mapped back to the article line.

A snippet from a script is checked as the whole script, as CI runs it, and a
syntax error is reported at every directive that shows the broken line; a fenced
block is checked on its own. An `if` never closed makes bash fail at the end of
the file, a line no directive shows: that error is reported at the directive
showing the line where the unclosed construct begins. Scripts are checked in batches, in the background,
and results are cached by content, so a warm run starts no process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from docskit.analysis.commands import shell_words
from docskit.analysis.context import ArticleContext, Snippet
from docskit.analysis.pending import Pending
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
                    if not (tool == "bash" and _END_OF_FILE in finding.message and _opens_unclosed(snippet, text)):
                        continue
                    finding = replace(finding, line=unclosed_opener(text) or finding.line)
                key = (snippet.source_name, finding.line, finding.message)
                if key in reported:
                    continue
                reported.add(key)
                yield ctx.diag(
                    snippet.line,
                    snippet.column,
                    code,
                    f"{label}{finding.message} ({snippet.source_name}:{finding.line}:{finding.column})",
                )
            else:
                line, column = snippet.article_position(finding.line - 1, finding.column - 1)
                yield ctx.diag(line, column, code, f"{label}{finding.message}")


_END_OF_FILE = "unexpected end of file"
_OPENERS = {"if": "fi", "case": "esac", "do": "done", "{": "}"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
_COMMAND_START = frozenset({";", "&&", "||", "|", "&", "then", "do", "else", "elif", "{", "(", "!"})


def unclosed_opener(text: str) -> int | None:
    """The 1-based line of the outermost `if`/`case`/`do`/`{` never closed, read word by word.

    bash says only "unexpected end of file" at the script's last line; this finds
    where the construct it is still waiting to close begins.
    """
    stack: list[tuple[str, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            words = shell_words(line, ";&|()")
        except ValueError:
            continue
        at_start = True
        for word in words:
            if at_start and word in _OPENERS:
                stack.append((word, number))
            elif at_start and word in _CLOSERS:
                while stack and stack[-1][0] != _CLOSERS[word]:
                    stack.pop()
                if stack:
                    stack.pop()
            at_start = word in _COMMAND_START or word in _CLOSERS or word in _OPENERS
    return stack[0][1] if stack else None


def _opens_unclosed(snippet: Snippet, text: str) -> bool:
    """Whether `snippet` shows the line where the script's unclosed construct begins."""
    line = unclosed_opener(text)
    return line is not None and line in snippet.resolved.source_lines


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return findings(ctx, "bash", "SH001")


RULES = (
    Rule(
        "SH001",
        check,
        {"docs/article.md": '# Wait\n\n```bash\nif [ -z "$STATUS" ]; then\n  echo waiting\n```\n'},
        {"docs/article.md": '# Wait\n\n```bash\nif [ -z "$STATUS" ]; then\n  echo waiting\nfi\n```\n'},
        site=False,
        external=True,
    ),
)
