"""The tutorial runner's parts: paths per tab, the two sessions, placeholders, clones, output matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from docskit.doctest import PythonSession, ShellSession, outputs_match, tutorial_paths
from docskit.doctest.placeholders import Placeholders, generated_name
from docskit.doctest.run import PathRun, only_signs_in
from docskit.doctest.settings import TutorialSettings
from docskit.doctest.target import TargetWorkspace
from docskit.learn import parse_article
from docskit.snippets import Resolver, Roots

SCRIPT = """#!/bin/bash
# <set_name>
NAME=demo-$((6 * 7))
# </set_name>
# <show_name>
echo "{\\"name\\": \\"$NAME\\", \\"score\\": 0.123456}"
# </show_name>
"""

PY = """# <make>
import os
value = {"name": "demo-42", "cwd": os.path.basename(os.getcwd())}
# </make>
# <show>
value["name"]
# </show>
"""

TABBED = """# Tabs

## Name it

:::code language="azurecli" source="~/samples/cli/demo.sh" id="set_name":::

# [CLI](#tab/cli)

:::code language="bash" source="~/samples/cli/demo.sh" id="show_name":::

```output
{"name": "demo-42", "score": 0.1235}
```

# [Python](#tab/python)

:::code language="python" source="~/samples/sdk/demo.py" id="make":::

:::code language="python" source="~/samples/sdk/demo.py" id="show":::

```output
'demo-42'
```

---

## Clean up resources

