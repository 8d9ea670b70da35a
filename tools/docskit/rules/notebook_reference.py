"""`[!notebook-python[](…)]` references: recognised, not resolved yet.

Reported as information so that an author knows these cells are not checked
(and not rendered by the site) rather than assuming they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.check.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for ref in ctx.article.notebooks:
        yield ctx.diag(ref.line, ref.column, "NBK001", f"notebook reference `{ref.target}` is not checked or rendered")


RULES = (
    Rule("NBK001", check,
         {"docs/article.md": "# Train\n\n[!notebook-python[](~/samples/train.ipynb?name=train)]\n"},
         {"docs/article.md": "# Train\n\n:::code language=\"python\" source=\"~/samples/train.py\" id=\"train\":::\n",
          "samples/train.py": "# <train>\nmodel.fit(X, y)\n# </train>\n"}),
)
