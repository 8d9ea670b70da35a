"""YAML that does not parse, and YAML refused because reading it would cost too much.

A YAML file the CLI cannot read fails the reader's first command. The error is
reported with the file's own line and column. A document over the budget of
`docskit.yaml_budget` (larger than `max_yaml_bytes`, nested too deeply, or
expanding through aliases past a safe size, a "billion laughs" bomb) or whose
alias refers to itself is refused before anything is built from it, so a hostile
pull request cannot exhaust the checker.
"""

from __future__ import annotations

from collections.abc import Iterable

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.yaml_budget import load_yaml


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet, _path, document in ctx.yaml_sources():
        if not document.ok:
            code = "YML002" if document.refused else "YML001"
            where = f" ({snippet.source_name}:{document.error_line}:{document.error_column})"
            yield ctx.diag(
                snippet.line,
                snippet.column,
                code,
                f"YAML {'refused' if document.refused else 'does not parse'}: {document.error}{where}",
            )
    for snippet in ctx.snippets:
        if snippet.fence is None or not snippet.is_yaml or not snippet.text.strip():
            continue
        document = load_yaml(snippet.text, ctx.config.yaml_budget)
        if not document.ok:
            code = "YML002" if document.refused else "YML001"
            line, column = snippet.article_position(max(document.error_line - 1, 0), document.error_column - 1)
            yield ctx.diag(
                line, column, code, f"YAML {'refused' if document.refused else 'does not parse'}: {document.error}"
            )


_ARTICLE = '# Endpoint\n\n:::code language="yaml" source="~/samples/endpoint.yml":::\n'
_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
RULES = (
    Rule(
        "YML001",
        check,
        {"docs/article.md": _ARTICLE, "samples/endpoint.yml": "name: my-endpoint\ntraffic:\n  blue: [90\n"},
        {"docs/article.md": _ARTICLE, "samples/endpoint.yml": "name: my-endpoint\ntraffic:\n  blue: 90\n"},
    ),
    Rule(
        "YML002",
        check,
        {"docs/article.md": _ARTICLE, "samples/endpoint.yml": _BOMB},
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoint.yml": "name: my-endpoint\ntags: &tags {team: ml}\nmore: *tags\n",
        },
    ),
)
