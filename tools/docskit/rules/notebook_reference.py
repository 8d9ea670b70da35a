"""A notebook reference in a language other than Python: shown, but its code is not checked.

`[!notebook-python[]…]` cells are resolved, rendered and checked like any Python
snippet. A reference in another language (`[!notebook-r[]…]`) is resolved and
rendered too, but no rule reads its code; this information says so, so that an
author does not assume the cell was checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.rules.python_syntax import PYTHON_LANGUAGES
from docskit.snippets.notebooks import notebook_text as notebook


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for ref in ctx.article.notebooks:
        if ref.language not in PYTHON_LANGUAGES:
            yield ctx.diag(
                ref.line,
                ref.column,
                "NBK001",
                f"`notebook-{ref.language}` cells are shown but their code is not checked (only Python is)",
            )


RULES = (
    Rule(
        "NBK001",
        check,
        {
            "docs/article.md": "# Train\n\n[!notebook-r[](~/samples/train.ipynb?name=train)]\n",
            "samples/train.ipynb": notebook([("train", "model <- lm(y ~ x)\n")]),
        },
        {
            "docs/article.md": "# Train\n\n[!notebook-python[](~/samples/train.ipynb?name=train)]\n",
            "samples/train.ipynb": notebook([("train", "model.fit(X, y)\n")]),
        },
    ),
)
