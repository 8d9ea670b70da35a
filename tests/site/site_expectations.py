"""What the article page must show, computed from the sources with the resolver (not from the site)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docskit.config import build_roots, load_config
from docskit.learn import parse_article
from docskit.snippets import Resolver
from docskit.sourcefile import read_source_file


@dataclass(frozen=True)
class ExpectedSnippet:
    caption: str
    text: str
    highlighted: list[int]


def expected_snippets(project: Path, article: Path) -> list[ExpectedSnippet]:
    """Every `:::code` of the article, include files expanded in place, in reading order."""
    config = load_config(project / "mkdocs.yml")
    resolver = Resolver(build_roots(config))
    return _walk(article, resolver, project, (article.resolve(),))


def _walk(path: Path, resolver: Resolver, project: Path, stack: tuple[Path, ...]) -> list[ExpectedSnippet]:
    file = read_source_file(path)
    parsed = parse_article(str(path), file.text)
    items = sorted([*parsed.code_directives, *parsed.includes], key=lambda item: (item.line, item.column))
    found: list[ExpectedSnippet] = []
    for item in items:
        if hasattr(item, "attributes"):
            snippet = resolver.resolve(path, str(path), item)
            assert snippet.text and snippet.source is not None, (path, item.line, snippet.diagnostics)
            found.append(ExpectedSnippet(snippet.source.relative, snippet.text, snippet.highlight))
        else:
            target = (path.parent / item.target).resolve()
            if target not in stack:
                found += _walk(target, resolver, project, (*stack, target))
    return found
