"""The tutorial's script, run whole with `amlemu run`, as a reader runs it offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = "snippets/cli/deploy-safe-rollout-online-endpoints.sh"


def _clean_env() -> dict[str, str]:
    """The caller's environment without anything that would point at a workspace already."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AZURE", "AMLEMU", "HTTPS_PROXY", "https_proxy", "REQUESTS_CA", "CURL_CA", "SSL_CERT"))
    }


def test_the_script_runs_every_step_against_an_emulated_workspace(tmp_path):
    state = tmp_path / "state"
    done = subprocess.run(
        [sys.executable, "-m", "amlemu.cli", "run", "--state", str(state), "--", "bash", SCRIPT],
        cwd=REPO,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Created endpoint my-endpoint" in out
    assert '"[207.13, 67.75]"' in out  # test_blue: model 1 answered through the endpoint
    assert '"[209.93, 79.92]"' in out  # test_green: model 2 answered when named
    assert "[209.93, 79.92]" in out.split('"[209.93, 79.92]"', 1)[1]  # and again through curl with the key
    assert "Scored 2 rows with GradientBoostingRegressor" in out  # green's log, read with get-logs
    # the script ran to its last step: the endpoint is gone from the workspace it left behind
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "amlemu.cli",
            "run",
            "--state",
            str(state),
            "--",
            "az",
            "ml",
            "online-endpoint",
            "list",
            "--query",
            "[].name",
            "-o",
            "tsv",
        ],
        cwd=REPO,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0 and listed.stdout.strip() == "", listed.stderr


def test_a_removed_2021_command_stops_the_script_as_it_would_on_azure(tmp_path):
    broken = tmp_path / "cli" / "broken.sh"
    broken.parent.mkdir()
    broken.write_text("set -e\naz ml endpoint update -n my-new-endpoint -f endpoint.yml\necho not reached\n")
    done = subprocess.run(
        [sys.executable, "-m", "amlemu.cli", "run", "--", "bash", str(broken)],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "'endpoint' is misspelled or not recognized by the system." in done.stderr
    assert "not reached" not in done.stdout


def test_the_python_sdk_flow_runs_against_an_emulated_workspace(tmp_path):
    """The Python tabs' file, run whole with the unmodified SDK and DefaultAzureCredential."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "amlemu.cli",
            "run",
            "--state",
            str(tmp_path / "state"),
            "--",
            sys.executable,
            "snippets/sdk/safe_rollout.py",
        ],
        cwd=REPO,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "[207.13, 67.75]" in done.stdout and "[209.93, 79.92]" in done.stdout
