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

from docskit.check.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.learn import anchors_of
from docskit.rules.base import Rule

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _page_anchors(ctx: ArticleContext, path: Path) -> set[str] | None:
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
        if target.is_file():
            found = ctx.memo.anchors(target)
            anchors |= found or set()
            ctx.deps.add(target)
    return anchors


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    words = {w.lower() for w in ctx.config.options.placeholder_words}
    docset = ctx.resolver.roots.docset
    for link in ctx.article.links:
        target = link.target.strip()
        if not target or _SCHEME.match(target) or target.startswith(("/", "//", "~/")) or target.lower() in words:
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part.split("?")[0])
        path = Path(os.path.normpath(ctx.path.parent / file_part)) if file_part else ctx.path
        if file_part:
            ctx.deps.add(path)
            if not path.exists():
                kind = "image" if link.image else "link target"
                yield ctx.diag(link.line, link.target_column, "LNK001", f"{kind} `{file_part}` does not exist", _near(path))
                continue
        if not anchor or path.suffix.lower() not in (".md", ".markdown", "") or path.is_dir():
            continue
        if path != ctx.path and docset != path and docset not in path.parents:
            continue
        anchors = _page_anchors(ctx, path)
        if anchors is not None and anchor not in anchors and anchor.lower() not in anchors:
            import difflib

            close = difflib.get_close_matches(anchor.lower(), sorted(anchors), n=1, cutoff=0.6)
            where = "this page" if path == ctx.path else f"`{file_part}`"
            yield ctx.diag(link.line, link.target_column + len(file_part), "LNK002",
                           f"`#{anchor}` matches no heading of {where}",
                           f"did you mean `#{close[0]}`?" if close else None)


def _near(path: Path) -> str | None:
    import difflib

    folder = path.parent
    if not folder.is_dir():
        return None
    names = [p.name for p in folder.iterdir()]
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


RULES = (
    Rule("LNK001", check,
         {"docs/article.md": "# Deploy\n\nFirst [create a workspace](how-to-manage-workspaces.md).\n",
          "docs/how-to-manage-workspace.md": "# Manage workspaces\n"},
         {"docs/article.md": "# Deploy\n\nFirst [create a workspace](how-to-manage-workspace.md).\n",
          "docs/how-to-manage-workspace.md": "# Manage workspaces\n"}),
    Rule("LNK002", check,
         {"docs/article.md": "# Deploy\n\nSee [the prerequisites](#prerequisite).\n\n## Prerequisites\n"},
         {"docs/article.md": "# Deploy\n\nSee [the prerequisites](#prerequisites).\n\n## Prerequisites\n"}),
)
