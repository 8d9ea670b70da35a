"""`--traffic "blue=90 green=10"` and `--mirror-traffic "green=10"`: the CLI sends the percentages as strings.

The `ml` extension splits these flags into a dict of strings and the SDK
(azure-ai-ml 1.35.2, `arm_ml_service` models) puts them on the wire unchanged,
as `{"green": "10"}`; the real service accepts that. These tests pin the
tutorial's mirror and traffic steps end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

from .golden import run_az

CLI_FOLDER = Path(__file__).resolve().parents[2] / "snippets" / "cli"
SAFE_ROLLOUT = "endpoints/online/managed/safe-rollout"


def test_traffic_and_mirror_flags(tmp_path: Path) -> None:
    from amlemu.az.resident import stop
    from amlemu.testing import running_emulator

    with running_emulator(state_dir=tmp_path / "state") as emulator:
        env = emulator.env
        try:
            assert (
                run_az(
                    ["ml", "online-endpoint", "create", "-f", f"{SAFE_ROLLOUT}/1-endpoint.yml"], env, CLI_FOLDER
                ).exit_code
                == 0
            )
            for state in ("2-blue-deployment.yml", "4-green-deployment.yml"):
                created = run_az(
                    ["ml", "online-deployment", "create", "-f", f"{SAFE_ROLLOUT}/{state}"], env, CLI_FOLDER
                )
                assert created.exit_code == 0, created.stderr
            mirrored = run_az(
                [
                    "ml",
                    "online-endpoint",
                    "update",
                    "-n",
                    "my-endpoint",
                    "--traffic",
                    "blue=100",
                    "--mirror-traffic",
                    "green=10",
                    "--query",
                    "[traffic, mirror_traffic]",
                ],
                env,
                CLI_FOLDER,
            )
            assert mirrored.exit_code == 0, mirrored.stderr
            assert json.loads(mirrored.stdout) == [{"blue": 100}, {"green": 10}]
            reset = run_az(
                [
                    "ml",
                    "online-endpoint",
                    "update",
                    "-n",
                    "my-endpoint",
                    "--mirror-traffic",
                    "green=0",
                    "--query",
                    "mirror_traffic",
                ],
                env,
                CLI_FOLDER,
            )
            assert (reset.exit_code, json.loads(reset.stdout or "null")) == (0, {})
            split = run_az(
                [
                    "ml",
                    "online-endpoint",
                    "update",
                    "-n",
                    "my-endpoint",
                    "-r",
                    "blue=90 green=10",
                    "--query",
                    "traffic",
                ],
                env,
                CLI_FOLDER,
            )
            assert (split.exit_code, json.loads(split.stdout or "null")) == (0, {"blue": 90, "green": 10})
        finally:
            stop(env["AZURE_CONFIG_DIR"])
