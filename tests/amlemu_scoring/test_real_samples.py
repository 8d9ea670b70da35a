"""Microsoft's own online-endpoint samples, run unchanged under `amlemu run`.

The scripts are the unmodified files of Azure/azureml-examples kept in `shared/real-samples/`
beside the repository (see its README.md); each test copies the `cli` folder, as a user's
checkout, and runs one script from it, the way the README says:

    amlemu run -- bash deploy-moe-minimal-single-model-registered.sh
    amlemu run -- bash deploy-rest.sh

Both must exit 0. The scripts print their own checks (`Deployment completed successfully`,
`Current operation status: Succeeded`), which the tests read as well: deploy-rest.sh has no
`set -e`, so its status alone says little.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "real-samples" / "azureml-examples" / "cli"
AMLEMU = [sys.executable, "-m", "amlemu.cli"]
SCRIPT_TIMEOUT_S = 900  # a first deployment environment build may download packages


def _cli_copy(tmp_path: Path) -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(
            f"the real samples are not here: {SAMPLES} is missing (they live in ../shared beside the "
            "repository; see shared/real-samples/README.md)"
        )
    for tool, package in (("bash", "bash"), ("curl", "curl"), ("jq", "jq")):
        if shutil.which(tool) is None:
            pytest.skip(f"the samples need `{tool}`: apt-get install {package}")
    target = tmp_path / "cli"
    shutil.copytree(SAMPLES, target)
    for path in [target, *target.rglob("*")]:  # a checkout is writable; the shared copy is not
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return target


def _run_sample(cli: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE", "AMLEMU", "HTTPS_PROXY", "https_proxy"))}
    return subprocess.run(
        [*AMLEMU, "run", "--", "bash", script],
        cwd=cli,
        env=env,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_S,
    )


def _explain(completed: subprocess.CompletedProcess[str]) -> str:
    return f"exit {completed.returncode}\n--- stdout (end)\n{completed.stdout[-4000:]}\n--- stderr (end)\n{completed.stderr[-6000:]}"


def test_deploy_moe_minimal_single_model_registered(tmp_path: Path) -> None:
    """`az ml model create`, a model referenced as azureml:NAME:VERSION, an environment built from
    the deployment's conda file, scoring with curl and the endpoint key."""
    cli = _cli_copy(tmp_path)
    completed = _run_sample(cli, "deploy-moe-minimal-single-model-registered.sh")
    assert completed.returncode == 0, _explain(completed)
    assert "Endpoint created successfully" in completed.stdout, _explain(completed)
    assert "Deployment completed successfully" in completed.stdout, _explain(completed)


def test_deploy_rest(tmp_path: Path) -> None:
    """The ARM REST API with curl and jq: api-version 2022-05-01, code, model and environment
    versions and an endpoint and deployment created by PUT, each PUT's
    `properties.properties.AzureAsyncOperationUri` polled until Succeeded."""
    cli = _cli_copy(tmp_path)
    completed = _run_sample(cli, "deploy-rest.sh")
    assert completed.returncode == 0, _explain(completed)
    assert "operation id cannot be empty" not in completed.stdout, _explain(completed)
    assert completed.stdout.count("Current operation status: Succeeded") == 2, _explain(completed)
