"""Time `check-snippets` on a synthetic corpus: cold, warm (cache present) and `--changed-since`.

    .venv/bin/python benchmarks/check_snippets_corpus.py [--articles 2000] [--shell-blocks] [--keep DIR]

The corpus: 2,000 articles with 12,000 `:::code` directives (6 each) over 300 source
files (150 shell scripts with 8 regions, 150 Azure ML deployment YAML files with 2
regions), plus links with anchors and a fenced block per article; with
`--shell-blocks`, also four small fenced `azurecli` blocks, each different, in every
article (8,000 blocks: the case where `bash -n` and shellcheck cost most). Targets on a
2-core machine: warm < 1.5 s, cold < 4 s, `--changed-since` with one changed source
< 0.3 s. `--changed-since` is timed twice: with the cache as it was before the
change (the articles that show the changed script are checked again), and
repeated once the cache has caught up. Prints wall times and files per second;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAUNCHER = REPO / "tools" / "check-snippets"
SCRIPTS, YAMLS, REGIONS = 150, 150, 8


def script(index: int) -> str:
    lines = ["#!/usr/bin/env bash", "set -e", ""]
    for region in range(REGIONS):
        lines += [
            f"# <step_{region}>",
            f'az ml online-endpoint show --name "$ENDPOINT_{index}" --query "traffic.step{region}" --output tsv',
            f'echo "script {index} step {region} done"',
            f"# </step_{region}>",
            "",
        ]
    return "\n".join(lines)


def deployment(index: int) -> str:
    return (
        f"$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json\n"
        f"name: blue-{index}\nendpoint_name: endpoint-{index}\n# <model>\nmodel:\n  path: ../model/\n# </model>\n"
        f"code_configuration:\n  code: ../model/\n  scoring_script: score.py\n# <environment>\nenvironment:\n"
        f"  conda_file: ../model/conda.yaml\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n"
        f"# </environment>\ninstance_type: Standard_DS3_v2\ninstance_count: {1 + index % 3}\n"
    )


def article(index: int, count: int, with_shell: bool = False) -> str:
    s, y = index % SCRIPTS, index % YAMLS
    other = (index + 1) % count
    return f"""---
title: Article {index}
description: Synthetic article {index} for timing the checker.
author: bench
ms.author: bench
ms.service: machine-learning
ms.topic: how-to
ms.date: 04/24/2021
---

# Article {index}

