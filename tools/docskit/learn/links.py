"""Inline links and images `[text](target)` / `![alt](target)`, and reference definitions."""

from __future__ import annotations

import re

from docskit.learn.items import Link

# The text may hold one level of brackets; no part runs over the `[` that starts another link (nor an
# angle target over a `<`), so the search begun at one `[` ends where the next begins: linear in the line.
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(?:<(?P<angle>[^<>\[]*)>|(?P<target>[^)\s\[]*))(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_DEFINITION = re.compile(r"^\s{0,3}\[(?P<text>[^\]]+)\]:\s*(?P<target>\S+)")


def find_links(line_no: int, line: str) -> list[Link]:
    if "[" not in line:
        return []
    links: list[Link] = []
    for match in _INLINE.finditer(line):
        text = match.group("text")
        if text.startswith("!"):  # [!INCLUDE …] and [!notebook-…] are not links
            continue
        group = "angle" if match.group("angle") is not None else "target"
        links.append(
            Link(
                line_no,
                match.start() + 1,
                text,
                match.group(group) or "",
                match.start(group) + 1,
                bool(match.group("bang")),
            )
        )
    definition = _DEFINITION.match(line)
    if definition and not definition.group("text").startswith("!"):
        links.append(
            Link(
                line_no, 1, definition.group("text"), definition.group("target"), definition.start("target") + 1, False
            )
        )
    return links
