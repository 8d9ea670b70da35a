"""Notebook references on the site: the named cell rendered as highlighted Python where the reference stands."""

from __future__ import annotations

import json
import logging

import pytest

from docskit.snippets.notebooks import notebook_text
from site_code_blocks import code_blocks
from site_project import mkdocs_build

CELLS = [("ml_client", "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id, resource_group, workspace\n)\n"),
         ("ci_basic_state", 'ci = ml_client.compute.get("ci-basic")\nprint(ci.state)\n')]
REF = "[!notebook-python[](~/examples/sdk/compute.ipynb?name={name})]"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.docskit" and r.levelno >= logging.WARNING]


@pytest.fixture
def notebook(docset):
    docset.write("snippets/sdk/compute.ipynb", notebook_text(CELLS))
    return docset


def test_the_cell_becomes_a_python_block_captioned_with_notebook_and_cell(notebook, docskit_log):
    html = notebook.render("docs/a.md", "# Compute\n\n" + REF.format(name="ci_basic_state") + "\n")
    [block] = code_blocks(html)
    assert block.text == 'ci = ml_client.compute.get("ci-basic")\nprint(ci.state)'
    assert block.caption_text == "sdk/compute.ipynb · ci_basic_state"
    assert '<span class="n">ci</span>' in block.html  # highlighted as Python
    assert "[!notebook" not in html
    assert warnings_of(docskit_log) == []


def test_the_caption_links_to_the_notebook_when_the_root_has_a_url(notebook):
    html = notebook.render("docs/a.md", REF.format(name="ml_client") + "\n",
                           source_urls={"examples": "https://github.com/o/r/blob/main/{path}"})
    [block] = code_blocks(html)
    assert block.href == "https://github.com/o/r/blob/main/sdk/compute.ipynb"


def test_references_keep_their_list_item_and_blockquote(notebook):
    page = "1. Connect:\n\n    " + REF.format(name="ml_client") + "\n\n> " + REF.format(name="ci_basic_state") + "\n"
    html = notebook.render("docs/a.md", page)
    assert [b.text.split("\n")[0] for b in code_blocks(html)] == ["ml_client = MLClient(", 'ci = ml_client.compute.get("ci-basic")']
    assert html.index("<li>") < html.index("ml_client") < html.index("</li>")
    assert "<blockquote>" in html


def test_a_reference_in_a_fence_or_a_paragraph_stays_literal(notebook):
    page = "```markdown\n" + REF.format(name="ml_client") + "\n```\n\nSee " + REF.format(name="ml_client") + " here.\n"
    html = notebook.render("docs/a.md", page)
    [block] = code_blocks(html)
    assert block.text == REF.format(name="ml_client")
    assert "MLClient(" not in html


def test_a_broken_reference_is_visible_and_logged_with_page_line_and_code(notebook, docskit_log):
    page = "# Compute\n\n" + REF.format(name="ci-basic-state") + "\n"
    html = notebook.render("docs/a.md", page)
    [block] = code_blocks(html)
    assert block.caption_text == "Notebook cell not shown" and "NBK004" in block.text
    assert any(m.startswith("docs/a.md:3:") and " NBK004 " in m for m in warnings_of(docskit_log))


def test_a_strict_build_fails_on_a_reference_to_a_missing_cell(tmp_path):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "snippets").mkdir()
    (root / "snippets" / "compute.ipynb").write_text(notebook_text(CELLS), encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Page\n\n[!notebook-python[](~/examples/compute.ipynb?name=ml-client)]\n",
                                            encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\nmarkdown_extensions:\n  - docskit.mdext.learn: "
                                     + json.dumps({"roots": {"examples": "snippets"}}) + "\n", encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode != 0, result.stderr[-2000:]
    assert "docs/index.md:3:" in result.stderr and "NBK004 error" in result.stderr
