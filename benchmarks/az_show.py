"""Wall time of `az ml online-endpoint show` against a running emulator, and of the whole tutorial script.

    .venv/bin/python benchmarks/az_show.py [--runs 15] [--skip-tutorial]

Prints: the first call (which starts the resident helper), the median and
spread of warm calls through the helper, the same call in process
(AMLEMU_AZ_RESIDENT=0, importing the SDK every time), and the tutorial script
`snippets/cli/deploy-safe-rollout-online-endpoints.sh` end to end including
emulator start. Target: median warm show under 0.5 s; tutorial under 15 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from amlemu.az.resident import stop
from amlemu.testing import running_emulator

REPO = Path(__file__).resolve().parents[1]
CLI_FOLDER = REPO / "snippets" / "cli"
SHOW = ["az", "ml", "online-endpoint", "show", "--name", "my-endpoint"]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=CLI_FOLDER, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def describe(label: str, samples: list[float]) -> None:
    print(
        f"{label:<44} median {statistics.median(samples):6.3f} s   "
        f"min {min(samples):6.3f} s   max {max(samples):6.3f} s   (n={len(samples)})"
    )


def show_latency(runs: int) -> None:
    with running_emulator() as emulator:
        env = emulator.env
        subprocess.run(
            ["az", "ml", "online-endpoint", "create", "--file", "endpoints/online/managed/safe-rollout/1-endpoint.yml"],
            env=dict(env, AMLEMU_AZ_RESIDENT="0"),
            cwd=CLI_FOLDER,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            first = timed(SHOW, env)
            print(f"{'first show (starts the resident helper)':<44} {first:6.3f} s")
            describe("az ml online-endpoint show (helper, warm)", [timed(SHOW, env) for _ in range(runs)])
            in_process = dict(env, AMLEMU_AZ_RESIDENT="0")
            describe(
                "az ml online-endpoint show (in process)", [timed(SHOW, in_process) for _ in range(max(3, runs // 3))]
            )
            describe("az version (helper, warm)", [timed(["az", "version"], env) for _ in range(runs)])
        finally:
            stop(env["AZURE_CONFIG_DIR"])


def tutorial() -> None:
    start = time.perf_counter()
    with running_emulator(runtime="inference-server") as emulator:
        try:
            result = subprocess.run(
                ["bash", str(CLI_FOLDER / "deploy-safe-rollout-online-endpoints.sh")],
                env=emulator.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        finally:
            stop(emulator.env["AZURE_CONFIG_DIR"])
    elapsed = time.perf_counter() - start
    status = "ok" if result.returncode == 0 else f"exit {result.returncode}: {result.stderr.strip().splitlines()[-1:]}"
    print(f"{'tutorial script incl. emulator start':<44} {elapsed:6.3f} s   ({status})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-tutorial", action="store_true")
    options = parser.parse_args()
    show_latency(options.runs)
    if not options.skip_tutorial:
        tutorial()
    return 0


if __name__ == "__main__":
    sys.exit(main())
