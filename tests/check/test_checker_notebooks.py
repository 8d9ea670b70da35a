"""Notebook references, `[!notebook-python[](~/ROOT/path.ipynb?name=CELL)]`: parsed, resolved as DocFX does, checked.

The fixtures are modelled on the azure-ai-docs articles that show cells of
azureml-examples notebooks (`how-to-manage-compute-instance.md` and
`sdk/python/resources/compute/compute.ipynb`); the notebooks are written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checker_support import pairs

from docskit.learn import parse_article
from docskit.learn.notebooks import find_notebooks
from docskit.rules.python_syntax import as_python, snippet_error
from docskit.snippets import Roots
from docskit.snippets.notebooks import NotebookResolver, notebook_text
from docskit.sourcefile import SourceCache

CELLS = [
    ("subscription_id", 'subscription_id = "<SUBSCRIPTION_ID>"\nresource_group = "<RESOURCE_GROUP>"\n'),
    (
        "ml_client",
        "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id, resource_group, workspace\n)\n",
    ),
    ("ci_basic_state", 'ci = ml_client.compute.get("ci-basic")\nprint(ci.state)\n'),
]


def article(*targets: str) -> str:
    lines = ["---", "title: Manage a compute instance", "description: Start and stop it.", "---", "", "# Manage"]
    for target in targets:
        lines += ["", f"[!notebook-python[](~/samples/sdk/compute.ipynb{target})]"]
    return "\n".join(lines) + "\n"


def files_of(page: str, notebook: str | None = None) -> dict[str, str]:
    files = {"docs/article.md": page}
    if notebook is not None:
        files["samples/sdk/compute.ipynb"] = notebook
    return files


# -- parsing ---------------------------------------------------------------------------------


def test_a_reference_gives_its_path_cell_name_and_positions():
    line = "   [!notebook-python[] (~/azureml-examples-main/sdk/compute.ipynb?name=ci_basic_state)]"
    [ref] = find_notebooks(7, line)
    assert (ref.line, ref.column, ref.language) == (7, 4, "python")
    assert ref.path == "~/azureml-examples-main/sdk/compute.ipynb"
    assert ref.cell_name == "ci_basic_state"
    assert line[ref.target_column - 1 :].startswith("~/azureml")
    assert ref.alone and ref.prefix == "   "


def test_keyword_case_spaces_in_paths_and_containers_are_read_as_docfx_reads_them():
    [capital] = find_notebooks(1, "[!Notebook-python[] (~/x/a.ipynb?name=pass-arguments)]")
    assert capital.language == "python" and capital.cell_name == "pass-arguments"
    [spaced] = find_notebooks(1, "> [!notebook-python[](~/x/4. Enable online store.ipynb?name=root-dir)]")
    assert spaced.path == "~/x/4. Enable online store.ipynb" and spaced.prefix == "> " and spaced.alone
    [inline] = find_notebooks(1, "Run [!notebook-python[](a.ipynb?name=x)] first.")
    assert not inline.alone  # in a paragraph DocFX leaves it as text
    [unnamed] = find_notebooks(1, "[!notebook-python[](a.ipynb)]")
    assert unnamed.cell_name is None


# -- resolving -------------------------------------------------------------------------------


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "samples").mkdir()
    return tmp_path


def _resolve(root: Path, target: str, cache: SourceCache | None = None):
    resolver = NotebookResolver(Roots(root / "docs", {"samples": root / "samples"}), cache or SourceCache())
    [ref] = parse_article("docs/a.md", f"[!notebook-python[](~/samples/nb.ipynb{target})]\n").notebooks
    return resolver.resolve(root / "docs" / "a.md", "docs/a.md", ref)


def test_the_named_cell_is_what_docfx_shows(samples):
    (samples / "samples" / "nb.ipynb").write_text(notebook_text(CELLS), encoding="utf-8")
    cell = _resolve(samples, "?name=ml_client")
    assert cell.diagnostics == []
    assert (
        cell.text
        == "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id, resource_group, workspace\n)"
    )
    assert cell.cell.index == 1 and cell.source.relative == "nb.ipynb"


def test_a_source_written_as_one_string_is_read_too(samples):
    data = json.loads(notebook_text(CELLS))
    data["cells"][2]["source"] = 'ci = ml_client.compute.get("ci-basic")\r\nprint(ci.state)\n'
    (samples / "samples" / "nb.ipynb").write_text(json.dumps(data), encoding="utf-8")
    assert _resolve(samples, "?name=ci_basic_state").text == 'ci = ml_client.compute.get("ci-basic")\nprint(ci.state)'


def test_a_notebook_is_read_and_parsed_once_however_many_cells_are_shown(samples):
    (samples / "samples" / "nb.ipynb").write_text(notebook_text(CELLS), encoding="utf-8")
    cache = SourceCache()
    resolver = NotebookResolver(Roots(samples / "docs", {"samples": samples / "samples"}), cache)
    refs = parse_article(
        "docs/a.md", "".join(f"[!notebook-python[](~/samples/nb.ipynb?name={n})]\n\n" for n, _ in CELLS)
    ).notebooks
    shown = [resolver.resolve(samples / "docs" / "a.md", "docs/a.md", ref).text for ref in refs]
    assert all(shown) and cache.reads == 1


@pytest.mark.parametrize(
    ("content", "target", "code"),
    [
        (None, "?name=ml_client", "NBK002"),
        ('{"cells": [,]}', "?name=ml_client", "NBK003"),
        ("[" * 100_000, "?name=ml_client", "NBK003"),
        ('{"worksheets": []}', "?name=ml_client", "NBK003"),
        ("", "?name=ml_client", "NBK003"),
        (notebook_text(CELLS), "?name=ML_client", "NBK004"),
        (notebook_text([*CELLS, ("ml_client", "ml_client = None\n")]), "?name=ml_client", "NBK005"),
        (notebook_text(CELLS), "", "NBK006"),
    ],
    ids=["missing", "not-json", "too-deep", "not-a-notebook", "empty", "no-such-cell", "two-cells", "no-name"],
)
def test_each_way_a_reference_fails_is_one_finding_and_nothing_shown(samples, content, target, code):
    if content is not None:
        (samples / "samples" / "nb.ipynb").write_text(content, encoding="utf-8")
    cell = _resolve(samples, target)
    assert [d.code for d in cell.diagnostics] == [code]
    assert cell.text == ""
    assert "Traceback" not in cell.diagnostics[0].message


def test_a_path_out_of_its_root_is_refused_unread(samples):
    cell = _resolve(samples, "?name=x".replace("?", "/../../../etc/passwd?"))
    assert [d.code for d in cell.diagnostics] == ["SRC002"] and cell.file is None


# -- checking (the linter, end to end) -------------------------------------------------------


def test_a_clean_article_has_no_notebook_finding(docset):
    report = docset(
        files_of(article("?name=subscription_id", "?name=ml_client", "?name=ci_basic_state"), notebook_text(CELLS))
    )
    assert [d.format_text() for d in report.diagnostics] == []


def test_findings_point_at_the_reference_and_name_the_cell(docset):
    bad = notebook_text([*CELLS, ("ci_basic_state", "ci.stop()\n")])
    report = docset(files_of(article("?name=ci-basic-state", "?name=ci_basic_state", ""), bad))
    found = {(d.code, d.line): d for d in report.diagnostics if d.code.startswith("NBK")}
    assert set(found) == {("NBK004", 8), ("NBK005", 10), ("NBK006", 12)}
    assert found["NBK004", 8].hint == "did you mean `ci_basic_state`?"
    assert found["NBK004", 8].column == len("[!notebook-python[](~/samples/sdk/compute.ipynb?name=") + 1
    assert "cells 3, 4" in found["NBK005", 10].message


def test_a_missing_notebook_is_an_error_and_the_file_is_a_dependency(docset):
    report = docset(files_of(article("?name=ml_client")))
    assert pairs(report) == [("NBK002", 8)]


def test_a_python_error_in_a_cell_is_reported_at_the_reference_with_the_cells_line(docset):
    broken = [
        CELLS[0],
        ("ml_client", "ml_client = MLClient(\n    DefaultAzureCredential(), subscription_id\n\nprint(ml_client)\n"),
    ]
    report = docset(files_of(article("?name=subscription_id", "?name=ml_client"), notebook_text(broken)))
    [finding] = [d for d in report.diagnostics if d.code == "PY001"]
    assert (finding.line, finding.column) == (10, 1)
    assert "(sdk/compute.ipynb, cell `ml_client`, line 1:" in finding.message


def test_ipython_magics_and_shell_escapes_in_cells_are_not_errors(docset):
    cells = [
        ("install", "%pip install azure-ai-ml\n!az login\nfiles = !ls\nif True:\n    %env X=1\n"),
        ("driver", "%%writefile code/batch_driver.py\nthis is not { python\n"),
        ("timed", "%%time\nawait client.close()\n"),
    ]
    page = article("?name=install", "?name=driver", "?name=timed")
    report = docset(files_of(page, notebook_text(cells)))
    assert [d.format_text() for d in report.diagnostics if d.code == "PY001"] == []


def test_python_fences_are_checked_too_with_placeholders_read_as_names(docset):
    page = (
        article()
        + "\n```python\nclient = MLClient(<credential>, <subscription-id>)\n```\n\n```python\nif x\n    pass\n```\n"
    )
    report = docset(files_of(page))
    [finding] = [d for d in report.diagnostics if d.code == "PY001"]
    assert (finding.line, finding.column) == (13, 5)


def test_a_shell_command_in_a_python_block_gets_a_hint(docset):
    report = docset(files_of(article() + "\n```python\npip install azure-ai-ml\n```\n"))
    [finding] = [d for d in report.diagnostics if d.code == "PY001"]
    assert finding.line == 9 and "shell command" in finding.hint


def test_a_code_region_that_is_a_fragment_of_a_good_file_is_not_an_error(docset):
    source = "def main():\n    # <body>\n    if ready:\n        go()\n    # </body>\n    else:\n        wait()\n"
    page = article() + '\n:::code language="python" source="~/samples/run.py" id="body":::\n'
    report = docset(
        {
            "docs/article.md": page,
            "samples/run.py": source.replace("    else:", "    elif ready:\n        pass\n    else:"),
        }
    )
    assert [d for d in report.diagnostics if d.code == "PY001"] == []
    broken = "# <body>\nif ready\n    go()\n# </body>\n"
    report = docset({"docs/article.md": page, "samples/run.py": broken})
    [finding] = [d for d in report.diagnostics if d.code == "PY001"]
    assert "(run.py:2:" in finding.message


def test_non_python_notebook_references_are_resolved_and_flagged_as_unchecked(docset):
    page = article() + "\n[!notebook-r[](~/samples/sdk/compute.ipynb?name=ml_client)]\n"
    report = docset(files_of(page, notebook_text(CELLS)))
    assert pairs(report) == [("NBK001", 8)]


# -- the Python reading itself ---------------------------------------------------------------


def test_ipython_syntax_is_read_line_for_line():
    assert as_python("%pip install x\nimport os") == "pass\nimport os"
    assert as_python("%%bash\nls -l") is None
    assert as_python("x = 5 % 3\ny = a != b") == "x = 5 % 3\ny = a != b"
    assert snippet_error("await asyncio.sleep(1)") is None
    assert snippet_error(">>> import azure.ai.ml\n>>> azure.ai.ml.__version__\n'1.31.0'") is None
    assert snippet_error(">>> if x\n...     pass") is not None
    assert snippet_error('path = "C:\\data"') is None  # an invalid escape is a warning, not an error
    assert snippet_error("print('a'\x00)") is not None
    assert snippet_error("(" * 300 + ")" * 300) is not None  # too deeply nested for the parser: an answer, no crash
