"""`tk` ("to come"), the editors' placeholder for text not written yet, left in a published page.

Searched everywhere a reader or a link can meet it: prose, inline code (`>=tk`),
link text and targets, directive attributes (`source="tk"`), and code blocks whose
whole body is the placeholder. Words that merely contain the letters (`tkinter`, `tk-placeholder`)
do not count, nor does an inline code span that holds only the word, which is how
a page talks about the placeholder itself. The words are configurable
(`placeholder_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


@lru_cache(maxsize=16)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_-])(?:{alternatives})(?![A-Za-z0-9_-])", re.IGNORECASE)


_MENTION = re.compile(r"`+\s*([^`]*?)\s*`+")


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    words = tuple(w.lower() for w in ctx.config.options.placeholder_words if w)
    if not words:
        return
    pattern = _pattern(words)
    numbers = sorted({n for n, _ in ctx.article.prose_lines} | {d.line for d in ctx.article.code_directives})
    for number in numbers:
        line = ctx.article.uncommented_lines[number - 1]  # a comment is never published
        if not pattern.search(line):
            continue
        mentions = [(m.start(), m.end()) for m in _MENTION.finditer(line) if m.group(1).lower() in words]
        for match in pattern.finditer(line):
            if any(start <= match.start() < end for start, end in mentions):
                continue
            yield ctx.diag(
                number,
                match.start() + 1,
                "TXT001",
                f"placeholder `{match.group(0)}` left in",
                "write the real text, link or value",
            )
    for fence in ctx.article.fences:
        body = [line.strip() for line in fence.body if line.strip()]
        if len(body) == 1 and body[0].lower() in words:
            yield ctx.diag(
                fence.line + 1,
                fence.column,
                "TXT001",
                f"the code block holds only the placeholder `{body[0]}`",
                "show the real command or output",
            )


RULES = (
    Rule(
        "TXT001",
        check,
        {"docs/article.md": "# Install\n\nYou need Azure CLI version `>=tk`. See [tk](tk).\n"},
        {
            "docs/article.md": "# Install\n\nYou need Azure CLI version `>=2.60`. The `tkinter` module is not needed. "
            "See [Install the Azure CLI](install.md).\n",
            "docs/install.md": "# Install the Azure CLI\n",
        },
    ),
)
