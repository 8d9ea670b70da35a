"""Inline suppression comments in Markdown, in the markdownlint and Vale style.

`<!-- check-snippets-disable-next-line CODE … -->` silences the next line;
`<!-- check-snippets-disable CODE … -->` … `<!-- check-snippets-enable CODE … -->`
silences a span. Without codes, every code is meant. Codes may be written as
anything `--select` accepts: codes, prefixes, short names, DocFX aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docskit.catalog import CODES, expand_selector
from docskit.diagnostics import Diagnostic

_COMMENT = re.compile(r"<!--\s*check-snippets-(disable-next-line|disable|enable)\b([^>]*?)\s*-->")
_EVERY = frozenset(c.code for c in CODES)


def _codes(text: str) -> frozenset[str]:
    names = [t for t in re.split(r"[\s,]+", text.strip()) if t]
    if not names:
        return _EVERY
    found: set[str] = set()
    for name in names:
        found |= expand_selector(name)
    return frozenset(found)


@dataclass
class Suppressions:
    lines: dict[int, frozenset[str]] = field(default_factory=dict)  # line -> codes silenced on it
    spans: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)  # (first, last, codes)

    def silences(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.code in self.lines.get(diagnostic.line, ()):
            return True
        return any(first <= diagnostic.line <= last and diagnostic.code in codes for first, last, codes in self.spans)

    def __bool__(self) -> bool:
        return bool(self.lines or self.spans)


def find_suppressions(lines: list[str]) -> Suppressions:
    found = Suppressions()
    open_spans: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if "check-snippets-" not in line:
            continue
        for match in _COMMENT.finditer(line):
            kind, codes = match.group(1), _codes(match.group(2))
            if kind == "disable-next-line":
                found.lines[number + 1] = found.lines.get(number + 1, frozenset()) | codes
            elif kind == "disable":
                for code in codes:
                    open_spans.setdefault(code, number)
            else:
                for code in codes:
                    start = open_spans.pop(code, None)
                    if start is not None:
                        found.spans.append((start, number, frozenset({code})))
    for code, start in open_spans.items():
        found.spans.append((start, len(lines) + 1, frozenset({code})))
    return found
