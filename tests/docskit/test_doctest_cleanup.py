"""Against Azure, the article's clean-up steps run whatever happens: after a failing step, after Ctrl-C.

"Azure" here is an emulator given to the runner as the caller's own environment
(`DOCSKIT_TUTORIAL_TARGET=azure`), so nothing tears it down but the clean-up steps;
the test then asks the emulator whether the endpoint is gone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from amlemu.testing import running_emulator

ARTICLE = """# Demo

## Create an endpoint

```azurecli
export ENDPOINT_NAME="<YOUR_ENDPOINT_NAME>"
printf 'auth_mode: key\\n' > endpoint.yml
az ml online-endpoint create --name "$ENDPOINT_NAME" --file endpoint.yml --query name --output tsv
```

## Something goes wrong

```bash
{BREAK}
```

## Never reached

```bash
echo never
```

## Clean up resources

```bash
echo "the clean-up ran in $(pwd)" >&2
false
```

```azurecli
az ml online-endpoint delete --name "$ENDPOINT_NAME" --yes
```
"""


def run(tmp_path: Path, brk: str, emulator) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "docs" / "how-to-demo.md").write_text(ARTICLE.replace("{BREAK}", brk))
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: demo\nmarkdown_extensions:\n  - docskit.mdext.learn:\n"
        "      tutorial: {target: 'amlemu.testing:tutorial_target', step_timeout: 60}\n"
    )
    env = dict(
        emulator.env,
        DOCSKIT_TUTORIAL_TARGET="azure",
        RESOURCE_GROUP=emulator.identity.resource_group,
        WORKSPACE=emulator.identity.workspace,
    )
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:xdist",
        "-p",
        "no:cacheprovider",
        "-c",
        os.devnull,
        "--rootdir",
        str(tmp_path),
        "-rs",
        "--learn-tutorials",
        "docs/how-to-demo.md",
    ]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def endpoints(emulator) -> list[str]:
    listed = subprocess.run(
        ["az", "ml", "online-endpoint", "list", "--query", "[].name", "--output", "json"],
        env=emulator.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(listed.stdout)


@pytest.mark.parametrize("brk,status", [("false", 1), ("kill -INT $PPID; sleep 10", 2)], ids=["failing-step", "sigint"])
def test_clean_up_steps_run_and_the_endpoint_is_gone(tmp_path, brk, status):
    with running_emulator(state_dir=tmp_path / "state") as emulator:
        result = run(tmp_path / "docset", brk, emulator)
        shown = result.stdout + result.stderr
        assert result.returncode == status, shown
        assert "not run: the step Something goes wrong (line 13) failed" in shown or status == 2
        assert "never\n" not in result.stdout
        assert "Clean up resources (line 25)" in shown and "the step failed with status 1" in shown  # reported
        assert endpoints(emulator) == []  # the next clean-up step ran all the same
