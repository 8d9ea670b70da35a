"""Every region of a source file for one marker family, indexed in one pass.

Follows DocFX: each tag keeps its own start/end pair (nesting and overlap work),
a repeated start overwrites the earlier one (the last definition is shown), the
first end after a start closes it, a nameless end (`#endregion`) closes the most
recent open start. Unlike DocFX, the index also keeps what went wrong, so the
linter can report repeated, unclosed and stray markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docskit.snippets.markers import Family


@dataclass
class Region:
    name: str  # lower-cased, as DocFX compares names
    start: int  # 1-based line of the start marker (the last one, when repeated)
    end: int | None = None  # 1-based line of the end marker; None when never closed
    starts: list[int] = field(default_factory=list)  # every start marker line
    spelled: str = ""  # the name as written at the last start

    @property
    def closed(self) -> bool:
        return self.end is not None

    @property
    def body(self) -> range:
        """0-based indexes of the lines between the markers (empty when unclosed)."""
        return range(self.start, self.end - 1) if self.end is not None else range(0)


@dataclass
class RegionIndex:
    family: Family
    regions: dict[str, Region] = field(default_factory=dict)
    marker_lines: set[int] = field(default_factory=set)  # 0-based, every marker line of the family
    stray_ends: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, name)
    # (1-based line, name) of every start marker, in file order
    start_markers: list[tuple[int, str]] = field(default_factory=list)

    def get(self, name: str) -> Region | None:
        return self.regions.get(name.lower())


def index_regions(lines: list[str], family: Family) -> RegionIndex:
    index = RegionIndex(family)
    stack: list[str] = []
    for number, line in enumerate(lines):
        ended = family.match_end(line)
        if ended is not None:
            index.marker_lines.add(number)
            name = ended if family.end_names_tag else (stack.pop() if stack else "")
            region = index.regions.get(name)
            if region is not None and region.end is None:
                region.end = number + 1
            else:
                index.stray_ends.append((number + 1, name))
            continue
        started = family.match_start(line)
        if started is not None:
            index.marker_lines.add(number)
            previous = index.regions.get(started)
            starts = (previous.starts if previous else []) + [number + 1]
            spelled = _spelling(line, started)
            index.regions[started] = Region(started, number + 1, None, starts, spelled)
            index.start_markers.append((number + 1, started))
            stack.append(started)
    return index


def _spelling(line: str, name: str) -> str:
    lowered = line.lower()
    at = lowered.find(name)
    return line[at: at + len(name)] if at >= 0 else name
