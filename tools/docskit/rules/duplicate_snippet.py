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
A command that reads a file (a path option the normaliser reports, such as
`az … -f create-cluster.yml`) is the same step only when the file is the same: the
article often shows the file right after the command, and shows a different one
the second time.
Other snippets are compared as text with whitespace normalised.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Iterable

from docskit.analysis.commands import simple_commands
from docskit.analysis.context import ArticleContext, Snippet
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.roots import inside
from docskit.sourcefile import text_digest

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


# A shell snippet this long is no step a reader runs by hand (an unclosed fence swallows the rest of its
# page): it is compared as text, so reading it costs linear time, not a shell parse of every line.
MAX_PARSED_LINES = 2000
MAX_COMPARED_CHARS = 1_000_000  # past this, whitespace no longer counts as equal: no reader retypes such a snippet


def normalized(ctx: ArticleContext, snippet: Snippet) -> tuple[tuple | None, tuple[str, ...]]:
    """(what the step runs, in a form to compare; the files its commands read, as written).

    The files come from the program's configured normaliser (the `az` table knows its
    path options); without one, no file is known and the command line alone compares.
    """
    if not snippet.text.strip():
        return None, ()
    if len(snippet.text) > MAX_COMPARED_CHARS:  # compared as it is: a digest, not millions of words
        return ("digest", text_digest(snippet.text)), ()
    if not snippet.is_shell or snippet.text.count("\n") >= MAX_PARSED_LINES:
        return ("text", " ".join(snippet.text.split())), ()
    commands = []
    files: list[str] = []
    for command in simple_commands(snippet.text):
        argv = [_DOUBLE_DASH_LETTER.sub(r"-\1", _BRACED.sub(r"$\1", w)) for w in command.argv]
        argv[0] = os.path.basename(argv[0])
        normalizer = ctx.memo.plugins.get("normalizer", argv[0])
        try:
            form = normalizer(argv) if normalizer else None
        except Exception:  # noqa: BLE001 - a project's normaliser failing falls back to the generic form
            form = None
        if form is None:
            commands.append(_generic(argv))
        else:
            commands.append((argv[0], *form))
            files.extend(str(name) for name in getattr(form, "files", ()))
    return (("shell", tuple(commands)) if commands else None), tuple(files)


SHOWN_FILE_WINDOW = 6  # article lines between a command and the snippet that shows the file it reads


def _file_content(ctx: ArticleContext, snippet: Snippet, after: Snippet | None, name: str) -> tuple:
    """What a file read by a step holds, as far as the article tells: the same command line
    run on different content is a different step.

    The snippet shown right after the step, when it is that file (a `:::code` of a file of
    that name, or a block the prose in between introduces by the file's name); else the
    file itself next to the script the step comes from; else only its name is known.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    end = snippet.fence.end_line if snippet.fence is not None else snippet.line
    if after is not None and not after.is_shell and base and after.line - end <= SHOWN_FILE_WINDOW:
        between = "\n".join(ctx.article.lines[end : after.line - 1])
        source = after.source_name.rsplit("/", 1)[-1]
        if source == base or base in between:
            return ("shown", " ".join(after.text.split()))
    resolved = snippet.resolved
    if snippet.cwd is not None and resolved is not None and resolved.source is not None and "$" not in name:
        path = inside(resolved.source.root, snippet.cwd / name)
        if path is not None:
            file = ctx.memo.read(path)
            if file.ok:
                return ("file", hashlib.sha256(file.text.encode("utf-8", "surrogateescape")).hexdigest())
    return ("name", name)


def _label(snippet: Snippet) -> str:
    directive = snippet.directive
    if directive is not None and directive.id:
        return f'`id="{directive.id}"`'
    if snippet.source_name:
        return f"`{snippet.source_name}`"
    return "the fenced block" if snippet.fence is not None else "the snippet"


Signature = tuple[frozenset[str], str] | None  # (tab ids of the group, tab id) of a step; None outside tabs


def _signatures(ctx: ArticleContext, lines: list[int]) -> list[Signature]:
    """The tab signature of each article line (sorted or not), by binary search over the groups and their tabs."""
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
    for member, signature in zip(members, signatures, strict=True):
        buckets.setdefault(signature, []).append(member)
    seen: dict[Signature, tuple[list[Snippet], int]] = {}
    for member, signature in zip(members, signatures, strict=True):
        if signature not in seen:
            first: list[Snippet] = []
            total = 0
            for other, bucket in buckets.items():
                if _on_one_path(signature, other):
                    total += len(bucket)
                    first.extend(bucket[: LISTED + 1])
            first.sort(key=lambda s: (s.line, s.column))
            seen[signature] = (first, total)
        first, total = seen[signature]
        others = [o for o in first if o is not member][:LISTED]
        if others:
            yield member, others, total - 1


def message(label: str, listed: str, more: int) -> str:
    """The step (`label`) shows the same code as the `listed` first copies, and `more` copies besides."""
    return f"{label} shows the same code as {listed}" + (f" and {more} more" if more > 0 else "")


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    groups: dict[tuple, list[Snippet]] = {}
    following = {id(a): b for a, b in zip(ctx.snippets, ctx.snippets[1:], strict=False)}
    for snippet in _steps(ctx):
        key, files = ctx.memo.once(("DUP001", snippet.text, snippet.is_shell), normalized, ctx, snippet)
        if key is None:
            continue
        if files:
            after = following.get(id(snippet))
            key = (key, tuple(_file_content(ctx, snippet, after, name) for name in files))
        groups.setdefault(key, []).append(snippet)
    listings: dict[tuple[int, ...], str] = {}  # most steps of a large group list the same first copies
    for members in groups.values():
        if len(members) < 2:
            continue
        signatures = _signatures(ctx, [m.line for m in members])
        for snippet, others, count in _duplicates(members, signatures):
            shown = tuple(id(o) for o in others)
            listed = listings.get(shown)
            if listed is None:
                listed = listings[shown] = ", ".join(f"{_label(o)} on line {o.line}" for o in others)
            yield ctx.diag(
                snippet.line,
                snippet.column,
                "DUP001",
                message(_label(snippet), listed, count - len(others)),
                "show each step once; a step that only looks alike must differ in what it runs",
            )


_ARTICLE = (
    '# Rollout\n\n:::code language="azurecli" source="~/samples/rollout.sh" id="test_green":::\n\n'
    ':::code language="azurecli" source="~/samples/rollout.sh" id="green_10pct":::\n'
)
RULES = (
    Rule(
        "DUP001",
        check,
        {
            "docs/article.md": _ARTICLE,
            "samples/rollout.sh": "# <test_green>\naz ml online-endpoint update -n $E --f endpoint.yml\n# </test_green>\n"
            '# <green_10pct>\naz ml online-endpoint update -n "${E}" -f endpoint.yml\n# </green_10pct>\n',
        },
        {
            "docs/article.md": _ARTICLE,
            "samples/rollout.sh": "# <test_green>\naz ml online-endpoint invoke -n $E --deployment-name green\n# </test_green>\n"
            '# <green_10pct>\naz ml online-endpoint update -n "${E}" -f endpoint.yml\n# </green_10pct>\n',
        },
    ),
)
