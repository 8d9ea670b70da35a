"""Two regions of one source file with the same code: one of them is a copy that will drift.

Typical cause: a step copied to start the next one and never edited (the seed's
`test_green` began that way). Whitespace and marker lines are ignored when
comparing; a region that merely wraps another one is not a copy.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.docset import DocsetIndex
from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def docset_check(index: DocsetIndex) -> Iterable[Diagnostic]:
    for entry in index.sources:
        lines = entry.file.lines
        for family in entry.families:
            regions = index.region_index(entry, family)
            seen: dict[str, list] = {}
            for region in sorted(regions.regions.values(), key=lambda r: r.start):
                if not region.closed:
                    continue
                body = "\n".join(
                    " ".join(lines[i].split())
                    for i in region.body
                    if i not in regions.marker_lines and lines[i].strip()
                )
                if not body:
                    continue
                for other in seen.get(body, []):
                    nested = (other.start <= region.start and region.end <= other.end) or (
                        region.start <= other.start and other.end <= region.end
                    )
                    if not nested:
                        line = lines[region.start - 1]
                        yield Diagnostic(
                            entry.display,
                            region.start,
                            len(line) - len(line.lstrip()) + 1,
                            "DUP002",
                            f"region `{region.spelled}` has the same code as region `{other.spelled}` "
                            f"(line {other.start})",
                            lookup("DUP002").severity,
                            "make one of them the step it is meant to be, or show one region twice",
                        )
                        break
                seen.setdefault(body, []).append(region)


ARTICLE = '# Rollout\n\n:::code language="azurecli" source="~/samples/rollout.sh" id="green_10pct":::\n'
RULES = (
    Rule(
        "DUP002",
        None,
        {
            "docs/article.md": ARTICLE,
            "samples/rollout.sh": '# <test_green>\naz ml online-endpoint update --name $E --traffic "blue=90 green=10"\n# </test_green>\n\n'
            '# <green_10pct>\naz ml online-endpoint update --name $E --traffic "blue=90 green=10"\n# </green_10pct>\n',
        },
        {
            "docs/article.md": ARTICLE,
            "samples/rollout.sh": "# <test_green>\naz ml online-endpoint invoke --name $E --deployment-name green --request-file req.json\n# </test_green>\n\n"
            '# <green_10pct>\naz ml online-endpoint update --name $E --traffic "blue=90 green=10"\n# </green_10pct>\n',
        },
        docset_check=docset_check,
    ),
)
