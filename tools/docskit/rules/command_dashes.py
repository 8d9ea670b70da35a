"""An en or em dash where a command line needs `-` or `--`: `–-container`, `—name`, `–n`.

Word processors and some editors turn `--` into `—` and `-` into `–`. The text
still reads right, but a reader who copies `az storage blob upload –-container`
gets "unrecognized arguments" (or, for a positional, a wrong value), and neither
bash nor shellcheck sees anything wrong: a dash is just a character to them.
Every word of a shell snippet that starts with such a dash followed by a letter
is reported with the spelling the program expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

EN_DASH, EM_DASH = "\u2013", "\u2014"
# A word that starts with dashes, at least one of them typographic, then an option name.
_DASHED_WORD = re.compile(r"(?<![^\s\"'=(])(?P<dashes>[-\u2013\u2014]{1,3})(?P<name>[A-Za-z][\w-]*)")


def intended(dashes: str, name: str) -> str:
    """The option as the program spells it: an em dash, or two dashes of any kind, mean `--`."""
    if EM_DASH in dashes or len(dashes) >= 2 or len(name) > 1:
        return "--" + name
    return "-" + name


def _dash_names(dashes: str) -> str:
    kinds = [n for ch, n in ((EN_DASH, "an en dash (U+2013)"), (EM_DASH, "an em dash (U+2014)")) if ch in dashes]
    return " and ".join(kinds)


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet in ctx.snippets:
        if not snippet.is_shell or (EN_DASH not in snippet.text and EM_DASH not in snippet.text):
            continue
        for index, line in enumerate(snippet.lines):
            if line.lstrip().startswith("#"):
                continue
            for match in _DASHED_WORD.finditer(line):
                dashes = match.group("dashes")
                if EN_DASH not in dashes and EM_DASH not in dashes:
                    continue
                word, fixed = match.group(0), intended(dashes, match.group("name"))
                yield ctx.at_snippet(
                    snippet,
                    index,
                    "CMD003",
                    f"`{word}` starts with {_dash_names(dashes)} where the command needs `-`",
                    f"type `{fixed}`",
                    column=match.start(),
                )


_ARTICLE = "# Upload the model\n\n```azurecli\naz storage blob upload {dash}container models --name model.pkl --file model.pkl\n```\n"
RULES = (
    Rule(
        "CMD003",
        check,
        {"docs/article.md": _ARTICLE.format(dash="\u2013-")},
        {"docs/article.md": _ARTICLE.format(dash="--")},
    ),
)
