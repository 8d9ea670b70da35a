"""`[!INCLUDE [title](path)]`, as a block (alone on its line) or inline."""

from __future__ import annotations

import re

from docskit.learn.items import Include

_INCLUDE = re.compile(r"\[!INCLUDE\s*\[(?P<title>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)\s*\]")


def find_includes(line_no: int, line: str) -> list[Include]:
    if "[!INCLUDE" not in line:
        return []
    found = []
    for match in _INCLUDE.finditer(line):
        block = not line[: match.start()].strip(" \t>") and not line[match.end():].strip()
        found.append(Include(line_no, match.start() + 1, match.group("title"), match.group("target"),
                             match.start("target") + 1, block, match.group(0)))
    return found
