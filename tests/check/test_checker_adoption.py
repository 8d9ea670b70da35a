"""How a docs team adopts check-snippets: the pre-commit hook and the GitHub Actions workflow.

The hook definition (`.pre-commit-hooks.yaml`) is run by the real `pre-commit` on a
scratch repository. pre-commit would install the hook's `language: python` package
with its dependencies from PyPI (minutes, and the network); the test instead runs
the same hook (id, entry, file types, serial) as a `repo: local` hook with
`language: system`, the entry taken from this environment's PATH, and checks
the published definition against pre-commit's own schema.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from checker_support import REPO, write_files, write_mkdocs

from docskit.cli import command

HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "guide" / "examples" / "check-snippets.yml"
SCRIPT = "#!/bin/bash\n# <create>\naz ml online-endpoint create --name my-endpoint\n# </create>\n"
PAGE = (
    "---\ntitle: {title}\ndescription: A page.\n---\n\n# {title}\n\n"
    ':::code language="azurecli" source="~/samples/deploy.sh" id="{region}":::\n'
)


def _hook() -> dict:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "check-snippets")


def test_the_hook_definition_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    (hook,) = [h for h in load_manifest(str(HOOKS)) if h["id"] == "check-snippets"]
    assert hook["entry"] == "check-snippets" and hook["language"] == "python"
    assert hook["types"] == ["markdown"] and hook["pass_filenames"] is True


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_pre_commit_runs_the_hook_on_the_changed_pages(tmp_path):
    repo = tmp_path / "docs-repo"
    write_files(
        repo,
        {
            "samples/deploy.sh": SCRIPT,
            "docs/broken.md": PAGE.format(title="Broken", region="create_endpoint"),
            "docs/clean.md": PAGE.format(title="Clean", region="create"),
        },
    )
    write_mkdocs(repo)
    hook = _hook()
    local = {k: hook[k] for k in ("id", "name", "entry", "types", "require_serial")}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{**local, "language": "system"}]}]}), encoding="utf-8"
    )
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "docs")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("GITHUB_ACTIONS", None)

    def run(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--files", *files],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    broken = run("docs/broken.md", "samples/deploy.sh")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "docs/broken.md:8:58: REG001 error" in broken.stdout and "create_endpoint" in broken.stdout
    clean = run("docs/clean.md", "samples/deploy.sh")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def _workflow_command() -> list[str]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check-snippets"]["steps"]
    (run,) = [s["run"] for s in steps if s.get("run", "").startswith("check-snippets")]
    return shlex.split(run.replace("${{ github.base_ref }}", "main"))


def test_the_example_workflow_uses_options_the_cli_has():
    argv = _workflow_command()
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    used = [word for word in argv[1:] if word.startswith("-")]
    assert used and set(used) <= known, set(used) - known
    assert argv[argv.index("--changed-since") + 1] == "origin/main"
    assert argv[argv.index("--format") + 1] == "sarif" and argv[argv.index("-o") + 1] == "results.sarif"
    ctx = command.make_context("check-snippets", argv[1:], resilient_parsing=True)
    assert ctx.params["changed_since"] == "origin/main" and ctx.params["output_format"] == "sarif"


def test_the_example_workflow_fetches_history_and_uploads_the_sarif():
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["check-snippets"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "results.sarif" and upload["if"] == "always()"


@pytest.mark.parametrize("path", [HOOKS, WORKFLOW])
def test_the_guide_shows_the_adoption_files(path):
    guide = (REPO / "docs" / "guide" / "check-snippets.md").read_text(encoding="utf-8")
    assert path.name in guide
