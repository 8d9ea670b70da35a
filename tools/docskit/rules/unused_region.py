"""A region that no article shows: dead sample code, or an article that lost its snippet.

Learn has no report of orphaned snippets (Microsoft runs a separate internal tool
for it). Reported as information over the whole docset: a region may exist for a
page in another repository, so it never fails a run. Only sources under a root
the run's articles use are considered.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.docset import DocsetIndex
from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def docset_check(index: DocsetIndex) -> Iterable[Diagnostic]:
    if index.used is None:
        return
    for entry in index.sources:
        used = index.used.get(entry.path, set())
        for family in entry.families:
            for region in index.region_index(entry, family).regions.values():
                if region.name in used:
                    continue
                line = entry.file.lines[region.start - 1]
                yield Diagnostic(
                    entry.display,
                    region.start,
                    len(line) - len(line.lstrip()) + 1,
                    "REG007",
                    f"region `{region.spelled}` is shown by no article",
                    lookup("REG007").severity,
                )


SOURCE = "# <create>\naz group create --name demo\n# </create>\n\n# <delete>\naz group delete --name demo --yes\n# </delete>\n"
RULES = (
    Rule(
        "REG007",
        None,
        {
            "docs/article.md": '# Demo\n\n:::code language="azurecli" source="~/samples/demo.sh" id="create":::\n',
            "samples/demo.sh": SOURCE,
        },
        {
            "docs/article.md": '# Demo\n\n:::code language="azurecli" source="~/samples/demo.sh" id="create":::\n\n'
            ':::code language="azurecli" source="~/samples/demo.sh" id="delete":::\n',
            "samples/demo.sh": SOURCE,
        },
        docset_check=docset_check,
    ),
)
