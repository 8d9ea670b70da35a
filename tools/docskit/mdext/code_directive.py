"""`:::code` → a fenced code block with the snippet DocFX would show.

A preprocessor at priority 28: after whitespace normalisation (30) and snippet
expansion (32), so directives that arrive through includes or `--8<--` are
seen, and before SuperFences stashes fences (25), so the block it writes is an
ordinary fence. Directives inside fences are examples, and directives inside
HTML comments are never published: both are left alone (the parser masks them). The directive's own indentation and blockquote markers
are repeated on every line it produces, so a directive works inside content
tabs, list items and callouts.

The fence carries the Pygments lexer for the Learn language, `hl_lines` from
`highlight` (both count from the first displayed line), and a `title` caption
naming the source file, linked to it when the root has a `source_urls`
template. A directive that cannot be resolved becomes a visible one-line block
saying so; the page's diagnostics (logged separately, with the linter's codes)
are what fail a strict build.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from docskit.languages import pygments_lexer
from docskit.learn import html_comments
from docskit.learn.code_directive import parse_code_directive
from docskit.learn.items import CodeDirective
from docskit.mdext.code_blocks import caption, fenced_block, guarded, not_shown
from docskit.mdext.context import OptionsExtension, Page, PageTracker

PRIORITY = 28
NOT_SHOWN = "Snippet not shown"


class CodeDirectiveExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.preprocessors.register(CodeDirectivePreprocessor(md, self.tracker), "docskit-code", PRIORITY)


class CodeDirectivePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        candidates = [index for index, line in enumerate(lines) if ":::" in line]
        if not candidates:
            return lines
        masks = html_comments.mask(lines, set())  # a directive in a fence is an example; in a comment, unpublished
        page = self.tracker.page
        out = list(lines)
        for index in reversed(candidates):
            if index in masks.fenced or index in masks.commented:
                continue
            directive, _ = parse_code_directive(page.display, index + 1, masks.uncommented[index])
            if directive is not None:
                out[index : index + 1] = _rendered(page, directive)
        return out


def _rendered(page: Page, directive: CodeDirective) -> list[str]:
    return guarded(
        page,
        lambda: render_directive(page, directive),
        "`:::code`",
        directive.line,
        directive.column,
        directive.prefix,
        NOT_SHOWN,
        f"snippet `{directive.source}`",
    )


def render_directive(page: Page, directive: CodeDirective) -> list[str]:
    """The fenced block (as Markdown lines) that replaces one directive line."""
    prefix = directive.prefix
    if not directive.source:
        return not_shown(prefix, NOT_SHOWN, "`:::code` without a `source`")
    snippet = page.build.resolver.shown(page.path, page.display, directive)
    if not snippet.text:
        problem = next((d for d in snippet.diagnostics if d.severity.value == "error"), None)
        reason = f"{problem.code} {problem.message}" if problem else "the snippet is empty"
        return not_shown(prefix, NOT_SHOWN, f"snippet `{directive.source}` not shown: {reason}")
    info = [pygments_lexer(snippet.language or directive.language or "text")]
    if snippet.highlight:
        info.append(f'hl_lines="{_spans(snippet.highlight)}"')
    if snippet.source is not None:
        info.append(caption(page, snippet.source.relative or snippet.source.path.name, snippet.source))
    return fenced_block(prefix, snippet.text, info)


def _spans(lines: list[int]) -> str:
    """[2, 3, 4, 7] → "2-4 7" (the form `hl_lines` accepts)."""
    parts: list[str] = []
    start = prev = lines[0]
    for line in lines[1:] + [None]:  # type: ignore[list-item]
        if line is not None and line == prev + 1:
            prev = line
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if line is not None:
            start = prev = line
    return " ".join(parts)


def makeExtension(**kwargs: Any) -> CodeDirectiveExtension:  # noqa: N802
    return CodeDirectiveExtension(**kwargs)
