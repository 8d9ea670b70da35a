"""`:::code` syntax DocFX rejects: a directive it cannot read renders nothing, or an error box.

DocFX reports these as `invalid-code`; they are errors because the published page
loses the snippet. `id` together with `range` is a warning: DocFX shows the region
and silently ignores `range`, so the author's intent is lost without a word.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, resolver_diagnostics
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

CODES = frozenset({"DIR001", "DIR002", "DIR003", "DIR004", "DIR005", "DIR006"})
SCRIPT = "samples/deploy.sh"
SOURCE = "# <create>\naz group create --name demo --location westeurope\n# </create>\n"


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    yield from (d for d in ctx.article.syntax_problems if d.code in CODES)
    yield from resolver_diagnostics(ctx, frozenset({"DIR006"}))


def _docset(directive: str) -> dict[str, str]:
    return {"docs/article.md": f"# Deploy\n\n{directive}\n", SCRIPT: SOURCE}


GOOD = _docset(':::code language="azurecli" source="~/samples/deploy.sh" id="create":::')
RULES = (
    Rule(
        "DIR001",
        check,
        _docset(':::code language="azurecli" source="~/samples/deploy.sh" id="create" title="Create":::'),
        GOOD,
    ),
    Rule(
        "DIR002",
        check,
        _docset(':::code language="azurecli" source="~/samples/deploy.sh" id="create" id="create":::'),
        GOOD,
    ),
    Rule("DIR003", check, _docset(':::code language="azurecli" id="create":::'), GOOD),
    Rule("DIR004", check, _docset(':::code language=azurecli source="~/samples/deploy.sh" id="create":::'), GOOD),
    Rule(
        "DIR005",
        check,
        _docset(':::code language="azurecli" source="~/samples/deploy.sh" id="create" range="2":::'),
        GOOD,
    ),
    Rule("DIR006", check, _docset(':::code language="azcli" source="~/samples/deploy.sh" id="create":::'), GOOD),
)
