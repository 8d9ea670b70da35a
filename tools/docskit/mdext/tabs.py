"""Learn tab groups → `pymdownx.tabbed` content tabs (alternate style).

Learn writes a tab as a heading `# [Azure CLI](#tab/cli)`; consecutive tab
headings form a group that a `---` line closes. Each heading becomes
`=== "Azure CLI"` and the lines up to the next tab heading are indented four
spaces beneath it; the closing `---` is dropped (left in, it would be a rule or
turn the line above into a heading). Tabs with the same title switch together
across the page when Material's `content.tabs.link` feature is on, which is how
Learn keeps the same `tab-id` in step (Learn writers give one id one title).

Runs at priority 29, after includes, before `:::code` (28), which keeps the
indentation this step adds.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from docskit.learn.fences import find_fences
from docskit.learn.items import TabGroup
from docskit.learn.tabs import group_tabs
from docskit.mdext.context import OptionsExtension, PageTracker

PRIORITY = 29
INDENT = "    "


class TabsExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.preprocessors.register(TabsPreprocessor(md, self.tracker), "docskit-tabs", PRIORITY)


class TabsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        if not any("#tab/" in line for line in lines):
            return lines
        return convert_tab_groups(lines)


def convert_tab_groups(lines: list[str]) -> list[str]:
    """Rewrite every Learn tab group of `lines` into `pymdownx.tabbed` syntax."""
    _, fenced = find_fences(lines, set())
    out = list(lines)
    for group in reversed(group_tabs(lines, fenced, 0)):
        out[group.line - 1 : group.end_line] = _convert_group(group, lines)
    return out


def _convert_group(group: TabGroup, lines: list[str]) -> list[str]:
    heads = {tab.line: tab for tab in group.tabs}
    first = lines[group.line - 1]
    base = first[: len(first) - len(first.lstrip())]  # a group indented inside a list keeps that indentation
    last = group.end_line if not group.closed else group.end_line - 1  # the `---` line is not content
    converted: list[str] = []
    for line_no in range(group.line, last + 1):
        tab = heads.get(line_no)
        line = lines[line_no - 1]
        if tab is not None:
            title = tab.title.replace('"', "'")
            # `===!` starts a new set: without it, a group right after another joins it (one set of four tabs).
            marker = "===!" if tab is group.tabs[0] else "==="
            converted += ["", f'{base}{marker} "{title}"', ""]
        elif not line.strip():
            converted.append("")
        else:
            inner = line[len(base) :] if line.startswith(base) else line.lstrip()
            converted.append(base + INDENT + inner)
    converted.append("")
    return converted


def makeExtension(**kwargs: Any) -> TabsExtension:  # noqa: N802
    return TabsExtension(**kwargs)
