"""`[!notebook-python[](path.ipynb?name=CELL)]` → a fenced code block with the cell DocFX would show.

A preprocessor at priority 27.5: after includes (31.5), so references that
arrive through `[!INCLUDE]` are seen, and before SuperFences stashes fences
(25), so the block it writes is an ordinary fence. As in DocFX, only a
reference alone on its line is rendered (inside a list item or blockquote, its
container's markers are repeated on every line of the block); references inside
fences are examples and stay literal.

The fence carries the Pygments lexer of the reference's language and a caption
naming the notebook and the cell, linked to the notebook when its root has a
`source_urls` template. A reference that cannot be resolved becomes a visible
one-line block saying so; the page's diagnostics (the linter's NBK codes,
logged by the page check) are what fail a strict build.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from docskit.languages import pygments_lexer
from docskit.learn.fences import find_fences
from docskit.learn.items import NotebookRef
from docskit.learn.notebooks import find_notebooks
from docskit.mdext.code_blocks import caption, fenced_block, guarded, not_shown
from docskit.mdext.context import OptionsExtension, Page, PageTracker
from docskit.snippets.notebooks import notebooks_for

PRIORITY = 27.5
NOT_SHOWN = "Notebook cell not shown"


class NotebookExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.preprocessors.register(NotebookPreprocessor(md, self.tracker), "docskit-notebook", PRIORITY)


class NotebookPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        candidates = [index for index, line in enumerate(lines) if "[!notebook-" in line.lower()]
        if not candidates:
            return lines
        _, fenced = find_fences(lines, set())
        page = self.tracker.page
        out = list(lines)
        for index in reversed(candidates):
            if index in fenced:
                continue
            refs = [ref for ref in find_notebooks(index + 1, lines[index]) if ref.alone]
            if refs:
                out[index : index + 1] = _rendered(page, refs[0])
        return out


def _rendered(page: Page, ref: NotebookRef) -> list[str]:
    return guarded(
        page,
        lambda: render_reference(page, ref),
        "notebook reference",
        ref.line,
        ref.column,
        ref.prefix,
        NOT_SHOWN,
        f"notebook cell `{ref.target}`",
    )


def render_reference(page: Page, ref: NotebookRef) -> list[str]:
    """The fenced block (as Markdown lines) that replaces one notebook reference line."""
    prefix = ref.prefix
    cell = notebooks_for(page.build.resolver).resolve(page.path, page.display, ref)
    if not cell.text:
        problem = next((d for d in cell.diagnostics if d.severity.value == "error"), None)
        reason = f"{problem.code} {problem.message}" if problem else "the cell is empty"
        return not_shown(prefix, NOT_SHOWN, f"notebook cell `{ref.target}` not shown: {reason}")
    shown = f"{cell.source_name} · {cell.cell.name}" if cell.cell is not None and cell.cell.name else cell.source_name
    return fenced_block(prefix, cell.text, [pygments_lexer(cell.language or "text"), caption(page, shown, cell.source)])


def makeExtension(**kwargs: Any) -> NotebookExtension:  # noqa: N802
    return NotebookExtension(**kwargs)
