"""CriticMarkup, all five forms; a mark may span lines.

A mark runs from its opener to the first closer after it (a substitution needs a
`~>` before its closer). The scan is linear in the page: each form is one left to
right walk with `str.find`, and a form stops at the first opener that has no
closer after it, because no later opener of that form can have one either.
"""

from __future__ import annotations

import bisect

from docskit.learn.items import CriticMark

# kind, opener, the separator a mark needs before its closer (or ""), closer
_FORMS = (
    ("comment", "{>>", "", "<<}"),
    ("addition", "{++", "", "++}"),
    ("deletion", "{--", "", "--}"),
    ("substitution", "{~~", "~>", "~~}"),
    ("highlight", "{==", "", "==}"),
)


def _spans(text: str, opener: str, separator: str, closer: str) -> list[tuple[int, int, int]]:
    """(start of the opener, start of the content, end of the content) of each mark of one form."""
    spans = []
    position = text.find(opener)
    while position >= 0:
        content = position + len(opener)
        search = content
        if separator:
            arrow = text.find(separator, content)
            if arrow < 0:
                break
            search = arrow + len(separator)
        end = text.find(closer, search)
        if end < 0:
            break
        spans.append((position, content, end))
        position = text.find(opener, end + len(closer))
    return spans


def find_critic_marks(blanked: str, original: str, line_starts: list[int]) -> list[CriticMark]:
    """Find marks in `blanked` (fences and code spans blanked), quote them from `original`."""
    marks = []
    for kind, opener, separator, closer in _FORMS:
        if opener not in blanked:
            continue
        for start, content, end in _spans(blanked, opener, separator, closer):
            index = bisect.bisect_right(line_starts, start) - 1
            marks.append(CriticMark(index + 1, start - line_starts[index] + 1, kind, original[content:end].strip()))
    return sorted(marks, key=lambda m: (m.line, m.column))
