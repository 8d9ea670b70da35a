"""A notebook reference that does not select exactly one cell.

DocFX selects the cell whose metadata `name` equals the reference's `name=`,
exactly (case matters), among all cells. When no cell has it (`tag-not-found`)
or several do (`mutiple-tags-with-same-name`: DocFX picks none, not the first),
the page shows an empty code block; a reference without a name shows the whole
notebook as raw JSON. Each is an error of the published page.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.notebooks import notebook_text as notebook

CODES = frozenset({"NBK004", "NBK005", "NBK006"})


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet in ctx.snippets:
        if snippet.cell is not None:
            yield from (d for d in snippet.cell.diagnostics if d.code in CODES)


def _article(target: str) -> str:
    return f"# Compute\n\n[!notebook-python[](~/samples/compute.ipynb{target})]\n"


_CELLS = [
    ("ml_client", "ml_client = MLClient(credential, subscription_id, resource_group, workspace)\n"),
    ("cluster_basic", 'cluster = AmlCompute(name="cpu-cluster", size="STANDARD_DS3_v2")\n'),
]
GOOD = {"docs/article.md": _article("?name=cluster_basic"), "samples/compute.ipynb": notebook(_CELLS)}
RULES = (
    Rule(
        "NBK004",
        check,
        {"docs/article.md": _article("?name=cluster-basic"), "samples/compute.ipynb": notebook(_CELLS)},
        GOOD,
    ),
    Rule(
        "NBK005",
        check,
        {
            "docs/article.md": _article("?name=cluster_basic"),
            "samples/compute.ipynb": notebook(
                [*_CELLS, ("cluster_basic", "ml_client.begin_create_or_update(cluster)\n")]
            ),
        },
        GOOD,
    ),
    Rule("NBK006", check, {"docs/article.md": _article(""), "samples/compute.ipynb": notebook(_CELLS)}, GOOD),
)