```bash
echo bye
```
"""


def build(tmp_path: Path) -> Roots:
    (tmp_path / "samples" / "cli").mkdir(parents=True)
    (tmp_path / "samples" / "sdk").mkdir()
    (tmp_path / "samples" / "cli" / "demo.sh").write_text(SCRIPT)
    (tmp_path / "samples" / "sdk" / "demo.py").write_text(PY)
    return Roots(tmp_path, {"samples": tmp_path / "samples"})


def test_each_tab_is_a_path_of_the_shared_steps_and_its_own(tmp_path):
    roots = build(tmp_path)
    article = parse_article("demo.md", TABBED)
    cli, python = tutorial_paths(article, tmp_path / "demo.md", Resolver(roots))
    assert (cli.tab, python.tab) == ("cli", "python")
    assert [(s.line, s.runner) for s in cli.steps] == [(5, "shell"), (9, "shell"), (29, "shell")]
    assert [(s.line, s.runner) for s in python.steps] == [(5, "shell"), (17, "python"), (19, "python"), (29, "shell")]
    assert (cli.steps[1].expected_line, python.steps[2].expected) == (11, "'demo-42'")
    assert [s.cleanup for s in python.steps] == [False, False, False, True]
    assert python.steps[1].name == "Name it (line 17)" and python.steps[1].source_folder == "sdk"


def test_an_article_without_tabs_is_one_path(tmp_path):
    roots = build(tmp_path)
    article = parse_article(
        "demo.md", '# T\n\n:::code language="bash" source="~/samples/cli/demo.sh" id="set_name":::\n'
    )
    (only,) = tutorial_paths(article, tmp_path / "demo.md", Resolver(roots))
    assert only.tab == "article" and len(only.steps) == 1


def test_python_session_is_one_namespace_shown_like_a_repl(tmp_path):
    with PythonSession(cwd=tmp_path) as python:
        assert python.run("x = 41").output == ""
        assert python.run("x + 1").output == "42\n"
        assert python.run("print('a'); {'b': x}").output == "a\n{'b': 41}\n"
        assert python.run("None").output == ""
        failed = python.run("1 / 0")
        assert failed.status == 1 and "ZeroDivisionError" in failed.output
        assert python.run("x").output == "41\n"


def test_a_step_past_its_timeout_is_interrupted_and_the_session_survives(tmp_path):
    from docskit.doctest import StepTimedOut

    with PythonSession() as python, ShellSession() as shell:
        python.run("kept = 1")
        shell.run("KEPT=1")
        for session, code in ((python, "import time; time.sleep(30)"), (shell, "sleep 30")):
            with pytest.raises(StepTimedOut) as raised:
                session.run(code, timeout=0.2)
            assert raised.value.alive
        assert python.run("kept").output == "1\n" and shell.run("echo $KEPT").output == "1\n"


def test_shell_session_keeps_state_and_survives_failures():
    with ShellSession() as shell:
        assert shell.run("X=1; echo $X").output == "1\n"
        failed = shell.run("echo before; false; echo after")
        assert (failed.status, failed.output) == (1, "before\n")
        assert shell.run("echo $X").output == "1\n"


@pytest.mark.parametrize(
    "expected,actual,same",
    [
        ("[5215.2, 3727.0]", '"[5215.198131579868, 3726.9954859385775]"', True),
        ("[5215.2, 3726.99]", '"[5215.3, 3726.99]"', False),
        ("[207.99, 67.75]", "[207.12804, 67.7512]\n", False),
        ('{"a": 1}', '{"a": 1, "b": 2}', False),
        ("Created ... endpoint", "Created  the   endpoint", True),
        ("Created ... endpoint", "Deleted the endpoint", False),
    ],
)
def test_outputs_match(expected, actual, same):
    assert outputs_match(expected, actual) is same


def test_known_placeholders_take_the_targets_values_and_names_are_generated():
    filler = Placeholders({"subscription_id": "sub-1", "resource_group": "rg-1", "workspace": "ws-1"})
    code, missing = filler.fill(
        "az account set -s <SUBSCRIPTION_ID> -g <resource-group>\n"
        'ws = "<AML_WORKSPACE_NAME>"\nexport ENDPOINT_NAME="<YOUR_ENDPOINT_NAME>"\n'
        'echo "<html>" <<EOF\n<YOUR_ENDPOINT_NAME> <KEY_VAULT_URI>\nEOF'
    )
    name = filler.chosen["<YOUR_ENDPOINT_NAME>"]
    assert code.count(name) == 2 and "sub-1" in code and "rg-1" in code and '"ws-1"' in code and "<html>" in code
    assert missing == ["<KEY_VAULT_URI>"]
    assert filler.fill("<location>") == ("<location>", ["<location>"])  # no value from the target: not filled


def test_in_python_placeholders_are_filled_in_string_literals_and_not_in_comments():
    filler = Placeholders({"subscription_id": "sub-1", "resource_group": "rg-1", "workspace": "ws-1"})
    code, missing = filler.fill_python(
        "# put your <SUBSCRIPTION_ID> here, and your <KEY_VAULT_URI>\n"
        'subscription_id = "<SUBSCRIPTION_ID>"\n'
        "group = f'{prefix}<RESOURCE_GROUP>'\n"
        'endpoint = ManagedOnlineEndpoint(name="<YOUR_ENDPOINT_NAME>")\n'
        'page = """\n<html>\n<KEY_VAULT_URI>\n"""\n'
        "ml_client = MLClient(credential, <AML_WORKSPACE_NAME>)\n"
        "shown = a<b>c\n"
    )
    name = filler.chosen["<YOUR_ENDPOINT_NAME>"]
    assert code.splitlines()[:4] == [
        "# put your <SUBSCRIPTION_ID> here, and your <KEY_VAULT_URI>",
        'subscription_id = "sub-1"',
        "group = f'{prefix}rg-1'",
        f'endpoint = ManagedOnlineEndpoint(name="{name}")',
    ]
    assert "<html>" in code and "MLClient(credential, <AML_WORKSPACE_NAME>)" in code and "a<b>c" in code
    assert missing == ["<KEY_VAULT_URI>", "<AML_WORKSPACE_NAME> (not in a string literal)"]
    assert filler.fill_python('x = ("<RESOURCE_GROUP>",') == ('x = ("rg-1",', [])  # unfinished: filled as text


def test_generated_names_are_valid_azure_ml_names_and_unique():
    names = {generated_name("YOUR_ONLINE_ENDPOINT_NAME_THAT_IS_VERY_LONG") for _ in range(20)}
    assert len(names) == 20
    for name in names:
        assert name[0].isalpha() and len(name) <= 32 and all(c.isalnum() or c == "-" for c in name)


def test_sign_in_and_defaults_steps_are_done_by_the_environment():
    assert only_signs_in("az login\naz account set --subscription <SUBSCRIPTION_ID>\n")
    assert only_signs_in('# set defaults\naz configure --defaults group="$RESOURCE_GROUP" workspace="$WORKSPACE"')
    assert not only_signs_in("az login\naz ml online-endpoint list")


def test_a_clone_of_a_mapped_repository_becomes_a_copy_of_its_root(tmp_path):
    roots = build(tmp_path)
    roots = Roots(
        tmp_path,
        {"samples-main": tmp_path / "samples"},
        {"samples-main": "https://github.com/Org/samples/blob/main/{path}"},
    )
    run = PathRun(TargetWorkspace({"PATH": "/usr/bin:/bin"}, {}, False), roots, TutorialSettings(), 10)
    try:
        shell = run.shell()
        result = shell.run(
            run.clone_as_copy("git clone https://github.com/Org/samples --depth 1\ncd samples/cli && ls && pwd")
        )
        assert result.status == 0, result.output
        assert "demo.sh" in result.output and Path(result.output.strip().splitlines()[-1]).parts[-3:] == (
            "work",
            "samples",
            "cli",
        )
        assert str(tmp_path) not in result.output  # the scratch folder, never the checkout
        assert "git clone https://github.com/Other/x" in run.clone_as_copy("git clone https://github.com/Other/x")
    finally:
        run.close()
