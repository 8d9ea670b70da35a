"""Notebook cells in a tutorial's Python path: steps in reading order, IPython magics, placeholders in literals.

The article and notebook are written here, modelled on how Microsoft's articles show the
cells of azureml-examples notebooks (`[!notebook-python[](~/ROOT/…ipynb?name=CELL)]` in a
list item of the Python tab).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.doctest import tutorial_paths
from docskit.doctest.notebook_cells import runnable
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
    return Step(
        line=1,
        heading="Cells",
        runner="python",
        code=cell,
        source_root="samples-main",
        source_folder="sdk/endpoints",
        expected=expected,
        cell="cell",
    )


# -- the path ----------------------------------------------------------------------------------


def test_notebook_cells_are_python_steps_of_their_tab_in_reading_order(tmp_path):
    steps = python_path(tmp_path)
    assert [(s.line, s.runner, s.cell) for s in steps] == [
        (5, "shell", None),
        (17, "python", "install"),
        (21, "python", "workspace_details"),
        (23, "python", None),
        (27, "python", "show"),
        (35, "python", "no_such_cell"),
    ]
    assert steps[2].code == CELLS[0][1] and (steps[2].source_root, steps[2].source_folder) == (
        "samples-main",
        "sdk/endpoints",
    )
    assert (steps[4].expected, steps[4].expected_line) == ("'ws-1 in sub-1'", 29)  # the output block after the cell
    assert "NBK004" in steps[5].problem and "no_such_cell" in steps[5].problem and steps[5].code == ""


def test_an_unresolvable_cell_fails_its_step_with_the_reason(tmp_path):
    run = path_run(tmp_path)
    try:
        outcome = run.run(python_path(tmp_path)[-1])
    finally:
        run.close()
    assert not outcome.passed and "the snippet cannot be run" in outcome.message and "no_such_cell" in outcome.message


def test_the_cells_run_in_one_namespace_from_the_notebooks_folder_with_placeholders_filled(tmp_path):
    steps = python_path(tmp_path)
    run = path_run(tmp_path, {"subscription_id": "sub-1", "workspace": "ws-1"})
    try:
        outcomes = [run.run(step) for step in steps[1:5]]
        folder = run.python().run("import os; os.getcwd()", run.folder_for(steps[2]))
    finally:
        run.close()
    assert outcomes[0].skipped == (
        "it installs packages (`%pip install azure-ai-ml`), and the tutorial runs in the runner's environment"
    )
    assert all(outcome.passed and not outcome.skipped for outcome in outcomes[1:]), outcomes
    assert folder.output.strip().strip("'").endswith("/roots/samples-main/sdk/endpoints")  # in the scratch copy


# -- IPython syntax ------------------------------------------------------------------------------


def test_a_cell_that_is_python_runs_as_written():
    cell = 'x = 5 % 3\nif x != 2:\n    print("!")'
    assert runnable(cell).code == cell and not runnable(cell).skipped


def test_magics_become_get_ipython_calls_line_for_line():
    cell = runnable("import os\n%pip install -q pandas\nfor n in (1, 2):\n    !echo {n}\n%matplotlib inline")
    assert cell.code == "import os\npass\nfor n in (1, 2):\n    get_ipython().system('echo {n}')\npass"
    assert cell.commands == ("echo {n}",) and not cell.only_commands and cell.skipped is None
    assert runnable("!az login\n# then\n!az account set -s <SUBSCRIPTION_ID>").only_commands


@pytest.mark.parametrize(
    "cell,reason",
    [
        ("%pip install azure-ai-ml\n!pip install mltable", "it installs packages (`%pip install azure-ai-ml`)"),
        ("%matplotlib inline", "it only sets up the display of plots (`%matplotlib inline`)"),
        ("%cd ../data\nprint(1)", "it uses the IPython magic %cd, which the runner does not emulate"),
        ("files = !ls\nprint(files)", "it captures the output of a magic (`files = !ls`)"),
        ("%%javascript\nalert(1)", "it is a %%javascript cell, which the runner does not emulate"),
    ],
)
def test_what_the_runner_does_not_run_is_skipped_with_its_reason(cell, reason):
    assert runnable(cell).skipped.startswith(reason)


def test_writefile_bash_and_shell_lines_run_as_in_jupyter(tmp_path):
    docset(tmp_path)
    run = path_run(tmp_path, {"resource_group": "rg-1"})
    try:
        wrote = run.run(cell_step("%%writefile score.py\n# for <RESOURCE_GROUP>\ndef run():\n    return 'ok'"))
        again = run.run(cell_step("%%writefile score.py\nx = 1", expected="Overwriting score.py"))
        lines = run.run(
            cell_step("name = 'blue'\n!echo '{name} $name $$X' && ls score.py", expected="blue blue $X\nscore.py")
        )
        bash = run.run(cell_step("%%bash\nX=<RESOURCE_GROUP>\necho $X", expected="rg-1"))
        timed = run.run(cell_step("%%time\nprint(2 + 2)", expected="4"))
        failed = run.run(cell_step("!exit 3\nprint('not reached')"))
        signs_in = run.run(cell_step("!az login"))
        written = (run.folder_for(cell_step("")) / "score.py").read_text()
    finally:
        run.close()
    assert all(o.passed and not o.skipped for o in (wrote, again, lines, bash, timed)), (
        wrote,
        again,
        lines,
        bash,
        timed,
    )
    assert written == "x = 1"
    printed = failed.message.partition("--- it printed:")[2]
    assert not failed.passed and "`exit 3` exited with status 3" in printed and "not reached" not in printed
    assert signs_in.skipped == "it signs in or sets CLI defaults, which the environment has done"


def test_a_first_writefile_says_writing_and_fills_placeholders_in_the_file(tmp_path):
    docset(tmp_path)
    run = path_run(tmp_path, {"resource_group": "rg-1"})
    try:
        outcome = run.run(cell_step("%%writefile conf.txt\n<RESOURCE_GROUP>\nend", expected="Writing conf.txt"))
        written = (run.folder_for(cell_step("")) / "conf.txt").read_text()
    finally:
        run.close()
    assert outcome.passed, outcome.message
    assert written == "rg-1\nend"


def test_python_and_notebook_steps_fill_placeholders_in_literals_and_skip_one_in_the_code(tmp_path):
    docset(tmp_path)
    run = path_run(tmp_path, {"subscription_id": "sub-1"})
    try:
        in_code = run.run(
            Step(line=3, heading="Connect", runner="python", code="MLClient(credential, <SUBSCRIPTION_ID>)")
        )
        in_cell = run.run(
            cell_step(
                "# your <SUBSCRIPTION_ID> goes in the string\nsubscription_id = '<SUBSCRIPTION_ID>'\n"
                "print(subscription_id)",
                expected="sub-1",
            )
        )
        unknown = run.run(cell_step('vault = "<KEY_VAULT_URI>"'))
    finally:
        run.close()
    assert in_code.skipped == "it holds <SUBSCRIPTION_ID> (not in a string literal), which the runner cannot fill"
    assert in_cell.passed and not in_cell.skipped, in_cell.message
    assert unknown.skipped == "it holds <KEY_VAULT_URI>, which the runner cannot fill"
