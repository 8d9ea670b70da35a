"""`amlemu run`, `amlemu env` and `amlemu serve` from a shell."""

from __future__ import annotations

import configparser
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from amlemu.testing import running_emulator

SCRIPT = Path(__file__).parent / "scripts" / "user_script.py"
AMLEMU = [sys.executable, "-m", "amlemu.cli"]


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("AZURE", "AMLEMU", "HTTPS_PROXY", "https_proxy"))}


def test_run_executes_an_unmodified_user_script(tmp_path: Path) -> None:
    state = tmp_path / "state"
    completed = subprocess.run(
        [*AMLEMU, "run", "--state", str(state), "--runtime", "null", "--", sys.executable, str(SCRIPT), "tutorial-ep"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    identity = json.loads((state / "emulator.json").read_text())
    assert (
        f"created tutorial-ep True https://tutorial-ep.{identity['region']}.inference.ml.azure.com/score"
        in completed.stdout
    )
    assert "listed ['tutorial-ep']" in completed.stdout
    # the emulator stopped with the command, and the state stays for a later run
    running = json.loads((state / "running.json").read_text())
    deadline = time.monotonic() + 5
    while Path(f"/proc/{running['pid']}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{running['pid']}").exists()
    again = subprocess.run(
        [*AMLEMU, "run", "--state", str(state), "--runtime", "null", "--", sys.executable, str(SCRIPT), "second-ep"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert "listed ['tutorial-ep', 'second-ep']" in again.stdout, again.stderr


def test_run_returns_the_command_status_and_cleans_a_temporary_state(tmp_path: Path) -> None:
    completed = subprocess.run(
        [*AMLEMU, "run", "--runtime", "null", "--", sys.executable, str(SCRIPT), "exit-ep", "7"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert completed.returncode == 7, completed.stderr
    assert "created exit-ep True" in completed.stdout


def test_run_without_a_command_is_a_usage_error() -> None:
    completed = subprocess.run([*AMLEMU, "run"], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        "amlemu run: give the command to run after --, e.g. `amlemu run -- python script.py`"
    )
    missing = subprocess.run(
        [*AMLEMU, "run", "--", "no-such-command-amlemu"], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 127
    assert missing.stderr.strip() == "amlemu run: command not found: no-such-command-amlemu"


def test_env_prints_exports_that_a_shell_can_use(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "state") as emu:
        printed = subprocess.run(
            [*AMLEMU, "env", "--state", str(emu.state_dir)], capture_output=True, text=True, timeout=60
        )
        assert printed.returncode == 0, printed.stderr
        names = {line.split("=", 1)[0].removeprefix("export ") for line in printed.stdout.splitlines()}
        assert names >= {
            "HTTPS_PROXY",
            "REQUESTS_CA_BUNDLE",
            "CURL_CA_BUNDLE",
            "SSL_CERT_FILE",
            "NO_PROXY",
            "AZURE_SUBSCRIPTION_ID",
            "AZURE_RESOURCE_GROUP",
            "AZUREML_WORKSPACE_NAME",
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_CONFIG_DIR",
            "AMLEMU_PYTHON",
            "AMLEMU_STATE_DIR",
            "PATH",
        }
        # a shell that evaluates them reaches the emulated ARM with curl, as on Azure
        shell = (
            f'eval "$({" ".join(AMLEMU)} env --state {emu.state_dir})"; '
            "curl -s -o /dev/null -w '%{http_code}' "
            '"https://management.azure.com/subscriptions/$AZURE_SUBSCRIPTION_ID?api-version=2023-04-01"'
        )
        result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=_clean_env(), timeout=60)
        assert result.stdout == "401", result.stderr  # TLS trusted, proxy used, ARM answered: no token sent
        config = configparser.ConfigParser()
        config.read(emu.state_dir / "azure-config" / "config")
        assert dict(config["defaults"]) == {
            "group": emu.identity.resource_group,
            "workspace": emu.identity.workspace,
            "location": emu.identity.region,
        }


def test_env_on_a_folder_without_an_emulator(tmp_path: Path) -> None:
    completed = subprocess.run(
        [*AMLEMU, "env", "--state", str(tmp_path / "nothing")], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 1
    assert completed.stderr.startswith("amlemu: no emulator has run on ")


def test_serve_prints_port_and_environment_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*AMLEMU, "serve", "--state", str(tmp_path / "state")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("amlemu: workspace emulator listening on 127.0.0.1:")
        port = int(first.split("127.0.0.1:")[1].split()[0])
        lines = [process.stdout.readline() for _ in range(16)]
        assert f"export HTTPS_PROXY=http://127.0.0.1:{port}\n" in lines
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "one") as emu:
        completed = subprocess.run(
            [*AMLEMU, "serve", "--state", str(tmp_path / "two"), "--port", str(emu.port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert completed.returncode == 1
    assert completed.stderr.strip() == f"amlemu: cannot listen on 127.0.0.1:{emu.port}: Address already in use"


def test_a_command_killed_by_a_signal_ends_with_128_plus_the_signal(tmp_path: Path) -> None:
    completed = subprocess.run(
        [*AMLEMU, "run", "--state", str(tmp_path / "state"), "--runtime", "null", "--", "bash", "-c", "kill -9 $$"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=120,
    )
    assert completed.returncode == 128 + signal.SIGKILL


def test_the_emulator_stops_when_amlemu_run_is_killed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    runner = subprocess.Popen(
        [*AMLEMU, "run", "--state", str(state), "--runtime", "null", "--", "sleep", "60"],
        env=_clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (state / "running.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        emulator_pid = json.loads((state / "running.json").read_text())["pid"]
        runner.kill()
        runner.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{emulator_pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Path(f"/proc/{emulator_pid}").exists()
    finally:
        if runner.poll() is None:
            runner.kill()
