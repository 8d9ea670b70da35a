"""Resolve a `:::code` directive to exactly the lines DocFX would show, and say what is off.

The text produced is DocFX's output even where DocFX silently clamps, falls back
or overwrites; every such place also yields a `Diagnostic`. Files are read and
region-indexed, and each `id` or `range` of a file is selected, once per
`Resolver`, however many directives use them.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.languages import is_learn_language
from docskit.learn.items import CodeDirective
from docskit.snippets import ranges as rng
from docskit.snippets.markers import ALL_FAMILIES, DOCFX_LANGUAGE_BY_EXTENSION, Family, families_for
from docskit.snippets.regions import RegionIndex, index_regions
from docskit.snippets.roots import Refusal, ResolvedPath, Roots
from docskit.sourcefile import SourceCache, SourceFile

TAB_WIDTH = 4


@dataclass
class ResolvedSnippet:
    directive: CodeDirective
    article: str  # the article path as reported
    source: ResolvedPath | None = None
    file: SourceFile | None = None
    text: str = ""  # what DocFX shows (not HTML-escaped)
    source_lines: list[int] = field(default_factory=list)  # 1-based file line of each shown line
    highlight: list[int] = field(default_factory=list)  # 1-based lines of the shown snippet
    language: str = ""
    region: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def shown_lines(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    @property
    def ok(self) -> bool:
        return bool(self.text) and not any(d.severity.value == "error" for d in self.diagnostics)


@dataclass
class Selection:
    """What one `id` or `range` of one file shows, and what is off with it, whichever directive asks."""

    region: str | None = None
    text: str = ""
    source_lines: list[int] = field(default_factory=list)
    reports: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # (attribute, code, message, hint)

    def report(self, attribute: str, code: str, message: str, hint: str | None = None) -> None:
        self.reports.append((attribute, code, message, hint))


class Resolver:
    def __init__(self, roots: Roots, cache: SourceCache | None = None) -> None:
        self.roots = roots
        self.cache = cache or SourceCache()
        self._indexes: dict[tuple[Path, str], RegionIndex] = {}
        self._selections: dict[tuple[ResolvedPath, str | None, str | None], Selection] = {}

    def region_index(self, file: SourceFile, family: Family) -> RegionIndex:
        key = (file.path, family.name)
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = index_regions(file.lines, family)
        return found

    def resolve(self, article_path: Path, article: str, directive: CodeDirective) -> ResolvedSnippet:
        out = ResolvedSnippet(directive, article)
        source = directive.source
        if not source:
            return out  # the parser already reported DIR003
        self._language(out, directive, source)
        located = self.roots.resolve(article_path, source)
        if isinstance(located, Refusal):
            self._report(out, "source", located.code, located.message, located.hint)
            return out
        out.source = located
        file = self.cache.get(located.path)
        out.file = file
        if not self._readable(out, file, source):
            return out
        key = (located, directive.id, directive.range if directive.id is None else None)
        selection = self._selections.get(key)
        if selection is None:
            selection = self._selections[key] = self._select(file, located, directive.id, directive.range)
        out.region = selection.region
        out.text = selection.text
        out.source_lines = list(selection.source_lines)
        for attribute, code, message, hint in selection.reports:
            self._report(out, attribute, code, message, hint)
        self._check_highlight(out, directive.highlight)
        return out

    def _select(self, file: SourceFile, located: ResolvedPath, wanted: str | None, spec: str | None) -> Selection:
        selection = Selection()
        if wanted is not None:
            taken, dedent_ignored = self._by_id(selection, file, located, wanted)
        else:
            taken, dedent_ignored = self._by_range(selection, file, spec), set()
        self._render(selection, file, taken or [], dedent_ignored)
        return selection

    # -- steps ---------------------------------------------------------------------------

    def _language(self, out: ResolvedSnippet, directive: CodeDirective, source: str) -> None:
        language = directive.language
        if language:
            out.language = language
            if not is_learn_language(language):
                self._report(out, "language", "DIR006", f"`{language}` is not a Learn code language")
            return
        inferred = DOCFX_LANGUAGE_BY_EXTENSION.get(PurePath(source).suffix[1:])
        if inferred is None:
            self._report(out, "source", "DIR006", "no `language` given and DocFX cannot infer one from the file type",
                         "add language=\"…\"")
            out.language = "text"
        else:
            out.language = inferred

    def _readable(self, out: ResolvedSnippet, file: SourceFile, source: str) -> bool:
        if file.problem == "missing":
            self._report(out, "source", "SRC001", f"source file `{source}` does not exist", _sibling_hint(file.path))
            return False
        if file.problem == "binary" or file.problem == "unreadable":
            self._report(out, "source", "SRC003", f"source file `{source}` cannot be shown: {file.problem_detail}")
            return False
        if file.problem == "not-utf8":
            line, col = file.problem_at
            self._report(out, "source", "SRC004", f"source file `{source}` is not UTF-8 ({file.problem_detail}, line {line}, column {col})",
                         "save it as UTF-8")
            return False
        if not file.text:
            self._report(out, "source", "SRC001", f"source file `{source}` is empty; DocFX treats it as not found")
            return False
        return True

    def _by_range(self, selection: Selection, file: SourceFile, spec: str | None) -> list[int]:
        if spec is None:
            return list(range(len(file.lines)))
        parsed = rng.parse_ranges(spec)
        if parsed.malformed is not None:
            shown = "the whole file" if parsed.spans is None else "only the ranges before it"
            selection.report("range", "RNG001", f"`range=\"{spec}\"` does not parse at `{parsed.malformed}`; DocFX shows {shown}",
                             "write ranges like \"2-24,26\" or \"9-\"")
        if parsed.spans:
            bad = rng.out_of_bounds(parsed.spans, len(file.lines))
            if bad:
                pieces = ", ".join(rng.describe(s) for s in bad)
                selection.report("range", "RNG002", f"`range` {pieces} is outside the file's {len(file.lines)} lines; DocFX silently clamps it")
        return rng.select_lines(parsed.spans, len(file.lines))

    def _by_id(self, selection: Selection, file: SourceFile, located: ResolvedPath, wanted: str) -> tuple[list[int] | None, set[int]]:
        path = located.path
        choice = families_for(path)
        name = wanted.lower()
        selection.region = name
        ours = self._find(file, choice.families, name)
        docfx = self._find(file, choice.docfx_families, name)
        if len(ours) > 1 and not choice.docfx_knows_type:
            selection.report("id", "REG008", f"region `{wanted}` is marked in both {ours[0][0].family.name} and {ours[1][0].family.name} markers",
                             "keep one marker style in this file")
        if ours:
            index, region = ours[0]
        elif docfx:
            index, region = docfx[0]
            selection.report("id", "REG002", f"region `{wanted}` uses {index.family.name} markers, which are not this file type's; "
                             "DocFX finds it only because it does not know the file type")
        else:
            self._missing_region(selection, file, located, wanted, choice.families)
            return None, set()
        if region.name != name:  # found as `snippet<id>`
            pass
        if len(region.starts) > 1:
            lines = ", ".join(str(n) for n in region.starts)
            selection.report("id", "REG005", f"region `{wanted}` is opened {len(region.starts)} times (lines {lines}); DocFX shows the last one")
        if not region.closed:
            selection.report("id", "REG003", f"region `{wanted}` opened on line {region.start} is never closed; DocFX shows nothing",
                             f"add the end marker for `{region.spelled or wanted}`")
            return [], index.marker_lines
        taken = [i for i in region.body if i not in index.marker_lines]
        if not taken or all(not file.lines[i].strip() for i in taken):
            selection.report("id", "REG006", f"region `{wanted}` (lines {region.start}-{region.end}) is empty; DocFX shows nothing")
        return taken, index.marker_lines

    def _find(self, file: SourceFile, families: tuple[Family, ...], name: str) -> list[tuple[RegionIndex, object]]:
        found = []
        for family in families:
            index = self.region_index(file, family)
            region = index.regions.get(name) or index.regions.get("snippet" + name)
            if region is not None:
                found.append((index, region))
        return found

    def _missing_region(self, selection: Selection, file: SourceFile, located: ResolvedPath, wanted: str,
                        families: tuple[Family, ...]) -> None:
        path = located.path

        others = [f for f in ALL_FAMILIES if f not in families and self.region_index(file, f).get(wanted)]
        if others:
            selection.report("id", "REG002", f"region `{wanted}` uses {others[0].name} markers, which DocFX does not read in "
                             f"`{path.name}`; DocFX shows nothing", "use `# <id>`-style markers for this file type"
                             if families and families[0].name == "hash-comment" else None)
            return
        known = sorted({r.spelled or r.name for f in families for r in self.region_index(file, f).regions.values()})
        close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
        hint = "did you mean " + " or ".join(f"id `{c}`" for c in close) + "?" if close else (
            "regions in this file: " + ", ".join(f"`{k}`" for k in known[:8]) if known else "the file has no regions")
        selection.report("id", "REG001", f"region `{wanted}` is not defined in `{located.relative}`", hint)

    def _render(self, selection: Selection, file: SourceFile, taken: list[int], ignored: set[int]) -> None:
        """DocFX's line assembly: expand indentation tabs, remove the common indent, trim the end."""
        shown = [file.lines[index] for index in taken]
        if any(line.lstrip(" ").startswith("\t") for line in shown):
            shown = [_expand_indent(line) for line in shown]
        dedent = min((len(line) - len(line.lstrip(" ")) for line in shown if line), default=0)
        text = "\n".join([line[dedent:] for line in shown] if dedent else shown).rstrip()
        selection.text = text
        count = text.count("\n") + 1 if text else 0
        selection.source_lines = [index + 1 for index in taken[:count]]

    def _check_highlight(self, out: ResolvedSnippet, spec: str | None) -> None:
        if spec is None:
            return
        spans, bad = rng.parse_highlight(spec)
        if bad is not None:
            self._report(out, "highlight", "RNG003", f"`highlight=\"{spec}\"` does not parse at `{bad}`", "write lines like \"2,5-7\"")
            return
        count = len(out.shown_lines)
        lines: list[int] = []
        past: list[str] = []
        for span in spans:
            end = count if span.end == rng.OPEN else span.end
            if span.start > count or end > count:
                past.append(rng.describe(span))
            lines.extend(range(span.start, min(end, count) + 1))
        if past and out.text:
            self._report(out, "highlight", "RNG004", f"`highlight` {', '.join(past)} is past the end of the {count}-line snippet",
                         "highlight lines count from the first line shown, not from the file")
        out.highlight = sorted(set(lines))

    def _report(self, out: ResolvedSnippet, attribute: str, code: str, message: str, hint: str | None = None) -> None:
        d = out.directive
        out.diagnostics.append(Diagnostic(out.article, d.line, d.column_of(attribute), code, message, lookup(code).severity, hint))


def _expand_indent(line: str) -> str:
    """`line` with the tabs of its indentation expanded to TAB_WIDTH stops."""
    count = 0
    for position, ch in enumerate(line):
        if ch == " ":
            count += 1
        elif ch == "\t":
            count = (count + TAB_WIDTH) // TAB_WIDTH * TAB_WIDTH
        else:
            return " " * count + line[position:]
    return " " * count


def _sibling_hint(path: Path) -> str | None:
    try:
        names = os.listdir(path.parent)
    except (OSError, ValueError):  # no such folder, or a name the file system refuses
        return None
    same_stem = [n for n in names if PurePath(n).stem == path.stem and n != path.name]
    close = same_stem or difflib.get_close_matches(path.name, names, n=1, cutoff=0.75)
    return f"did you mean `{close[0]}`?" if close else None
