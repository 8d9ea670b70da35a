"""Learn tab groups: consecutive `# [Title](#tab/id)` headings, closed by a `---` line."""

from __future__ import annotations

import re

from docskit.learn.items import Tab, TabGroup

_TAB = re.compile(r"^\s*#{1,6}\s*\[(?P<title>[^\]]+)\]\(#tab/(?P<id>[^)\s]+)\)\s*$")
_CLOSE = re.compile(r"^\s*---\s*$")


def tab_heading(line_no: int, line: str) -> Tab | None:
    if "#tab/" not in line:
        return None
    match = _TAB.match(line)
    if match:
        return Tab(line_no, line.index("[") + 1, match.group("title"), match.group("id"))
    return None


def group_tabs(lines: list[str], masked: set[int], first_content_line: int) -> list[TabGroup]:
    groups: list[TabGroup] = []
    current: list[Tab] = []
    for index in range(first_content_line, len(lines)):
        if index in masked:
            continue
        tab = tab_heading(index + 1, lines[index])
        if tab:
            current.append(tab)
        elif current and _CLOSE.match(lines[index]):
            groups.append(TabGroup(current[0].line, index + 1, tuple(current), True))
            current = []
    if current:
        groups.append(TabGroup(current[0].line, len(lines), tuple(current), False))
    return groups
