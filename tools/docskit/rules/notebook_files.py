"""A notebook reference whose notebook cannot be read: missing, or not a Jupyter notebook.

DocFX shows a "could not be found" box for a missing notebook and an empty code
block for a file that is not JSON (`not-notebook-content`); either way the page
loses its code, so both are errors. The path is resolved as a `:::code` source
is: a path that leaves its root (SRC002) or names an unknown root (SRC005) is
refused and never read, and reported with those codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.notebooks import notebook_text as notebook

CODES = frozenset({"NBK002", "NBK003", "SRC002", "SRC005"})


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet in ctx.snippets:
        if snippet.cell is not None:
            yield from (d for d in snippet.cell.diagnostics if d.code in CODES)


_ARTICLE = "# Compute\n\n[!notebook-python[](~/samples/compute.ipynb?name=cluster_basic)]\n"
_NOTEBOOK = notebook([("cluster_basic", 'cluster = AmlCompute(name="cpu-cluster", size="STANDARD_DS3_v2")\n')])
GOOD = {"docs/article.md": _ARTICLE, "samples/compute.ipynb": _NOTEBOOK}
RULES = (
    Rule("NBK002", check, {"docs/article.md": _ARTICLE, "samples/compute-cluster.ipynb": _NOTEBOOK}, GOOD),
    Rule(
        "NBK003",
        check,
        {"docs/article.md": _ARTICLE, "samples/compute.ipynb": _NOTEBOOK.replace('"cells": [', '"cells": [,', 1)},
        GOOD,
    ),
)