This page walks through script {s}. See [the next article](article-{other:04d}.md#steps) for more.

## Steps

:::code language="azurecli" source="~/samples/cli/script-{s:03d}.sh" id="step_{index % REGIONS}":::

:::code language="azurecli" source="~/samples/cli/script-{s:03d}.sh" id="step_{(index + 3) % REGIONS}":::

:::code language="azurecli" source="~/samples/cli/script-{(s + 7) % SCRIPTS:03d}.sh" id="step_{(index + 5) % REGIONS}":::

The deployment:

:::code language="yaml" source="~/samples/cli/deployments/deployment-{y:03d}.yml" highlight="2":::

:::code language="yaml" source="~/samples/cli/deployments/deployment-{(y + 1) % YAMLS:03d}.yml" id="environment":::

:::code language="yaml" source="~/samples/cli/deployments/deployment-{(y + 2) % YAMLS:03d}.yml" range="1-3":::

```output
step {index} done
```
{shell_blocks(index) if with_shell else ""}"""


SHELL_BLOCKS = 4


def shell_blocks(index: int) -> str:
    """Small fenced shell blocks, each different, as a how-to shows them between its `:::code` steps."""
    blocks = [
        f"az account set --subscription <subscription-ID>\naz configure --defaults group=rg-{index} workspace=ws-{index}",
        f'ENDPOINT_NAME="endpoint-{index}"\nSTATUS=$(az ml online-endpoint show -n "$ENDPOINT_NAME" --query provisioning_state -o tsv)\n'
        f'if [[ "$STATUS" != "Succeeded" ]]; then\n  echo "endpoint {index}: $STATUS" >&2\n  exit 1\nfi',
        f'for i in $(seq 1 {1 + index % 5}); do\n  curl -s -H "Authorization: Bearer $TOKEN" "$SCORING_URI" -d @sample-{index}.json\ndone',
        f"az ml online-deployment get-logs -g <resource-group> -w <workspace> -e endpoint-{index} -n blue --lines {50 + index}",
    ]
    return "".join(
        f"\n## Shell step {n}\n\n```azurecli\n{block}\n```\n" for n, block in enumerate(blocks[:SHELL_BLOCKS])
    )


def generate(root: Path, count: int, with_shell: bool = False) -> None:
    (root / "docs").mkdir(parents=True)
    cli = root / "samples" / "cli"
    (cli / "deployments").mkdir(parents=True)
    (cli / "model").mkdir()
    for name in ("score.py", "conda.yaml"):
        (cli / "model" / name).write_text("# model file\n")
    for index in range(SCRIPTS):
        (cli / f"script-{index:03d}.sh").write_text(script(index))
    for index in range(YAMLS):
        (cli / "deployments" / f"deployment-{index:03d}.yml").write_text(deployment(index))
    for index in range(count):
        (root / "docs" / f"article-{index:04d}.md").write_text(article(index, count, with_shell))
    entry = {
        "roots": {"samples": "samples"},
        "command_checkers": {"az": "amlemu.az.command_line_check:check_command_line"},
        "command_normalizers": {"az": "amlemu.az.command_line_check:normalize_command_line"},
    }
    (root / "mkdocs.yml").write_text(
        f"site_name: corpus\ndocs_dir: docs\nmarkdown_extensions:\n  - docskit.mdext.learn: {json.dumps(entry)}\n"
    )


def timed(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(LAUNCHER), *args], cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"check-snippets failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument(
        "--shell-blocks",
        action="store_true",
        help=f"add {SHELL_BLOCKS} small fenced azurecli blocks, each different, to every article",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is reported)")
    args = parser.parse_args()
    # as `make check`/`make site` leave the tools: compiled, so no timed run compiles docskit again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "tools")], check=True, capture_output=True)
    root = args.keep or Path(tempfile.mkdtemp(prefix="check-snippets-corpus-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    generate(root, args.articles, args.shell_blocks)
    directives = sum(t.count(":::code") for t in (p.read_text() for p in (root / "docs").glob("*.md")))
    sources = SCRIPTS + YAMLS
    print(f"corpus: {args.articles} articles, {directives} :::code directives, {sources} source files in {root}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    cache = root / ".check-snippets-cache"

    colds = []
    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(timed(root))
    warms = [timed(root) for _ in range(args.repeat)]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid", "add", "."], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-qm", "corpus"],
        cwd=root,
        check=True,
    )
    before_change = root.parent / (root.name + "-cache-before-change")
    shutil.rmtree(before_change, ignore_errors=True)
    shutil.copytree(cache, before_change)
    target = root / "samples" / "cli" / "script-007.sh"
    target.write_text(target.read_text().replace("step 3 done", "step 3 finished"))
    changed = []
    for _ in range(
        args.repeat
    ):  # each run finds the cache as the commit left it: the articles using the script are checked
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(before_change, cache)
        changed.append(timed(root, "--changed-since", "HEAD"))
    again = [timed(root, "--changed-since", "HEAD") for _ in range(args.repeat)]  # the cache already has the change
    shutil.rmtree(before_change, ignore_errors=True)
    files = args.articles + sources
    for label, runs, target_s in (
        ("cold", colds, 4.0),
        ("warm", warms, 1.5),
        ("--changed-since, 1 source", changed, 0.3),
        ("--changed-since, repeated", again, 0.3),
    ):
        best = min(r[0] for r in runs)
        print(
            f"{label:28s} best {best:6.2f} s  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})  "
            f"{files / best:8.0f} files/s  target < {target_s} s  [{runs[-1][1]}]"
        )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
