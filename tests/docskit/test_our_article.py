"""Every `:::code` directive of our own articles resolves, with nothing to report."""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.config import build_roots, load_config
from docskit.learn import parse_article
from docskit.snippets import Resolver

REPO = Path(__file__).resolve().parents[2]
ARTICLES = sorted((REPO / "docs").glob("how-to-*.md"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_directive_resolves_cleanly(article):
    resolver = Resolver(build_roots(load_config(REPO / "mkdocs.yml", REPO)))
    parsed = parse_article(article.name, article.read_text(encoding="utf-8"))
    assert parsed.code_directives and not parsed.syntax_problems
    for directive in parsed.code_directives:
        snippet = resolver.resolve(article, article.name, directive)
        assert snippet.text and snippet.diagnostics == [], (directive.line, snippet.diagnostics)
        assert snippet.source is not None and snippet.source.root_name == "azureml-examples"


def test_the_scaled_blue_state_highlights_its_one_changed_line():
    article = REPO / "docs" / "how-to-safely-rollout-online-endpoints.md"
    resolver = Resolver(build_roots(load_config(REPO / "mkdocs.yml", REPO)))
    parsed = parse_article(article.name, article.read_text(encoding="utf-8"))
    (scale,) = [d for d in parsed.code_directives if (d.source or "").endswith("3-scale-blue.yml")]
    snippet = resolver.resolve(article, article.name, scale)
    (line,) = snippet.highlight
    assert snippet.shown_lines[line - 1] == "instance_count: 2"
    blue = (REPO / "snippets/cli/endpoints/online/managed/safe-rollout/2-blue-deployment.yml").read_text().split("\n")
    changed = [i + 1 for i, (a, b) in enumerate(zip(blue, snippet.shown_lines, strict=False)) if a != b]
    assert changed == [line]
