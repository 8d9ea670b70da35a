"""The paths through a Learn article: one per tab id, each a list of steps in reading order.

A tab group (`# [Azure CLI](#tab/cli)` … `---`) offers the reader one tab at a
time; a reader of the CLI tab reads the untabbed text and the CLI tabs, top to
bottom. That is a path. The tabs come from the parser's own tab model
(`Article.tab_groups`), never from re-reading the Markdown.

A step is one runnable snippet (a `:::code` directive or a notebook cell
reference, resolved exactly as the site shows them, or a fenced block) with the
`output` block that follows it, if any. Nothing runs here: this module only says
what a path holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docskit.diagnostics import Diagnostic
from docskit.languages import SHELL_LANGUAGES
from docskit.learn import Article
from docskit.learn.items import Heading
from docskit.snippets import Resolver
from docskit.snippets.notebooks import notebooks_for
from docskit.snippets.roots import ResolvedPath

PYTHON_LANGUAGES = frozenset({"python", "py", "python3"})
OUTPUT_LANGUAGES = frozenset({"output", "console-output"})
SHARED = "article"  # the name of the one path of an article without tabs


@dataclass(frozen=True)
class Step:
    line: int
    heading: str  # the heading the step stands under ("" before the first)
    runner: str  # "shell" | "python"
    code: str
    source_root: str | None = None  # the root a `:::code` source lies in ("" for the docset)
    source_folder: str | None = None  # the source's folder below that root, "/" separators
    expected: str | None = None  # the `output` block that follows
    expected_line: int = 0
    cleanup: bool = False  # under the clean-up heading: runs even after a failure
    problem: str | None = None  # why the step cannot run (an unresolvable snippet)
    cell: str | None = None  # the notebook cell's name, for a `[!notebook-python[]…]` step (IPython syntax allowed)

    @property
    def name(self) -> str:
        return f"{self.heading or 'start'} (line {self.line})"


@dataclass
class TutorialPath:
    tab: str  # the tab id, or SHARED
    title: str
    steps: list[Step] = field(default_factory=list)


def _in_tab(article: Article, line: int) -> str | None:
    """The tab id whose content holds `line`, or None for untabbed text."""
    for group in article.tab_groups:
        if group.line <= line <= group.end_line:
            inside = [tab for tab in group.tabs if tab.line <= line]
            return inside[-1].tab_id if inside else None
    return None


def _heading_at(headings: list[Heading], line: int) -> Heading | None:
    above = [h for h in headings if h.line < line]
    return above[-1] if above else None


def _under_cleanup(headings: list[Heading], line: int, cleanup_heading: str) -> bool:
    wanted = cleanup_heading.strip().lower()
    section: Heading | None = None
    for heading in headings:
        if heading.line >= line:
            break
        if section is not None and heading.level <= section.level:
            section = None
        if heading.text.strip().lower() == wanted:
            section = heading
    return section is not None


def _runner(language: str) -> str | None:
    language = language.lower()
    if language in SHELL_LANGUAGES:
        return "shell"
    if language in PYTHON_LANGUAGES:
        return "python"
    return None


_CONSOLE_PROMPT = re.compile(r"^\s*\$ ")


def tutorial_paths(
    article: Article, article_path: Path, resolver: Resolver, cleanup_heading: str = "Clean up resources"
) -> list[TutorialPath]:
    """Every path of `article`: one per tab id (in order of first appearance), or one shared path."""
    tab_titles: dict[str, str] = {}
    for group in article.tab_groups:
        for tab in group.tabs:
            tab_titles.setdefault(tab.tab_id, tab.title)
    paths = [TutorialPath(tab, title) for tab, title in tab_titles.items()] or [TutorialPath(SHARED, "the article")]

    # Code items in reading order: (line, kind, payload)
    items: list[tuple[int, str, object]] = [(d.line, "directive", d) for d in article.code_directives]
    items += [(f.line, "fence", f) for f in article.fences]
    items += [(n.line, "notebook", n) for n in article.notebooks if n.alone]  # in a paragraph, DocFX shows text
    items.sort(key=lambda item: item[0])

    for path in paths:
        last_code: int | None = None  # index into path.steps of the step an output block would belong to
        last_was_runnable = False
        for line, kind, payload in items:
            tab = _in_tab(article, line)
            if tab is not None and tab != path.tab:
                continue
            heading = _heading_at(article.headings, line)
            common = {
                "line": line,
                "heading": heading.text if heading else "",
                "cleanup": _under_cleanup(article.headings, line, cleanup_heading),
            }
            if kind == "fence":
                fence = payload
                language = fence.language.lower()  # type: ignore[attr-defined]
                if language in OUTPUT_LANGUAGES:
                    if last_was_runnable and last_code is not None and path.steps[last_code].expected is None:
                        step = path.steps[last_code]
                        path.steps[last_code] = Step(
                            **{
                                **step.__dict__,
                                "expected": "\n".join(fence.body),  # type: ignore[attr-defined]
                                "expected_line": line,
                            }
                        )
                    continue
                runner = _runner(language)
                body = "\n".join(fence.body)  # type: ignore[attr-defined]
                if runner is None or _CONSOLE_PROMPT.match(body):  # a console transcript is shown, not run
                    last_was_runnable = False
                    continue
                path.steps.append(Step(runner=runner, code=body, **common))  # type: ignore[arg-type]
            elif kind == "notebook":
                ref = payload
                if _runner(ref.language) is None:  # type: ignore[attr-defined]
                    last_was_runnable = False
                    continue
                cell = notebooks_for(resolver).resolve(article_path, article.path, ref)  # type: ignore[arg-type]
                path.steps.append(
                    _resolved_step(
                        "python", cell.text, cell.diagnostics, cell.source, cell=ref.cell_name or "", **common
                    )
                )  # type: ignore[attr-defined,arg-type]
            else:
                directive = payload
                runner = _runner(directive.language or "")  # type: ignore[attr-defined]
                if runner is None:
                    last_was_runnable = False
                    continue
                snippet = resolver.resolve(article_path, article.path, directive)  # type: ignore[arg-type]
                path.steps.append(_resolved_step(runner, snippet.text, snippet.diagnostics, snippet.source, **common))  # type: ignore[arg-type]
            last_code = len(path.steps) - 1
            last_was_runnable = True
    return paths


def _resolved_step(
    runner: str, text: str, diagnostics: list[Diagnostic], source: ResolvedPath | None, **common: Any
) -> Step:
    """The step of a resolved `:::code` or notebook cell; a `problem` when it shows nothing runnable."""
    errors = [d for d in diagnostics if d.severity.value == "error"]
    if errors or not text:
        return Step(
            runner=runner,
            code="",
            problem="; ".join(d.format_text() for d in errors) or "the snippet is empty",
            **common,
        )
    folder = source.relative.rpartition("/")[0] if source else None
    return Step(
        runner=runner, code=text, source_root=source.root_name if source else None, source_folder=folder, **common
    )
