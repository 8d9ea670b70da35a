"""CriticMarkup, all five forms; a mark may span lines."""

from __future__ import annotations

import re

from docskit.learn.items import CriticMark

_FORMS = (
    ("comment", re.compile(r"\{>>(.*?)<<\}", re.DOTALL)),
    ("addition", re.compile(r"\{\+\+(.*?)\+\+\}", re.DOTALL)),
    ("deletion", re.compile(r"\{--(.*?)--\}", re.DOTALL)),
    ("substitution", re.compile(r"\{~~(.*?~>.*?)~~\}", re.DOTALL)),
    ("highlight", re.compile(r"\{==(.*?)==\}", re.DOTALL)),
)


def find_critic_marks(blanked: str, original: str, line_starts: list[int]) -> list[CriticMark]:
    """Find marks in `blanked` (fences and code spans blanked), quote them from `original`."""
    import bisect

    marks = []
    for kind, pattern in _FORMS:
        for match in pattern.finditer(blanked):
            index = bisect.bisect_right(line_starts, match.start()) - 1
            marks.append(CriticMark(index + 1, match.start() - line_starts[index] + 1, kind, original[match.start(1):match.end(1)].strip()))
    return sorted(marks, key=lambda m: (m.line, m.column))
