"""UTF-8 text that was decoded as Windows-1252 and saved again: `Itâ€™s` instead of `It’s`.

It happens when a draft passes through a tool with the wrong encoding, and every
reader sees it. Each suspicious run of characters is re-encoded as Windows-1252
and decoded as UTF-8; only runs that turn into one real character are reported,
with that character as the fix. Code blocks are searched too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

# A UTF-8 lead byte (0xC2-0xF4) seen as Windows-1252, then one to three continuation bytes seen the same way.
_CONT = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_CANDIDATE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")


def fix_for(text: str) -> str | None:
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if len(fixed) == 1 and ord(fixed) > 0x7F else None


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for number, line in enumerate(ctx.article.lines, start=1):
        if line.isascii():
            continue
        for match in _CANDIDATE.finditer(line):
            fixed = fix_for(match.group(0))
            if fixed is None:
                # a shorter prefix may be the real sequence (e.g. a 2-byte char followed by punctuation)
                for size in (3, 2):
                    fixed = fix_for(match.group(0)[:size])
                    if fixed:
                        break
            if fixed:
                yield ctx.diag(
                    number,
                    match.start() + 1,
                    "TXT003",
                    f"mojibake `{match.group(0)}` (UTF-8 read as Windows-1252)",
                    f"did you mean `{fixed}`?",
                )


RULES = (
    Rule(
        "TXT003",
        check,
        {"docs/article.md": "# GitOps\n\nIt\u00e2\u20ac\u2122s the practice of deploying from Git.\n"},
        {
            "docs/article.md": "# GitOps\n\nIt\u2019s the practice of deploying from Git. Caf\u00e9 and na\u00efve are fine.\n"
        },
    ),
)
