"""An `id` that selects nothing, or selects it only by accident.

DocFX renders an empty block (or a "try range instead" warning) when the region is
missing, and finds regions written in another comment style only for file types
it does not know. The hint names the closest existing ids, because a missing id
is nearly always a typo or a renamed region.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, resolver_diagnostics
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

CODES = frozenset({"REG001", "REG002", "REG006", "REG008"})


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return resolver_diagnostics(ctx, CODES)


def _docset(region: str, source: str, name: str = "deploy.sh") -> dict[str, str]:
    return {
        "docs/article.md": f'# Deploy\n\n:::code language="azurecli" source="~/samples/{name}" id="{region}":::\n',
        f"samples/{name}": source,
    }


SOURCE = "# <create_group>\naz group create --name demo --location westeurope\n# </create_group>\n"
RULES = (
    Rule("REG001", check, _docset("create_grp", SOURCE), _docset("create_group", SOURCE)),
    Rule(
        "REG002",
        check,
        _docset("create_group", "// <create_group>\naz group create --name demo\n// </create_group>\n"),
        _docset("create_group", SOURCE),
    ),
    Rule(
        "REG006",
        check,
        _docset("create_group", "# <create_group>\n\n# </create_group>\n"),
        _docset("create_group", SOURCE),
    ),
    Rule(
        "REG008",
        check,
        _docset(
            "create_group",
            "# <create_group>\nname: a\n# </create_group>\n// <create_group>\nname: b\n// </create_group>\n",
            "deploy.tf",
        ),
        _docset("create_group", "# <create_group>\nname: a\n# </create_group>\n", "deploy.tf"),
    ),
)
