"""A YAML `highlight` that no longer marks what changed since the previous state shown.

Declarative how-tos show a sequence of versions of one resource (same `$schema`,
same `name:`) and highlight what each step changes. When a file is edited the
highlight keeps its numbers and quietly marks the wrong lines. The lines that
differ from the previous YAML directive of the same resource (trailing
whitespace, blank lines and comment lines ignored) must all be highlighted.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from docskit.analysis.context import ArticleContext, Snippet
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def _identity(ctx: ArticleContext, snippet: Snippet) -> tuple[str, str] | None:
    path = snippet.source_path
    if path is None or not snippet.is_yaml:
        return None
    document = ctx.memo.yaml_of(path)
    if document is None or not document.ok or not isinstance(document.data, dict):
        return None
    schema, name = document.data.get("$schema"), document.data.get("name")
    if not isinstance(name, str):
        return None
    return (str(schema or ""), name)


def compress(lines: list[int]) -> str:
    parts: list[str] = []
    for line in sorted(set(lines)):
        if parts and "-" not in parts[-1].split(",")[-1] and int(parts[-1]) == line - 1:
            parts[-1] = f"{parts[-1]}-{line}"
        elif parts and "-" in parts[-1] and int(parts[-1].split("-")[1]) == line - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{line}"
        else:
            parts.append(str(line))
    return ",".join(parts)


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    previous: dict[tuple[str, str], Snippet] = {}
    for snippet in ctx.directive_snippets:
        identity = _identity(ctx, snippet)
        if identity is None:
            continue
        before = previous.get(identity)
        previous[identity] = snippet
        directive = snippet.directive
        if before is None or directive.highlight is None or before.source_path == snippet.source_path:
            continue
        if any(d.code in ("RNG003", "RNG004") for d in snippet.resolved.diagnostics):
            continue
        old = [line.rstrip() for line in before.resolved.file.lines]
        new = [line.rstrip() for line in snippet.resolved.file.lines]
        changed: set[int] = set()
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag in ("replace", "insert"):
                changed.update(j for j in range(j1, j2) if new[j].strip() and not new[j].lstrip().startswith("#"))
        shown = {file_line - 1: index + 1 for index, file_line in enumerate(snippet.resolved.source_lines)}
        wanted = sorted(shown[j] for j in changed if j in shown)
        missing = [line for line in wanted if line not in set(snippet.resolved.highlight)]
        if not missing:
            continue
        yield ctx.diag(
            snippet.line,
            directive.column_of("highlight"),
            "RNG005",
            f'`highlight="{directive.highlight}"` does not mark line(s) {compress(missing)}, which changed '
            f"from `{before.source_name}` (line {before.line})",
            f'highlight="{compress(wanted)}" marks exactly the changed lines',
        )


_ARTICLE = (
    '# Scale\n\n:::code language="yaml" source="~/samples/1-blue.yml":::\n\n'
    ':::code language="yaml" source="~/samples/2-scale-blue.yml" highlight="{0}":::\n'
)
_ONE = "name: blue\nendpoint_name: my-endpoint\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n"
_TWO = _ONE.replace("instance_count: 1", "instance_count: 2")
RULES = (
    Rule(
        "RNG005",
        check,
        {"docs/article.md": _ARTICLE.format("3"), "samples/1-blue.yml": _ONE, "samples/2-scale-blue.yml": _TWO},
        {"docs/article.md": _ARTICLE.format("4"), "samples/1-blue.yml": _ONE, "samples/2-scale-blue.yml": _TWO},
    ),
)
