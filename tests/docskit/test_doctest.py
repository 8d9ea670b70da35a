"""The tutorial-as-a-test machinery: one shell per article, resolved snippets, expected output."""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil import Sybil
from sybil.example import SybilFailure

from docskit.doctest import CodeDirectiveParser, ExpectedOutputParser, ShellSession, outputs_match, stop_session
from docskit.snippets import Resolver, Roots

SCRIPT = """#!/bin/bash
# <set_name>
NAME=demo-$((6 * 7))
# </set_name>
# <show_name>
echo "{\\"name\\": \\"$NAME\\", \\"score\\": 0.123456}"
# </show_name>
# <where>
cat data/value.txt
# </where>
# <fails>
false
echo never
# </fails>
"""

ARTICLE = """# Demo

:::code language="azurecli" source="~/samples/cli/demo.sh" id="set_name":::

:::code language="python" source="~/samples/cli/demo.sh" id="set_name":::

:::code language="azurecli" source="~/samples/cli/demo.sh" id="show_name":::

```output
{"name": "demo-42", "score": 0.1235}
```

:::code language="bash" source="~/samples/cli/demo.sh" id="where":::

```output
from the ... folder
```
"""


def build(tmp_path: Path, article_text: str):
    (tmp_path / "samples" / "cli" / "data").mkdir(parents=True)
    (tmp_path / "samples" / "cli" / "demo.sh").write_text(SCRIPT)
    (tmp_path / "samples" / "cli" / "data" / "value.txt").write_text("from the data/ folder\n")
    article = tmp_path / "docs" / "demo.md"
    article.parent.mkdir()
    article.write_text(article_text)
    roots = Roots(tmp_path, {"samples": tmp_path / "samples"})
    sybil = Sybil([CodeDirectiveParser(lambda: Resolver(roots)), ExpectedOutputParser()], teardown=stop_session)
    return sybil.parse(article)


def run_all(document) -> list[str]:
    namespace = document.namespace
    failures = []
    try:
        for example in document.examples():
            try:
                example.evaluate()
            except SybilFailure as failure:
                failures.append(f"{example.line}: {failure.result}")
    finally:
        stop_session(namespace)
    return failures


def test_blocks_run_in_order_in_one_shell_from_the_source_folder(tmp_path):
    document = build(tmp_path, ARTICLE)
    examples = list(document.examples())
    assert [e.line for e in examples] == [3, 7, 9, 13, 15]  # the python directive is not run
    assert run_all(document) == []


def test_a_failing_command_fails_its_example_with_the_output(tmp_path):
    document = build(tmp_path, ARTICLE + '\n:::code language="bash" source="~/samples/cli/demo.sh" id="fails":::\n')
    failures = run_all(document)
    assert len(failures) == 1 and failures[0].startswith("19: the command exited with status 1")


def test_an_expected_output_mismatch_is_reported(tmp_path):
    document = build(tmp_path, ARTICLE.replace("0.1235", "0.2"))
    (failure,) = run_all(document)
    assert failure.startswith("9: the command printed:")


def test_an_unresolvable_snippet_fails_with_the_linter_message(tmp_path):
    document = build(tmp_path, ARTICLE + '\n:::code language="bash" source="~/samples/cli/demo.sh" id="nope":::\n')
    failures = run_all(document)
    assert len(failures) == 1 and "REG001" in failures[0]


def test_shell_session_keeps_state_and_survives_failures():
    with ShellSession() as shell:
        assert shell.run("X=1; echo $X").output == "1\n"
        failed = shell.run("echo before; false; echo after")
        assert (failed.status, failed.output) == (1, "before\n")
        assert shell.run("echo $X").output == "1\n"


@pytest.mark.parametrize("expected,actual,same", [
    ('[5215.2, 3727.0]', '"[5215.198131579868, 3726.9954859385775]"', True),
    ('[5215.2, 3726.99]', '"[5215.3, 3726.99]"', False),
    ('{"a": 1}', '{"a": 1, "b": 2}', False),
    ("Created ... endpoint", "Created  the   endpoint", True),
    ("Created ... endpoint", "Deleted the endpoint", False),
])
def test_outputs_match(expected, actual, same):
    assert outputs_match(expected, actual) is same


TABBED = """# Tabs

# [CLI](#tab/cli)

:::code language="bash" source="~/samples/cli/demo.sh" id="show_name":::

```output
{"name": "", "score": 0.123456}
```

# [Python](#tab/python)

:::code language="python" source="~/samples/cli/demo.sh" id="show_name":::

```output
{'name': 'python repr, not checked'}
```

---

```output
{"name": "", "score": 0.123456}
```
"""


def test_output_blocks_of_a_tab_that_is_not_run_are_not_checked(tmp_path):
    document = build(tmp_path, TABBED)
    assert [e.line for e in document.examples()] == [5, 7, 21]
    assert run_all(document) == []
