"""`[!INCLUDE [title](path)]`, as a block (alone on its line) or inline."""

from __future__ import annotations

import re

from docskit.learn.items import Include

# Neither the title nor the target runs over a `[`: the search that starts at one include then ends
# where the next one starts, so a line of a million unclosed `[!INCLUDE [` is scanned once, not once per opener.
_INCLUDE = re.compile(
    r"\[!INCLUDE\s*\[(?P<title>[^\[\]]*)\]\(\s*<?(?P<target>[^)\s>\[]*)>?(?:\s+\"[^\"]*\")?\s*\)\s*\]"
)


def find_includes(line_no: int, line: str) -> list[Include]:
    if "[!INCLUDE" not in line:
        return []
    found = []
    lead = len(line) - len(line.lstrip(" \t>"))  # a block include has only blockquote markers before it
    tail = len(line.rstrip())  # and only blanks after it
    for match in _INCLUDE.finditer(line):
        block = match.start() <= lead and match.end() >= tail
        found.append(
            Include(
                line_no,
                match.start() + 1,
                match.group("title"),
                match.group("target"),
                match.start("target") + 1,
                block,
                match.group(0),
            )
        )
    return found
