"""Relative links and images whose file is missing, and `#anchors` that match no heading.

Link checkers skip fragments by default, and a heading renamed in one page
silently breaks every `#anchor` pointing at it. Anchors are looked up in the
target page and in the files it includes, since an included heading is part of
the rendered page. Absolute URLs and site-absolute paths (`/azure/…`) are left to
a web link checker; placeholder targets are the placeholder rule's business.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from docskit.analysis.context import ArticleContext
from docskit.analysis.docset import file_state
from docskit.diagnostics import Diagnostic
from docskit.learn import anchors_of
from docskit.rules.base import Rule
from docskit.snippets.roots import inside

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _page_anchors(ctx: ArticleContext, path: Path, docset: Path) -> set[str] | None:
    if path == ctx.path:
        anchors = set(anchors_of(ctx.article))
        includes = ctx.article.includes
    else:
        found = ctx.memo.anchors(path)
        if found is None:
            return None
        anchors = set(found)
        parsed = ctx.memo.parsed(path) if "[!INCLUDE" in ctx.memo.read(path).text else None
        includes = parsed.includes if parsed is not None else []
    for include in includes:
        target = Path(os.path.normpath(path.parent / include.target))
        if inside(docset, target) is not None and file_state(target) == "file":
            found = ctx.memo.anchors(target)
            anchors |= found or set()
            ctx.deps.add(target)
    return anchors


def _target_state(ctx: ArticleContext, path: Path, docset: Path) -> tuple[str, str | None]:
    """("outside" | a `file_state`, a "did you mean" hint for a missing file), once per path and run.

    A page may link the same file thousands of times; the file system is asked once.
    """

    def compute() -> tuple[str, str | None]:
        if inside(docset, path) is None:
            return "outside", None
        state = file_state(path)
        return state, (_near(path) if state == "missing" else None)

    return ctx.memo.once(("LNK001", path, docset), compute)


def _anchor_hint(ctx: ArticleContext, path: Path, anchor: str, anchors: set[str]) -> str | None:
    """The closest anchor of the page, once per (page, anchor): a broken anchor is often repeated."""

    def compute() -> str | None:
        import difflib

        close = difflib.get_close_matches(anchor.lower(), sorted(anchors), n=1, cutoff=0.6)
        return f"did you mean `#{close[0]}`?" if close else None

    return ctx.memo.once(("LNK002", ctx.path, path, anchor), compute)


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    words = {w.lower() for w in ctx.config.options.placeholder_words}
    docset = ctx.resolver.roots.docset
    targets: dict[str, tuple[str, str, Path]] = {}  # link target as written -> (file part, anchor, path)
    page_anchors: dict[Path, set[str] | None] = {}  # this article's view of each page (it includes the page's includes)
    for link in ctx.article.links:
        target = link.target.strip()
        if not target or _SCHEME.match(target) or target.startswith(("/", "//", "~/")) or target.lower() in words:
            continue
        split = targets.get(target)
        if split is None:
            file_part, _, anchor = target.partition("#")
            file_part = unquote(file_part.split("?")[0])
            path = Path(os.path.normpath(ctx.path.parent / file_part)) if file_part else ctx.path
            split = targets[target] = (file_part, anchor, path)
        file_part, anchor, path = split
        state = "file"
        if file_part:
            ctx.deps.add(path)
            kind = "image" if link.image else "link target"
            state, near = _target_state(ctx, path, docset)
            if state == "outside":  # as written or through a symlink: never read, never listed
                yield ctx.diag(
                    link.line,
                    link.target_column,
                    "LNK001",
                    f"{kind} `{file_part}` is outside the docset",
                    "link to the published page's URL instead; files outside the docset are not published",
                )
                continue
            if state in _MISSING:
                yield ctx.diag(link.line, link.target_column, "LNK001", f"{kind} `{file_part}` {_MISSING[state]}", near)
                continue
        if not anchor or state != "file" or path.suffix.lower() not in (".md", ".markdown", ""):
            continue
        if path not in page_anchors:
            page_anchors[path] = _page_anchors(ctx, path, docset)
        anchors = page_anchors[path]
        if anchors is not None and anchor not in anchors and anchor.lower() not in anchors:
            where = "this page" if path == ctx.path else f"`{file_part}`"
            yield ctx.diag(
                link.line,
                link.target_column + len(file_part),
                "LNK002",
                f"`#{anchor}` matches no heading of {where}",
                _anchor_hint(ctx, path, anchor, anchors),
            )


_MISSING = {"missing": "does not exist", "too-long": "has a name too long for the file system"}


def _near(path: Path) -> str | None:
    """A close name in the target's folder (which the caller has checked is inside the docset)."""
    import difflib

    folder = path.parent
    try:
        if not folder.is_dir():
            return None
        names = [p.name for p in folder.iterdir()]
    except (OSError, ValueError):
        return None
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


RULES = (
    Rule(
        "LNK001",
        check,
        {
            "docs/article.md": "# Deploy\n\nFirst [create a workspace](how-to-manage-workspaces.md).\n",
            "docs/how-to-manage-workspace.md": "# Manage workspaces\n",
        },
        {
            "docs/article.md": "# Deploy\n\nFirst [create a workspace](how-to-manage-workspace.md).\n",
            "docs/how-to-manage-workspace.md": "# Manage workspaces\n",
        },
    ),
    Rule(
        "LNK002",
        check,
        {"docs/article.md": "# Deploy\n\nSee [the prerequisites](#prerequisite).\n\n## Prerequisites\n"},
        {"docs/article.md": "# Deploy\n\nSee [the prerequisites](#prerequisites).\n\n## Prerequisites\n"},
    ),
)
