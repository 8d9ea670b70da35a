"""A throwaway docset for resolver tests."""

from __future__ import annotations

from pathlib import Path

from docskit.learn import parse_article
from docskit.snippets import Resolver, Roots


class Docset:
    """A throwaway docset: write files, resolve one directive line against them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.roots = Roots(root, {"samples": root / "samples"})
        self.resolver = Resolver(self.roots)

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
        return path

    def resolve(self, directive_line: str, article: str = "docs/article.md"):
        article_path = self.write(article, directive_line + "\n")
        parsed = parse_article(article, directive_line + "\n")
        assert len(parsed.code_directives) == 1, parsed
        snippet = self.resolver.resolve(article_path, article, parsed.code_directives[0])
        snippet.diagnostics[:0] = parsed.syntax_problems
        return snippet


def codes(snippet) -> list[str]:
    return [d.code for d in snippet.diagnostics]
