"""`[!notebook-python[](path.ipynb?name=cell)]` references, found with their exact position.

DocFX matches the keyword in any case (`[!Notebook-python[]` is published) and
accepts a space between `[]` and `(`. A reference renders only when it stands
alone on its line (inside a list item or a blockquote, its container's markers
before it); in the middle of a paragraph DocFX leaves it as text.
"""

from __future__ import annotations

import re

from docskit.learn.items import NotebookRef

# no part runs over a `[`, so each search ends where the next reference starts (linear in the line)
_NOTEBOOK = re.compile(r"\[!notebook-(?P<lang>[\w-]+)\[[^\[\]]*\]\s*\((?P<target>[^)\[]*)\)\]", re.IGNORECASE)
_CONTAINER = re.compile(r"[ \t>]*")


def find_notebooks(line_no: int, line: str) -> list[NotebookRef]:
    if "[!notebook-" not in line.lower():
        return []
    found = []
    for m in _NOTEBOOK.finditer(line):
        target = m.group("target")
        before = line[: m.start()]
        alone = _CONTAINER.fullmatch(before) is not None and not line[m.end() :].strip()
        found.append(
            NotebookRef(
                line_no,
                m.start() + 1,
                m.group("lang").lower(),
                target.strip(),
                m.group(0),
                m.start("target") + len(target) - len(target.lstrip()) + 1,
                before if alone else "",
                alone,
            )
        )
    return found
