"""Region markers that do not pair up: a region never closed, an end without a start, a start repeated.

DocFX shows nothing for an unclosed region, ignores a stray end marker, and renders
only the last of several starts with the same name, all without a warning. The
usual causes are an end marker with a misspelt name and an opener written where a
closer was meant; the hints say which line probably holds the mistake. Source
files are linted whether or not an article shows the broken region, because the
next article to use it will silently show the wrong thing. The end of an XML
element opened with attributes, as in C#'s standard file header
`// <copyright file="…" company="…">` … `// </copyright>`, is not reported:
DocFX's start pattern takes a bare name, so the header opens no region and its
end changes the page only when it sits inside a shown region.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, resolver_diagnostics
from docskit.analysis.docset import DocsetIndex
from docskit.catalog import lookup
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.markers import Family


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    # At a directive that selects such a region (the source itself is reported by the docset check).
    return resolver_diagnostics(ctx, frozenset({"REG003", "REG005"}))


def marker_text(family: Family, name: str, end: bool) -> str:
    template = family.end if end else family.start
    if "<" in template and "{tag}" in template:
        comment, _, rest = template.partition("<")
        return (
            f"{comment} <{rest.replace('{tag}', name)}".replace("> -->", ">-->")
            .replace("-->", " -->")
            .replace("*/", " */")
        )
    return template.replace("{tag}", " " + name)


def _column(line: str) -> int:
    return len(line) - len(line.lstrip()) + 1


def _element_starts(family: Family, lines: list[str]) -> dict[str, list[int]]:
    """Lines opening an XML element with attributes in the family's comment, by element name."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=1):
        if "=" in line:
            name = family.match_element_start(line)
            if name:
                found.setdefault(name, []).append(number)
    return found


def docset_check(index: DocsetIndex) -> Iterable[Diagnostic]:
    for entry in index.sources:
        for family in entry.families:
            regions = index.region_index(entry, family)
            lines = entry.file.lines
            starts = regions.start_markers
            unclosed = {r.name for r in regions.regions.values() if not r.closed}
            for region in regions.regions.values():
                for again in region.starts[1:]:
                    yield Diagnostic(
                        entry.display,
                        again,
                        _column(lines[again - 1]),
                        "REG005",
                        f"region `{region.spelled}` is opened again (first on line {region.starts[0]}); "
                        "DocFX shows only the last definition",
                        lookup("REG005").severity,
                        "give each region its own id",
                    )
                if region.closed:
                    continue
                hint = None
                stray = [(n, name) for n, name in regions.stray_ends if n > region.start]
                later = [(n, name) for n, name in starts if n > region.start and name in unclosed]
                if stray and (not later or stray[0][0] < later[0][0]):
                    n, name = stray[0]
                    hint = f"line {n} has `{marker_text(family, name, True)}`; did you mean `{marker_text(family, region.spelled, True)}`?"
                elif later:
                    n, name = later[0]
                    hint = (
                        f"line {n} opens `{name}` where a closer seems meant; "
                        f"did you mean `{marker_text(family, region.spelled, True)}`?"
                    )
                else:
                    hint = f"add `{marker_text(family, region.spelled, True)}` after the region's last line"
                yield Diagnostic(
                    entry.display,
                    region.start,
                    _column(lines[region.start - 1]),
                    "REG003",
                    f"region `{region.spelled}` is opened here and never closed; DocFX shows nothing for it",
                    lookup("REG003").severity,
                    hint,
                )
            headers = _element_starts(family, lines)
            for n, name in regions.stray_ends:
                if name and any(start < n for start in headers.get(name, ())):
                    # The end of an XML element opened with attributes (C#'s `// <copyright file=…>` header):
                    # DocFX ignores it, unless it sits inside a region, where it drops the line from the page.
                    holder = next(
                        (r for r in regions.regions.values() if r.closed and r.start < n < (r.end or 0)), None
                    )
                    if holder is not None:
                        yield Diagnostic(
                            entry.display,
                            n,
                            _column(lines[n - 1]),
                            "REG004",
                            f"`{lines[n - 1].strip()}` inside region `{holder.spelled}` reads as an end "
                            "marker to DocFX, which drops the line from the region it shows",
                            lookup("REG004").severity,
                            "move the element out of the region",
                        )
                    continue
                before = [r for r in regions.regions.values() if not r.closed and r.start < n]
                known = regions.regions.get(name)
                if before:
                    opened = max(before, key=lambda r: r.start)
                    hint = (
                        f"did you mean `{marker_text(family, opened.spelled, True)}` (opened on line {opened.start})?"
                    )
                elif known is not None and known.end is not None:
                    hint = f"`{known.spelled}` is already closed on line {known.end}"
                else:
                    hint = "remove it, or add the matching start marker"
                label = marker_text(family, name, True) if name else family.end
                yield Diagnostic(
                    entry.display,
                    n,
                    _column(lines[n - 1]),
                    "REG004",
                    f"end marker `{label}` closes no open region",
                    lookup("REG004").severity,
                    hint,
                )


ARTICLE = '# Check status\n\n:::code language="azurecli" source="~/samples/status.sh" id="check_status":::\n'
SHOW = '# Show a job\n\n:::code language="azurecli" source="~/samples/status.sh" id="show":::\n'
RULES = (
    Rule(
        "REG003",
        check,
        {
            "docs/article.md": ARTICLE,
            "samples/status.sh": "# <check_status>\naz ml job show --name $JOB --query status\n# </check_stat>\n",
        },
        {
            "docs/article.md": ARTICLE,
            "samples/status.sh": "# <check_status>\naz ml job show --name $JOB --query status\n# </check_status>\n",
        },
        docset_check=docset_check,
    ),
    Rule(
        "REG004",
        None,
        {"docs/article.md": SHOW, "samples/status.sh": "# <show>\naz ml job show --name $JOB\n# </show>\n# </show>\n"},
        {"docs/article.md": SHOW, "samples/status.sh": "# <show>\naz ml job show --name $JOB\n# </show>\n"},
        docset_check=docset_check,
    ),
    Rule(
        "REG005",
        check,
        {
            "docs/article.md": ARTICLE,
            "samples/status.sh": "# <check_status>\naz ml job show --name $A\n# </check_status>\n"
            "# <check_status>\naz ml job show --name $B\n# </check_status>\n",
        },
        {
            "docs/article.md": ARTICLE,
            "samples/status.sh": "# <check_status>\naz ml job show --name $A\n# </check_status>\n"
            "# <check_status_b>\naz ml job show --name $B\n# </check_status_b>\n",
        },
        docset_check=docset_check,
    ),
)
