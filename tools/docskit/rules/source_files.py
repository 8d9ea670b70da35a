"""A `source` that cannot be shown: missing, outside its root, unknown root, binary, not UTF-8.

DocFX renders a "could not be found" box or nothing at all and only warns; a
published page with a missing sample is a broken page, so these are errors. A
path that leaves its root is refused and never read: the checker runs on pull
requests, and a pull request must not make it read files outside the docset.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, resolver_diagnostics
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

CODES = frozenset({"SRC001", "SRC002", "SRC003", "SRC004", "SRC005"})
SOURCE = "# <create>\naz group create --name demo --location westeurope\n# </create>\n"


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    return resolver_diagnostics(ctx, CODES)


def _docset(source: str, files: dict[str, str] | None = None) -> dict[str, str]:
    found = {
        "docs/article.md": f'# Deploy\n\n:::code language="azurecli" source="{source}" id="create":::\n',
        "samples/deploy.sh": SOURCE,
    }
    found.update(files or {})
    return found


GOOD = _docset("~/samples/deploy.sh")
RULES = (
    Rule("SRC001", check, _docset("~/samples/deploy-app.sh"), GOOD),
    Rule("SRC002", check, _docset("~/samples/../../etc/passwd"), GOOD),
    Rule("SRC003", check, _docset("~/samples/tool.sh", {"samples/tool.sh": "\x00\x01binary\x00"}), GOOD),
    Rule("SRC004", check, _docset("~/samples/latin1.sh", {"samples/latin1.sh": "latin-1:\udce9\n"}), GOOD),
    Rule("SRC005", check, _docset("~/azure-samples/deploy.sh"), GOOD),
)
