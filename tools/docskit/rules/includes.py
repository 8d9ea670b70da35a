"""`[!INCLUDE]` files that are missing, that include each other, or that nest deeper than Learn allows.

DocFX only warns about a missing include (`include-not-found`) and the page is
published without the text; a cycle (`circular-reference`) is an error. Learn
asks not to nest includes at all (`max_include_depth`, default 1). The whole
include tree of an article is walked; a finding is reported at the include line
of the file that holds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from docskit.analysis.context import ArticleContext
from docskit.analysis.docset import file_state
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.snippets.roots import inside


def include_target(holder: Path, target: str) -> Path:
    return Path(os.path.normpath(holder.parent / target.split("#")[0].split("?")[0]))


OUTSIDE_HINT = "include files must be inside the docset folder; copy the text into it"


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    if ctx.is_include:
        return
    limit = max(0, int(ctx.config.options.max_include_depth))
    docset = ctx.resolver.roots.docset
    seen_edges: set[tuple[Path, int]] = set()
    targets: dict[
        tuple[Path, str], Path
    ] = {}  # (holder, target as written) -> path: a page may include one file 10,000 times

    # Depth first with a stack of iterators, not recursion: a chain is as deep as the files make it.
    stack = [(ctx.path, ctx.display, iter(ctx.article.includes), [ctx.path])]
    while stack:
        holder, display, includes, chain = stack.pop()
        depth = len(chain)
        for include in includes:
            if (holder, include.line) in seen_edges:
                continue
            seen_edges.add((holder, include.line))
            target = targets.get((holder, include.target))
            if target is None:
                target = targets[(holder, include.target)] = include_target(holder, include.target)
            ctx.deps.add(target)
            if target in chain:
                cycle = " → ".join(ctx.memo.display(p) for p in [*chain[chain.index(target) :], target])
                yield ctx.diag(
                    include.line,
                    include.target_column,
                    "INC002",
                    f"include cycle: {cycle}",
                    "break the cycle; includes cannot contain themselves",
                    path=display,
                )
                continue
            state, near = _target_state(ctx, target, docset)
            if state == "outside":  # as written or through a symlink: never read, never listed
                yield ctx.diag(
                    include.line,
                    include.target_column,
                    "INC001",
                    f"include file `{include.target}` is outside the docset; it is not read",
                    OUTSIDE_HINT,
                    path=display,
                )
                continue
            if state != "file":
                yield ctx.diag(
                    include.line,
                    include.target_column,
                    "INC001",
                    f"include file `{include.target}` {_MISSING[state]}",
                    near,
                    path=display,
                )
                continue
            if depth > limit:
                yield ctx.diag(
                    include.line,
                    include.target_column,
                    "INC003",
                    f"`{include.target}` is included at depth {depth}; Learn allows {limit}",
                    "inline the nested include's text instead",
                    path=display,
                )
                continue
            ctx.included.append(target)
            parsed = ctx.memo.parsed(target)
            if parsed is not None and parsed.includes:
                stack.append((holder, display, includes, chain))  # resumed after the nested file
                stack.append((target, ctx.memo.display(target), iter(parsed.includes), [*chain, target]))
                break


def _target_state(ctx: ArticleContext, target: Path, docset: Path) -> tuple[str, str | None]:
    """("outside" | a `file_state`, a hint for a missing file), asked of the file system once per path and run."""

    def compute() -> tuple[str, str | None]:
        if inside(docset, target) is None:
            return "outside", None
        state = file_state(target)
        return state, (_near(target) if state == "missing" else None)

    return ctx.memo.once(("INC001", target, docset), compute)


_MISSING = {
    "missing": "does not exist",
    "folder": "is a folder, not a file",
    "too-long": "has a name too long for the file system",
    "unreadable": "is not a readable file",
}


def _near(target: Path) -> str | None:
    """A close name in the target's folder (which the caller has checked is inside the docset)."""
    import difflib

    folder = target.parent
    try:
        if not folder.is_dir():
            return f"folder `{folder.name}` does not exist either"
        names = [p.name for p in folder.iterdir() if p.suffix == ".md"]
    except (OSError, ValueError):
        return None
    close = difflib.get_close_matches(target.name, names, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


_ARTICLE = "# Rollout\n\n[!INCLUDE [prerequisites](includes/prerequisites.md)]\n"
RULES = (
    Rule(
        "INC001",
        check,
        {"docs/article.md": _ARTICLE, "docs/includes/prerequisite.md": "You need a workspace.\n"},
        {"docs/article.md": _ARTICLE, "docs/includes/prerequisites.md": "You need a workspace.\n"},
    ),
    Rule(
        "INC002",
        check,
        {"docs/article.md": _ARTICLE, "docs/includes/prerequisites.md": "[!INCLUDE [self](prerequisites.md)]\n"},
        {"docs/article.md": _ARTICLE, "docs/includes/prerequisites.md": "You need a workspace.\n"},
        options={"max_include_depth": 3},
    ),
    Rule(
        "INC003",
        check,
        {
            "docs/article.md": _ARTICLE,
            "docs/includes/prerequisites.md": "[!INCLUDE [cli](cli.md)]\n",
            "docs/includes/cli.md": "Install the Azure CLI.\n",
        },
        {"docs/article.md": _ARTICLE, "docs/includes/prerequisites.md": "Install the Azure CLI.\n"},
    ),
)
