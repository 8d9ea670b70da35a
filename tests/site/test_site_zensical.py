"""The same mkdocs.yml under Zensical: the article's code blocks are the same HTML as MkDocs makes."""

from __future__ import annotations

import shutil
from importlib.metadata import PackageNotFoundError, version

import pytest

from site_code_blocks import code_blocks
from site_project import ARTICLE, run_tool


def _zensical_version() -> str | None:
    try:
        return version("zensical")
    except PackageNotFoundError:
        return None


def test_zensical_builds_the_same_snippet_html(tmp_path, built_project, article_html):
    release = _zensical_version()
    if release is None:
        pytest.skip("zensical is not installed (it is in the test extra of pyproject.toml)")
    project = tmp_path / "project"  # the very sources MkDocs built, not a later copy of the repository
    shutil.copytree(built_project[0], project, ignore=shutil.ignore_patterns("site"))
    result = run_tool(["zensical", "build", "--clean"], project)
    page = project / "site" / ARTICLE / "index.html"
    if result.returncode != 0 or not page.is_file():
        last = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        pytest.skip(f"zensical {release} cannot build mkdocs.yml (exit {result.returncode}): {last}")

    zensical_blocks = code_blocks(page.read_text(encoding="utf-8"))
    mkdocs_blocks = code_blocks(article_html)

    assert sum("docskit-source" in b.caption_html for b in mkdocs_blocks) >= 10
    assert [b.html for b in zensical_blocks] == [b.html for b in mkdocs_blocks]
