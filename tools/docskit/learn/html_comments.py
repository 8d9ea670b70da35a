"""HTML comments (`<!-- … -->`): text that is never published, so never checked.

A `<!--` inside a fence or an inline code span is code, not a comment; a comment
may span lines, and a fence opened inside a comment is part of the comment. An
unclosed `<!--` runs to the end of the page, as it does in a browser. Blanked
lines keep their length, so columns found in them are columns of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from docskit.learn.fences import find_fences
from docskit.learn.inline_code import blank_inline_code
from docskit.learn.items import Fence

_OPEN, _CLOSE = "<!--", "-->"
# Fences and comments decide each other (a fence inside a comment is none, a `<!--` inside a fence is none):
# each round settles at least one more of them; real pages settle in one or two.
MAX_ROUNDS = 4


@dataclass
class Masks:
    fences: list[Fence]
    fenced: set[int]  # 0-based lines inside fences (fence lines included)
    uncommented: list[str]  # every line, with the text of HTML comments blanked
    commented: set[int]  # 0-based lines that hold nothing but comment text (and blanks)


def blank_comments(lines: list[str], masked: set[int]) -> tuple[list[str], set[int]]:
    """`lines` with comment text blanked outside `masked` lines, and the lines wholly inside comments."""
    out: list[str] = []
    whole: set[int] = set()
    inside = False
    for index, line in enumerate(lines):
        if not inside and (index in masked or _OPEN not in line):  # inside a comment, a fence is comment too
            out.append(line)
            continue
        visible = blank_inline_code(line)
        pieces: list[str] = []
        done = 0  # line[:done] is in pieces
        position = 0
        any_text = False
        while True:
            if inside:
                end = line.find(_CLOSE, position)
                if end < 0:
                    pieces.append(" " * (len(line) - done))
                    done = len(line)
                    break
                pieces.append(" " * (end + len(_CLOSE) - done))
                done = position = end + len(_CLOSE)
                inside = False
                continue
            start = visible.find(_OPEN, position)
            if start < 0:
                break
            any_text = any_text or bool(line[done:start].strip())
            pieces.append(line[done:start])
            done = start
            position = start + 2  # `<!-->` and `<!--->` close themselves
            inside = True
        rest = line[done:]
        any_text = any_text or bool(rest.strip())
        pieces.append(rest)
        out.append("".join(pieces))
        if not any_text:
            whole.add(index)
    return out, whole


def mask(lines: list[str], skip: set[int]) -> Masks:
    """Fences and comments of a page whose lines `skip` (its front matter) are neither."""
    commented: set[int] = set()
    for _ in range(MAX_ROUNDS):
        fences, fenced = find_fences(lines, skip | commented)
        uncommented, now = blank_comments(lines, skip | fenced)
        if now == commented:
            break
        commented = now
    return Masks(fences, fenced, uncommented, commented)
