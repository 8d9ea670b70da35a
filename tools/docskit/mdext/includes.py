"""`[!INCLUDE [title](path)]` → the include file's Markdown, as a block or inline.

Runs as a preprocessor at priority 31.5: after `pymdownx.snippets` (32) and
before `pymdownx.critic` (31.1), so included text gets the same treatment as
the page's own (review marks, tabs, `:::code`, fences). Relative links, images
and `:::code source="…"` paths inside an include file are written relative to
the include file; they are rewritten to be relative to the page, so they keep
pointing at the same files. Include files nested in include files are expanded
too, relative to the file that names them; a cycle or a missing file is left as
a short visible note (the page's diagnostics report it with its code). An
`[!INCLUDE]` inside an HTML comment is never published and stays as it is (the
parser blanks comments before looking for includes).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from docskit.learn import parse_article
from docskit.learn.items import Article, Include
from docskit.mdext.context import OptionsExtension, PageTracker
from docskit.mdext.reporting import LOG
from docskit.snippets.roots import Refusal, Roots
from docskit.sourcefile import read_source_file, split_lines

PRIORITY = 31.5
MAX_NESTING = 8  # a hard stop for rendering; the checker reports anything deeper than Learn allows
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class IncludesExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.preprocessors.register(IncludePreprocessor(md, self.tracker), "docskit-includes", PRIORITY)


class IncludePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker) -> None:
        super().__init__(md)
        self.tracker = tracker

    def run(self, lines: list[str]) -> list[str]:
        if not any("[!INCLUDE" in line for line in lines):
            return lines
        page = self.tracker.page
        try:
            return expand_includes(lines, page.path, page.path, page.build.roots, (page.path.resolve(),))
        except Exception as exc:  # noqa: BLE001 - the page is rendered without its includes; the build goes on
            from docskit.check.article import internal_error

            LOG.error("%s", internal_error(page.display, "expanding the includes failed", exc).format_text())
            return lines


@dataclass
class _Expansion:
    """One file whose includes are being expanded: its lines, its includes, the bodies expanded so far."""

    file: Path
    lines: list[str]
    chain: tuple[Path, ...]  # the files that include it, outermost first, itself last
    includes: list[Include]
    bodies: list[list[str]] = field(default_factory=list)  # one per include, in order

    @classmethod
    def of(cls, lines: list[str], file: Path, chain: tuple[Path, ...]) -> _Expansion:
        return cls(file, lines, chain, parse_article(str(file), "\n".join(lines)).includes)

    def spliced(self) -> list[str]:
        """The file's lines with every include replaced by its body."""
        out = list(self.lines)
        by_line: dict[int, list[tuple[Include, list[str]]]] = {}
        for include, body in zip(self.includes, self.bodies, strict=False):
            by_line.setdefault(include.line, []).append((include, body))
        for line_no in sorted(by_line, reverse=True):
            line = out[line_no - 1]
            replacement: list[str] | None = None
            for include, body in sorted(by_line[line_no], key=lambda pair: pair[0].column, reverse=True):
                start = include.column - 1
                end = start + len(include.raw)
                if include.block:
                    prefix = line[:start]
                    replacement = [prefix + item if item else prefix.rstrip() for item in body]
                else:
                    line = line[:start] + " ".join(item.strip() for item in body if item.strip()) + line[end:]
            out[line_no - 1 : line_no] = replacement if replacement is not None else [line]
        return out


def expand_includes(lines: list[str], file: Path, page: Path, roots: Roots, stack: tuple[Path, ...]) -> list[str]:
    """Replace every include of `lines` (the text of `file`) by the included Markdown.

    Lines are split the way `parse_article` splits them (CR, LF and CRLF all end a
    line), so each include is found on the line the parser says. Nested includes
    are expanded with a worklist, not recursion: the depth of a chain is up to the
    files, the call stack is not.
    """
    if any("\r" in line for line in lines):
        lines, ends = split_lines("\n".join(lines))
        if ends:
            lines.append("")
    root = _Expansion.of(lines, file, stack)
    if not root.includes:
        return lines
    frames = [root]
    while True:
        frame = frames[-1]
        if len(frame.bodies) < len(frame.includes):
            opened = _open_include(frame.includes[len(frame.bodies)].target, frame, page, roots)
            if isinstance(opened, _Expansion):
                frames.append(opened)
            else:
                frame.bodies.append([opened])
            continue
        frames.pop()
        expanded = frame.spliced()
        if not frames:
            return expanded
        frames[-1].bodies.append(expanded)


def _open_include(target: str, holder: _Expansion, page: Path, roots: Roots) -> _Expansion | str:
    """The include file to expand next, or the note that stands in for it."""
    located = roots.resolve(holder.file, target)
    if isinstance(located, Refusal) or located.root_name:  # include files come from the docset only, never a named root
        return _note(target, "cannot be included: it is outside the docset")
    if located.path in holder.chain:
        return _note(target, "is not included again: that would be a cycle")
    if len(holder.chain) > MAX_NESTING:
        return _note(target, "is nested too deeply to include")
    source = read_source_file(located.path)
    if source.problem is not None:
        return _note(target, "was not found" if source.problem == "missing" else "cannot be read")
    lines = list(source.lines)
    article = parse_article(str(located.path), source.text)
    if article.front_matter is not None:  # Learn include files often carry their own metadata
        lines = lines[article.front_matter.end_line :]
        article = parse_article(str(located.path), "\n".join(lines))
    lines = rewrite_relative_paths(article, lines, located.path, page)
    return _Expansion.of(lines, located.path, (*holder.chain, located.path))


def _note(target: str, what: str) -> str:
    return f"*Include file `{target}` {what}.*"


def rewrite_relative_paths(article: Article, lines: list[str], file: Path, page: Path) -> list[str]:
    """Make links, images and `:::code` sources of an include file relative to the including page."""
    if file.parent == page.parent:
        return lines
    edits: dict[int, list[tuple[int, str, str]]] = {}  # line -> (0-based column, old, new)
    for link in article.links:
        new = _rebase(link.target, file, page)
        if new is not None:
            edits.setdefault(link.line, []).append((link.target_column - 1, link.target, new))
    for directive in article.code_directives:
        source = directive.source
        new = _rebase(source, file, page) if source else None
        if new is not None:
            raw = directive.raw
            name_at = directive.column_of("source") - 1
            value_at = raw.find('"', name_at) + 1
            if value_at > 0 and raw[value_at : value_at + len(source)] == source:
                edits.setdefault(directive.line, []).append((value_at, source, new))
    out = list(lines)
    for line_no, changes in edits.items():
        text = out[line_no - 1]
        for column, old, new in sorted(changes, reverse=True):
            if text[column : column + len(old)] == old:
                text = text[:column] + new + text[column + len(old) :]
        out[line_no - 1] = text
    return out


def _rebase(target: str, file: Path, page: Path) -> str | None:
    """`target` relative to `file`, rewritten relative to `page`; None when it is not a relative path."""
    if not target or target.startswith(("#", "/", "~", "\\")) or _SCHEME.match(target):
        return None
    cut = min((i for i in (target.find("#"), target.find("?")) if i >= 0), default=len(target))
    path_part, rest = target[:cut], target[cut:]
    if not path_part:
        return None
    absolute = posixpath.normpath(posixpath.join(file.parent.as_posix(), path_part))
    return posixpath.relpath(absolute, page.parent.as_posix()) + rest


def makeExtension(**kwargs: Any) -> IncludesExtension:  # noqa: N802
    return IncludesExtension(**kwargs)
