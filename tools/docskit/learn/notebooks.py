"""`[!notebook-python[](path.ipynb?name=cell)]` references (recognised; resolved later)."""

from __future__ import annotations

import re

from docskit.learn.items import NotebookRef

# no part runs over a `[`, so each search ends where the next reference starts (linear in the line)
_NOTEBOOK = re.compile(r"\[!notebook-(?P<lang>[\w-]+)\[[^\[\]]*\]\s*\((?P<target>[^)\[]*)\)\]")


def find_notebooks(line_no: int, line: str) -> list[NotebookRef]:
    if "[!notebook-" not in line:
        return []
    return [NotebookRef(line_no, m.start() + 1, m.group("lang"), m.group("target").strip(), m.group(0)) for m in _NOTEBOOK.finditer(line)]
