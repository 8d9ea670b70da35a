"""CriticMarkup and `tk` placeholders: review marks in a preview build, errors in any other.

`pymdownx.critic` (view mode) renders CriticMarkup; this extension makes sure it
is present and, in a preview build (`preview: true`, or `DOCSKIT_PREVIEW=1` in
the environment), also shows each `tk` placeholder of the prose as a highlighted
mark, so a reviewer sees what is unfinished. Whether a mark is an error is not
decided here: the page's diagnostics report TXT001/TXT002 as errors, or as notes
in a preview build (see `docskit.mdext.reporting`).

Runs at priority 29.8, after `pymdownx.critic` (31.1) has stashed CriticMarkup,
so a `tk` inside a reviewer comment is not marked twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from docskit.learn import parse_article
from docskit.mdext.context import OptionsExtension, PageTracker

PRIORITY = 29.8
_TAG = re.compile(r"<[^<>]*>")  # not over a `<`: a line of a million `<` is scanned once, not once per `<`
MARK = '<mark class="critic docskit-placeholder" title="TXT001 placeholder">{word}</mark>'


class ReviewMarksExtension(OptionsExtension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        if "critic" not in md.preprocessors:
            md.registerExtensions(["pymdownx.critic"], {})
        words = self.getConfigs().get("placeholder_words") or []
        md.preprocessors.register(PlaceholderMarks(md, self.tracker, words), "docskit-placeholders", PRIORITY)


class PlaceholderMarks(Preprocessor):
    def __init__(self, md: Markdown, tracker: PageTracker, words: list[str]) -> None:
        super().__init__(md)
        self.tracker = tracker
        alternatives = "|".join(re.escape(w) for w in words) or "(?!)"
        self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)

    def run(self, lines: list[str]) -> list[str]:
        if not self.tracker.page.preview or not any(self.pattern.search(line) for line in lines):
            return lines
        return mark_placeholders(lines, self.pattern)


def mark_placeholders(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Wrap each placeholder word of the prose (not code, not link targets, not HTML tags) in a mark."""
    article = parse_article("<page>", "\n".join(lines))
    out = list(lines)
    targets: dict[int, list[tuple[int, int]]] = {}
    for link in article.links:
        targets.setdefault(link.line, []).append((link.target_column - 1, link.target_column - 1 + len(link.target)))
    for line_no, prose in article.prose_lines:
        masked = _TAG.sub(lambda m: " " * len(m.group(0)), prose)
        spans = targets.get(line_no)
        if spans:
            masked = _replace(masked, sorted(spans), lambda piece: " " * len(piece))
        hits = [(hit.start(), hit.end()) for hit in pattern.finditer(masked)]
        if hits:
            out[line_no - 1] = _replace(out[line_no - 1], hits, lambda word: MARK.format(word=word))
    return out


def _replace(text: str, spans: list[tuple[int, int]], how: Callable[[str], str]) -> str:
    """`text` with each (start, end) span (ascending, not overlapping) replaced by `how(span text)`, in one join."""
    pieces, done = [], 0
    for start, end in spans:
        start = max(start, done)
        pieces += [text[done:start], how(text[start:end])]
        done = max(end, start)
    pieces.append(text[done:])
    return "".join(pieces)


def makeExtension(**kwargs: Any) -> ReviewMarksExtension:  # noqa: N802
    return ReviewMarksExtension(**kwargs)
