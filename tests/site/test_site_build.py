"""`mkdocs build --strict` on the repository's own docs: it passes, and it fails loudly on a broken snippet."""

from __future__ import annotations

import re

from site_project import ARTICLE, copy_project, mkdocs_build
from docskit.learn import parse_article
from site_code_blocks import code_blocks
from site_expectations import expected_snippets


def test_the_article_page_shows_every_snippet_with_its_highlighted_lines(built_project, article_html):
    project, _ = built_project
    expected = expected_snippets(project, project / "docs" / f"{ARTICLE}.md")
    shown = [b for b in code_blocks(article_html) if "docskit-source" in b.caption_html]
    assert len(expected) >= 10
    assert any(e.highlighted for e in expected)  # the article does highlight lines; they must show
    assert [(b.caption_text, b.text, b.highlighted) for b in shown] == [(e.caption, e.text, e.highlighted) for e in expected]
    assert all(b.href.startswith("https://github.com/Azure/azureml-examples/blob/main/") for b in shown)


def test_no_learn_syntax_is_left_on_the_page(article_html):
    body = re.sub(r"<[^>]+>", " ", article_html.split('<article class="md-content__inner', 1)[1])
    for literal in (":::code", "[!INCLUDE", "{&gt;&gt;", "[!NOTE]", "#tab/"):
        assert literal not in body, literal
    assert re.search(r"<div class=\"tabbed-set tabbed-alternate\"", article_html)
    assert '<div class="admonition' in article_html


def test_strict_build_fails_and_lists_every_broken_directive(tmp_path):
    project = copy_project(tmp_path / "project")
    article_path = project / "docs" / f"{ARTICLE}.md"
    lines = article_path.read_text(encoding="utf-8").split("\n")
    directives = parse_article("article", "\n".join(lines)).code_directives
    with_id = [d for d in directives if d.id]
    with_range = [d for d in directives if d.range]
    broken = {
        with_id[0].line: ("REG001", lambda text: text.replace(f'id="{with_id[0].id}"', 'id="no_such_region"')),
        with_id[1].line: ("SRC001", lambda text: text.replace(f'source="{with_id[1].source}"', f'source="{with_id[1].source}.gone"')),
        with_range[0].line: ("RNG002", lambda text: text.replace(f'range="{with_range[0].range}"', 'range="4-600"')),
    }
    for line_no, (_, breaks) in broken.items():
        lines[line_no - 1] = breaks(lines[line_no - 1])
    article_path.write_text("\n".join(lines), encoding="utf-8")

    result = mkdocs_build(project)

    assert result.returncode != 0
    page = f"docs/{ARTICLE}.md"
    for line_no, (code, _) in broken.items():
        assert re.search(rf"ERROR\s+-\s+{re.escape(page)}:{line_no}:\d+: {code} error ", result.stderr), (code, result.stderr[-4000:])
    output = result.stdout + result.stderr
    assert re.search(r"Aborted with \d+ errors in strict mode", output)
    assert "Traceback" not in output

