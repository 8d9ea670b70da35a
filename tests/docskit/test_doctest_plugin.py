"""The pytest plugin end to end: our article's two tabs, a second docset, and the clean-up against "Azure"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTICLE = REPO / "docs" / "how-to-safely-rollout-online-endpoints.md"
SECOND = REPO / "tests" / "fixtures" / "second-docset"
NOTEBOOKS = REPO / "tests" / "fixtures" / "notebook-docset"
NOTEBOOK_ARTICLE = "azure-ai-docs/articles/machine-learning/how-to-safely-rollout-online-endpoints.md"
_NOTEBOOK_LINES = (NOTEBOOKS / NOTEBOOK_ARTICLE).read_text(encoding="utf-8").splitlines()
TEST_CELL = 1 + next(i for i, line in enumerate(_NOTEBOOK_LINES) if line.endswith("?name=test_deployment)]"))


def run_pytest(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:xdist",
        "-p",
        "no:cacheprovider",
        "-q",
        "--rootdir",
        str(cwd),
        "-c",
        os.devnull,
        *args,
    ]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_pytest_help_lists_the_options():
    shown = run_pytest(REPO, "--help").stdout
    assert "--learn-tutorials=PATH" in shown and "--learn-root=NAME=DIR" in shown


def test_the_plugin_runs_a_second_docset_with_its_samples_in_a_separate_folder(tmp_path):
    docset = tmp_path / "second-docset"
    shutil.copytree(SECOND, docset)
    result = run_pytest(
        docset / "docs",
        "-rs",
        "--learn-tutorials",
        "articles/how-to-list-endpoints.md",
        "--learn-root",
        "samples-main=../samples-repo",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed, 2 skipped" in result.stdout
    assert "signs in or sets CLI defaults" in result.stdout


def copy_of_our_article(tmp_path: Path, old: str, new: str) -> Path:
    """Our article in a docset of its own whose roots point at our samples."""
    text = ARTICLE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ARTICLE.name).write_text(text.replace(old, new), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"""site_name: copy
markdown_extensions:
  - docskit.mdext.learn:
      roots: {{azureml-examples: {REPO / "snippets"}}}
      tutorial:
        target: amlemu.testing:tutorial_target
        workdirs: {{azureml-examples/sdk: azureml-examples/cli}}
""")
    return tmp_path / "docs" / ARTICLE.name


@pytest.mark.parametrize(
    "tab,old,new,line,heading",
    [
        ("python", "```output\n[207.13, 67.75]\n```", "```output\n[207.99, 67.75]\n```", 171, "Test blue"),
        ("cli", '"[207.13, 67.75]"', '"[207.99, 67.75]"', 161, "Test blue"),
    ],
)
def test_a_changed_output_block_fails_its_step_and_stops_the_path(tmp_path, tab, old, new, line, heading):
    article = copy_of_our_article(tmp_path, old, new)
    result = run_pytest(tmp_path, "-k", tab, "--learn-tutorials", str(article), "-rfs")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{article}:{line}: {heading} ({tab} tab)" in result.stdout
    assert "the output differs from the `output` block" in result.stdout and "207.99" in result.stdout
    assert result.stdout.count("\nFAILED ") == 1 and "1 failed" in result.stdout  # later steps: skipped, not failed
    assert (
        f"{ARTICLE.name}:"
        in result.stdout.split(f": not run: the step {heading} (line {line}) failed")[0].splitlines()[-1]
    )


def notebook_docset(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The notebook docset with the model its cells deploy (our own model 1, where azureml-examples keeps its own)."""
    docset = tmp_path / "notebook-docset"
    shutil.copytree(NOTEBOOKS, docset)
    shutil.copytree(
        REPO / "snippets" / "cli" / "endpoints" / "online" / "model-1",
        docset / "azureml-examples" / "sdk" / "python" / "endpoints" / "online" / "model-1",
    )
    article = docset / NOTEBOOK_ARTICLE
    text = article.read_text(encoding="utf-8")
    assert text.count(old) == 1 or not old
    article.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return docset


def test_the_plugin_runs_the_notebook_cells_of_an_article_laid_out_like_microsofts(tmp_path):
    docset = notebook_docset(tmp_path)
    result = run_pytest(
        docset, "-rA", "--learn-tutorials", NOTEBOOK_ARTICLE, "--learn-root", "azureml-examples-main=azureml-examples"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 passed, 2 skipped" in result.stdout
    assert (
        f"PASSED {NOTEBOOK_ARTICLE}::python::Test the deployment (line {TEST_CELL})" in result.stdout
    )  # a cell with an output block
    assert "it installs packages (`%pip install --quiet azure-ai-ml azure-identity`)" in result.stdout
    assert "the azure-studio path has no step that can run" in result.stdout


def test_a_changed_output_block_after_a_notebook_cell_fails_that_step(tmp_path):
    docset = notebook_docset(tmp_path, "```output\n'[207.13, 67.75]'\n```", "```output\n'[207.99, 67.75]'\n```")
    result = run_pytest(
        docset,
        "-rfs",
        "-k",
        "python",
        "--learn-tutorials",
        NOTEBOOK_ARTICLE,
        "--learn-root",
        "azureml-examples-main=azureml-examples",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{NOTEBOOK_ARTICLE}:{TEST_CELL}: Test the deployment (python tab)" in result.stdout
    assert f"the output differs from the `output` block at line {TEST_CELL + 2}" in result.stdout
    assert "'[207.99, 67.75]'" in result.stdout and "'[207.13, 67.75]'" in result.stdout  # expected, and printed
    assert result.stdout.count("\nFAILED ") == 1 and "1 failed" in result.stdout
    assert f"not run: the step Test the deployment (line {TEST_CELL}) failed" in result.stdout
