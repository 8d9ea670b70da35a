"""Fenced code blocks (``` and ~~~), also indented inside lists, tabs and blockquotes.

Everything inside a fence is code, not Learn syntax: a `:::code` line or a `tk`
inside a fence is an example, so the other finders skip masked lines.
"""

from __future__ import annotations

import re

from docskit.learn.containers import split_prefix
from docskit.learn.items import Fence

_OPEN = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def find_fences(lines: list[str], skip: set[int]) -> tuple[list[Fence], set[int]]:
    """Return the fences and the set of 0-based line indexes they cover (fence lines included).

    Only a line holding three backticks or tildes can open or close a fence, so those lines
    are listed once and everything else is sliced, never visited line by line.
    """
    fences: list[Fence] = []
    covered: set[int] = set()
    marked = [index for index, line in enumerate(lines) if "```" in line or "~~~" in line]
    at = 0
    while at < len(marked):
        index = marked[at]
        at += 1
        if index in skip:
            continue
        prefix, rest = split_prefix(lines[index])
        opened = _OPEN.match(rest)
        if not opened or (opened.group("fence")[0] == "`" and "`" in opened.group("info")):
            continue
        marker = opened.group("fence")
        end, at = _closing(lines, marked, at, marker)
        closed = end < len(lines)
        last = end if closed else len(lines) - 1
        quote_depth = prefix.count(">")
        indent = len(prefix.replace(">", " "))
        body = lines[index + 1 : end]
        if quote_depth or indent:
            body = [_strip_container(line, quote_depth, indent) for line in body]
        fences.append(Fence(index + 1, last + 1, len(prefix) + 1, opened.group("info").strip(), tuple(body), closed))
        covered.update(range(index, last + 1))
    return fences, covered


def _closing(lines: list[str], marked: list[int], at: int, marker: str) -> tuple[int, int]:
    """(the index of the line closing a fence of `marker`, the position in `marked` after it), searching
    `marked` from `at`; (len(lines), len(marked)) when the fence runs to the end of the page."""
    while at < len(marked):
        line = lines[marked[at]]
        at += 1
        if marker in line:
            _, inner = split_prefix(line)
            if inner.startswith(marker) and not inner.strip(marker[0] + " \t"):
                return marked[at - 1], at
    return len(lines), len(marked)


def _strip_container(line: str, quote_depth: int, indent: int) -> str:
    """Remove the blockquote markers and the fence's own indentation from a body line."""
    if not quote_depth and not indent:
        return line
    text = line
    for _ in range(quote_depth):
        stripped = text.lstrip(" \t")
        if stripped.startswith(">"):
            text = stripped[1:]
            if text.startswith(" "):
                text = text[1:]
    if quote_depth:
        indent = max(0, indent - 2 * quote_depth)
    removable = len(text) - len(text.lstrip(" "))
    return text[min(indent, removable) :]
