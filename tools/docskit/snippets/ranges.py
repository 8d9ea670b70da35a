"""`range` and `highlight` values: DocFX's lenient reading and our strict one.

DocFX reads `range="2-24,26"` piece by piece and stops at the first piece that
does not parse, keeping the pieces before it (none kept: the whole file). An
empty bound is open (`"9-"`). Out-of-range lines are clamped without a word.
We reproduce that, and say what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = 2**31 - 1  # DocFX's int.MaxValue for an empty bound
_INT = re.compile(r"^\s*[+-]?\d+\s*$")


@dataclass(frozen=True)
class LineSpan:
    start: int  # 1-based; OPEN when the bound was empty
    end: int  # 1-based inclusive; OPEN when open-ended


@dataclass(frozen=True)
class ParsedRanges:
    spans: tuple[LineSpan, ...] | None  # None: DocFX shows the whole file
    malformed: str | None = None  # the first piece that did not parse


def _number(text: str) -> int | None:
    if text == "":
        return OPEN
    if not _INT.match(text):
        return None
    value = int(text)
    return value if -(2**31) <= value < 2**31 else None


def parse_ranges(spec: str) -> ParsedRanges:
    if not spec:
        return ParsedRanges(None, None if spec is None else "")
    spans: list[LineSpan] = []
    for piece in spec.split(","):
        parts = piece.split("-")
        if len(parts) > 2:
            return ParsedRanges(tuple(spans) or None, piece)
        start = _number(parts[0])
        end = start if len(parts) == 1 else _number(parts[1])
        if start is None or end is None or (piece == ""):
            return ParsedRanges(tuple(spans) or None, piece)
        spans.append(LineSpan(start, end))
    return ParsedRanges(tuple(spans))


def select_lines(spans: tuple[LineSpan, ...] | None, line_count: int) -> list[int]:
    """0-based line indexes DocFX takes for these spans, in the order given."""
    if spans is None:
        return list(range(line_count))
    taken: list[int] = []
    for span in spans:
        taken.extend(range(max(span.start - 1, 0), min(span.end, line_count)))
    return taken


def out_of_bounds(spans: tuple[LineSpan, ...], line_count: int) -> list[LineSpan]:
    """Spans that reach outside 1..line_count (an open end is fine, an open start is not)."""
    bad = []
    for span in spans:
        start_bad = span.start == OPEN or span.start < 1 or span.start > line_count
        end_bad = span.end != OPEN and (span.end > line_count or span.end < span.start)
        if start_bad or end_bad:
            bad.append(span)
    return bad


def parse_highlight(spec: str) -> tuple[list[LineSpan], str | None]:
    """Strict: comma-separated numbers or `a-b` spans (`a-` open-ended); returns (spans, bad piece)."""
    spans: list[LineSpan] = []
    for piece in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d*)\s*)?", piece)
        if not match:
            return spans, piece
        start = int(match.group(1))
        if match.group(2) is None:
            end = start
        else:
            end = int(match.group(2)) if match.group(2) else OPEN
        if start < 1 or end < start:
            return spans, piece
        spans.append(LineSpan(start, end))
    return spans, None


def describe(span: LineSpan) -> str:
    start = "" if span.start == OPEN else str(span.start)
    if span.end == span.start:
        return start
    return f"{start}-" + ("" if span.end == OPEN else str(span.end))
