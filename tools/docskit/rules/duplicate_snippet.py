"""Two steps of one article that show the same code: one step is a copy of another.

A step is a `:::code` directive or a fenced shell block: a command shown by a
directive and then typed again in a fence is run twice. Tabs of one tab group
are alternatives (the CLI tab and the ARM-template tab may show the same
command), and so are tabs of two groups that Learn keeps in step by tab id; the
same code in two tabs a reader never sees together is no duplicate.

Shell snippets are compared as commands, after normalising whitespace, quoting,
`${VAR}` versus `$VAR`, and flag spellings: `--f` is read as `-f`, and a
configured normaliser for the program (`command_normalizers`, e.g. the `az`
command table) maps `-f`, `--file` and `--file=` to one form. So the seed's
"test green" step, a copy of the 10% traffic step with `--f` for `-f`, is found.
Other snippets are compared as text with whitespace normalised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from docskit.check.commands import simple_commands
from docskit.check.context import ArticleContext, Snippet
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

_BRACED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DOUBLE_DASH_LETTER = re.compile(r"^--([A-Za-z])$")


def _generic(argv: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for word in argv:
        if word.startswith("--") and "=" in word:
            out.extend(word.split("=", 1))
        else:
            out.append(word)
    return tuple(out)


def normalized(ctx: ArticleContext, snippet: Snippet) -> tuple | None:
    if not snippet.text.strip():
        return None
    if not snippet.is_shell:
        return ("text", " ".join(snippet.text.split()))
    commands = []
    for command in simple_commands(snippet.text):
        argv = [_DOUBLE_DASH_LETTER.sub(r"-\1", _BRACED.sub(r"$\1", w)) for w in command.argv]
        argv[0] = os.path.basename(argv[0])
        normalizer = ctx.memo.plugins.get("normalizer", argv[0])
        try:
            commands.append((argv[0], *normalizer(argv)) if normalizer else _generic(argv))
        except Exception:  # a project's normaliser failing falls back to the generic form
            commands.append(_generic(argv))
    return ("shell", tuple(commands)) if commands else None


def _label(snippet: Snippet) -> str:
    directive = snippet.directive
    if directive is not None and directive.id:
        return f"`id=\"{directive.id}\"`"
    if snippet.source_name:
        return f"`{snippet.source_name}`"
    return "the fenced block" if snippet.fence is not None else "the snippet"


Signature = tuple[frozenset[str], str] | None  # (tab ids of the group, tab id) of a step; None outside tabs


def _signatures(ctx: ArticleContext, lines: list[int]) -> list[Signature]:
    """The tab signature of each article line (sorted or not), by binary search over the groups and their tabs."""
    import bisect

    groups = ctx.article.tab_groups
    starts = [group.line for group in groups]
    ids = [frozenset(tab.tab_id for tab in group.tabs) for group in groups]
    tab_lines = [[tab.line for tab in group.tabs] for group in groups]
    found: list[Signature] = []
    for line in lines:
        signature = None
        at = bisect.bisect_right(starts, line) - 1
        if at >= 0 and line <= groups[at].end_line:
            tab = bisect.bisect_right(tab_lines[at], line) - 1
            if tab >= 0:
                signature = (ids[at], groups[at].tabs[tab].tab_id)
        found.append(signature)
    return found


def _on_one_path(a: Signature, b: Signature) -> bool:
    """Whether a reader can run both steps: tabs of one group are alternatives, as are synced tabs of two groups.

    Learn keeps one tab id selected page-wide, so two tabs exclude each other when each
    group offers both ids; within one group that is always so.
    """
    if a is None or b is None or a[1] == b[1]:
        return True
    return not (b[1] in a[0] and a[1] in b[0])


def _steps(ctx: ArticleContext) -> list[Snippet]:
    """What a reader runs or reads as a step: every directive, and every fenced shell block."""
    return [s for s in ctx.snippets if s.resolved is not None or (s.fence is not None and s.is_shell)]


LISTED = 3  # copies named in one finding; the rest are counted


def _duplicates(members: list[Snippet], signatures: list[Signature]) -> Iterable[tuple[Snippet, list[Snippet], int]]:
    """(step, the first copies a reader of it also runs, how many such copies in all) for each step of one group.

    Linear in the copies for a given number of distinct tab signatures: steps are bucketed
    by signature, and what a step sees is worked out once per signature.
    """
    buckets: dict[Signature, list[Snippet]] = {}
    for member, signature in zip(members, signatures):
        buckets.setdefault(signature, []).append(member)
    seen: dict[Signature, tuple[list[Snippet], int]] = {}
    for member, signature in zip(members, signatures):
        if signature not in seen:
            first: list[Snippet] = []
            total = 0
            for other, bucket in buckets.items():
                if _on_one_path(signature, other):
                    total += len(bucket)
                    first.extend(bucket[:LISTED + 1])
            first.sort(key=lambda s: (s.line, s.column))
            seen[signature] = (first, total)
        first, total = seen[signature]
        others = [o for o in first if o is not member][:LISTED]
        if others:
            yield member, others, total - 1


def message(snippet: Snippet, others: list[Snippet], count: int) -> str:
    """`step` shows the same code as the first copies, and how many more there are."""
    listed = ", ".join(f"{_label(o)} on line {o.line}" for o in others)
    more = count - len(others)
    return f"{_label(snippet)} shows the same code as {listed}" + (f" and {more} more" if more > 0 else "")


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    groups: dict[tuple, list[Snippet]] = {}
    for snippet in _steps(ctx):
        key = ctx.memo.once(("DUP001", snippet.text, snippet.is_shell), lambda: normalized(ctx, snippet))
        if key is not None:
            groups.setdefault(key, []).append(snippet)
    for members in groups.values():
        if len(members) < 2:
            continue
        signatures = _signatures(ctx, [m.line for m in members])
        for snippet, others, count in _duplicates(members, signatures):
            yield ctx.diag(snippet.line, snippet.column, "DUP001", message(snippet, others, count),
                           "show each step once; a step that only looks alike must differ in what it runs")


_ARTICLE = ('# Rollout\n\n:::code language="azurecli" source="~/samples/rollout.sh" id="test_green":::\n\n'
            ':::code language="azurecli" source="~/samples/rollout.sh" id="green_10pct":::\n')
RULES = (
    Rule("DUP001", check,
         {"docs/article.md": _ARTICLE,
          "samples/rollout.sh": "# <test_green>\naz ml online-endpoint update -n $E --f endpoint.yml\n# </test_green>\n"
                                "# <green_10pct>\naz ml online-endpoint update -n \"${E}\" -f endpoint.yml\n# </green_10pct>\n"},
         {"docs/article.md": _ARTICLE,
          "samples/rollout.sh": "# <test_green>\naz ml online-endpoint invoke -n $E --deployment-name green\n# </test_green>\n"
                                "# <green_10pct>\naz ml online-endpoint update -n \"${E}\" -f endpoint.yml\n# </green_10pct>\n"}),
)
