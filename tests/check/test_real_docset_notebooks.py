"""The real corpus's notebook references: every one resolves to one cell, compiles, and is reported on by nothing.

Four articles of `tests/fixtures/real-docset/` (and an include they share) show
36 cells of three azureml-examples notebooks with `[!notebook-python[](…)]`.
"""

from __future__ import annotations

from pathlib import Path

from docskit.check.runner import RunOptions, run
from docskit.config import load_config
from docskit.learn import parse_article
from docskit.snippets import Roots
from docskit.snippets.notebooks import NotebookResolver
from docskit.sourcefile import SourceCache

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real-docset"
ARTICLES = CORPUS / "azure-ai-docs" / "articles" / "machine-learning"
PAGES = [
    "how-to-manage-compute-instance.md",
    "how-to-create-attach-compute-cluster.md",
    "how-to-deploy-model-custom-output.md",
    "how-to-use-batch-pipeline-deployments.md",
    "includes/machine-learning-connect-ws-v2.md",
]


def _references():
    for name in PAGES:
        path = ARTICLES / name
        for ref in parse_article(name, path.read_text(encoding="utf-8")).notebooks:
            yield path, ref


def test_all_36_references_resolve_to_exactly_one_cell():
    cache = SourceCache()
    resolver = NotebookResolver(
        Roots(CORPUS / "azure-ai-docs", {"azureml-examples-main": CORPUS / "azureml-examples"}), cache
    )
    resolved = [resolver.resolve(path, path.name, ref) for path, ref in _references()]
    assert len(resolved) == 36
    assert [d.format_text() for cell in resolved for d in cell.diagnostics] == []
    assert all(cell.text and cell.cell is not None for cell in resolved)
    assert cache.reads == 3  # three notebooks, each read once


def test_the_checker_reports_nothing_on_them():
    config = load_config(CORPUS / "mkdocs.yml", CORPUS)
    pages = [ARTICLES / name for name in PAGES[:4]]
    report = run(
        config,
        RunOptions(
            paths=pages,
            roots={"azureml-examples-main": CORPUS / "azureml-examples"},
            select=["NBK", "PY001"],
            exec_checks=False,
        ),
        CORPUS,
    )
    at_references = {(path.resolve(), ref.line) for path, ref in _references()}
    on_references = [
        d.format_text()
        for d in report.diagnostics
        if ((CORPUS / d.path).resolve(), d.line) in at_references or d.code.startswith("NBK")
    ]
    assert on_references == []
    assert any(name.endswith("machine-learning-connect-ws-v2.md") for name in report.checked)  # the include too
