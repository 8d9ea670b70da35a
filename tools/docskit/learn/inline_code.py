"""Blank out inline code spans so prose finders do not look inside them.

The spans are Python-Markdown's: a run of backticks opens a span that the next
run of the same length closes; when no later run has the opener's length, the
opener counts as a shorter run (the longest length some later run has), the
rest of its backticks being part of the code. Found with one walk over the
line's backtick runs, so a line of a million unmatched backticks costs no more
than a line of text.
"""

from __future__ import annotations

import bisect
import re

_RUN = re.compile(r"`+")


def blank_inline_code(line: str) -> str:
    """Same length as `line`, with the content of each `code span` replaced by spaces."""
    if "`" not in line:
        return line
    runs = [(match.start(), match.end() - match.start()) for match in _RUN.finditer(line)]
    by_length: dict[int, list[int]] = {}  # run length -> indexes of the runs of that length, ascending
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    pieces: list[str] = []
    done = 0  # line[:done] is in pieces
    index = 0
    while index < len(runs):
        start, length = runs[index]
        closing = None
        for size in range(length, 0, -1):
            later = by_length.get(size)
            if later:
                at = bisect.bisect_right(later, index)
                if at < len(later):
                    closing, width = later[at], size
                    break
        if closing is None:
            index += 1
            continue
        content, end = start + width, runs[closing][0]
        pieces += [line[done:content], " " * (end - content)]
        done = end
        index = closing + 1
    pieces.append(line[done:])
    return "".join(pieces)
