"""`range` and `highlight` values DocFX accepts without checking.

DocFX clamps a range past the end of the file, shows the whole file for a range
it cannot parse, and passes `highlight` through unvalidated, so a snippet that
shrank after an edit keeps "working" while showing or highlighting the wrong
lines. Highlight lines count from the first line shown, not from the file.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, resolver_diagnostics
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

CODES = frozenset({"RNG001", "RNG002", "RNG003", "RNG004"})
SOURCE = "name: my-endpoint\nauth_mode: key\ntraffic:\n  blue: 90\n  green: 10\n"


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return resolver_diagnostics(ctx, CODES)


def _docset(attributes: str) -> dict[str, str]:
    return {
        "docs/article.md": f'# Traffic\n\n:::code language="yaml" source="~/samples/endpoint.yml" {attributes}:::\n',
        "samples/endpoint.yml": SOURCE,
    }


RULES = (
    Rule("RNG001", check, _docset('range="3-five"'), _docset('range="3-5"')),
    Rule("RNG002", check, _docset('range="3-9"'), _docset('range="3-"')),
    Rule("RNG003", check, _docset('range="3-5" highlight="two"'), _docset('range="3-5" highlight="2"')),
    Rule("RNG004", check, _docset('range="3-5" highlight="5"'), _docset('range="3-5" highlight="2-3"')),
)
