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
    """Return the fences and the set of 0-based line indexes they cover (fence lines included)."""
    fences: list[Fence] = []
    covered: set[int] = set()
    index = 0
    while index < len(lines):
        if index in skip or ("```" not in lines[index] and "~~~" not in lines[index]):  # no fence opens here
            index += 1
            continue
        prefix, rest = split_prefix(lines[index])
        opened = _OPEN.match(rest)
        if not opened or (opened.group("fence")[0] == "`" and "`" in opened.group("info")):
            index += 1
            continue
        marker = opened.group("fence")
        quote_depth = prefix.count(">")
        indent = len(prefix.replace(">", " "))
        body: list[str] = []
        end = index + 1
        closed = False
        while end < len(lines):
            if marker in lines[end]:  # only a line holding the marker can close the fence
                _, inner = split_prefix(lines[end])
                if inner.startswith(marker) and not inner.strip(marker[0] + " \t"):
                    closed = True
                    break
            body.append(_strip_container(lines[end], quote_depth, indent))
            end += 1
        last = end if closed else len(lines) - 1
        fences.append(Fence(index + 1, last + 1, len(prefix) + 1, opened.group("info").strip(), tuple(body), closed))
        covered.update(range(index, last + 1))
        index = last + 1
    return fences, covered


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
    return text[min(indent, removable):]
