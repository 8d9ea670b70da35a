"""Notebook cells in a tutorial's Python path: steps in reading order, resolved as the site shows them.

The article and notebook are written here, modelled on how Microsoft's articles show the
cells of azureml-examples notebooks (`[!notebook-python[](~/ROOT/…ipynb?name=CELL)]` in a
list item of the Python tab).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.doctest import tutorial_paths
from docskit.doctest.paths import Step
from docskit.doctest.run import PathRun
from docskit.doctest.settings import TutorialSettings
from docskit.doctest.target import TargetWorkspace
from docskit.learn import parse_article
from docskit.snippets import Resolver, Roots
from docskit.snippets.notebooks import notebook_text

NOTEBOOK = "~/samples-main/sdk/endpoints/rollout.ipynb"
CELLS = [
    ("workspace_details", 'subscription_id = "<SUBSCRIPTION_ID>"\nworkspace = "<AML_WORKSPACE_NAME>"'),
    ("show", "f'{workspace} in {subscription_id}'"),
    ("install", "%pip install azure-ai-ml"),
]

ARTICLE = f"""# Roll out

## Connect

:::code language="bash" source="~/samples-main/cli/setup.sh":::

# [Azure CLI](#tab/cli)

```azurecli
az ml online-endpoint list
```

# [Python SDK](#tab/python)

1. Install the SDK:

    [!notebook-python[]({NOTEBOOK}?name=install)]

1. Name the workspace:

    [!notebook-python[]({NOTEBOOK}?name=workspace_details)]

    ```python
    print("between")
    ```

    [!notebook-python[]({NOTEBOOK}?name=show)]

    ```output
    'ws-1 in sub-1'
    ```

Shown in a sentence, [!notebook-python[]({NOTEBOOK}?name=show)] is text, not a step.

[!notebook-python[]({NOTEBOOK}?name=no_such_cell)]

[!notebook-r[]({NOTEBOOK}?name=show)]

---
"""


def docset(tmp_path: Path, cells: list[tuple[str, str]] = CELLS) -> Roots:
    (tmp_path / "samples" / "sdk" / "endpoints").mkdir(parents=True)
    (tmp_path / "samples" / "cli").mkdir()
    (tmp_path / "samples" / "cli" / "setup.sh").write_text("echo ready\n")
    (tmp_path / "samples" / "sdk" / "endpoints" / "rollout.ipynb").write_text(notebook_text(cells))
    return Roots(tmp_path, {"samples-main": tmp_path / "samples"})


def python_path(tmp_path: Path, article: str = ARTICLE, cells: list[tuple[str, str]] = CELLS) -> list[Step]:
    roots = docset(tmp_path, cells)
    paths = tutorial_paths(parse_article("rollout.md", article), tmp_path / "rollout.md", Resolver(roots))
    return next(path for path in paths if path.tab == "python").steps


def path_run(tmp_path: Path, values: dict[str, str] | None = None) -> PathRun:
    roots = Roots(tmp_path, {"samples-main": tmp_path / "samples"})
    return PathRun(TargetWorkspace({"PATH": "/usr/bin:/bin"}, values or {}, False), roots, TutorialSettings(), 20)


def cell_step(cell: str, expected: str | None = None) -> Step:
    return Step(line=1, heading="Cells", runner="python", code=cell, source_root="samples-main",
                source_folder="sdk/endpoints", expected=expected, cell="cell")


# -- the path ----------------------------------------------------------------------------------

def test_notebook_cells_are_python_steps_of_their_tab_in_reading_order(tmp_path):
    steps = python_path(tmp_path)
    assert [(s.line, s.runner, s.cell) for s in steps] == [
        (5, "shell", None), (17, "python", "install"), (21, "python", "workspace_details"), (23, "python", None),
        (27, "python", "show"), (35, "python", "no_such_cell")]
    assert steps[2].code == CELLS[0][1] and (steps[2].source_root, steps[2].source_folder) == ("samples-main", "sdk/endpoints")
    assert (steps[4].expected, steps[4].expected_line) == ("'ws-1 in sub-1'", 29)  # the output block after the cell
    assert "NBK004" in steps[5].problem and "no_such_cell" in steps[5].problem and steps[5].code == ""


def test_an_unresolvable_cell_fails_its_step_with_the_reason(tmp_path):
    run = path_run(tmp_path)
    try:
        outcome = run.run(python_path(tmp_path)[-1])
    finally:
        run.close()
    assert not outcome.passed and "the snippet cannot be run" in outcome.message and "no_such_cell" in outcome.message
