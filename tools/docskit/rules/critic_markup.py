"""CriticMarkup (review comments, insertions, deletions, substitutions, highlights) left in.

Review marks are for drafts; DocFX renders them as literal braces. The site can
show them as review marks in a preview build, but the linter and a strict build
reject them, so a page cannot be published with a reviewer's question in it.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule

_KIND = {
    "comment": "review comment",
    "addition": "insertion",
    "deletion": "deletion",
    "substitution": "substitution",
    "highlight": "highlight",
}


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for mark in ctx.article.critic_marks:
        text = " ".join(mark.text.split())
        shown = text if len(text) <= 60 else text[:57] + "…"
        yield ctx.diag(
            mark.line,
            mark.column,
            "TXT002",
            f"CriticMarkup {_KIND.get(mark.kind, mark.kind)} left in: {shown}",
            "resolve it and remove the mark",
        )


RULES = (
    Rule(
        "TXT002",
        check,
        {"docs/article.md": "# Rollout\n\n{>> Is this blue-green or canary? <<}\nShift traffic gradually.\n"},
        {
            "docs/article.md": "# Rollout\n\nShift traffic gradually: this is a canary-style rollout between two deployments.\n"
        },
    ),
)
