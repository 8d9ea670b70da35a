"""Time the safe-rollout SDK flow against a fresh emulator, end to end.

    .venv/bin/python benchmarks/emulator_flow.py [--mode proxy|direct|both] [--runs N] [--no-scoring]

Prints, per run: emulator start until ready, MLClient creation (with its first token),
each step of the flow, and the total of start + client + flow. By default deployments
really run their scoring script under azmlinfsrv and the flow invokes them (target: the
total under 6 s on a 2-core machine); `--no-scoring` times the control plane alone
(target: under 3 s). The one-off cost of `import azure.ai.ml` is printed separately (it
is paid once per process). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "amlemu"))

from safe_rollout_flow import run_flow, write_flow_files

from amlemu.testing import running_emulator


def one_run(mode: str, root: Path, scoring: bool, quiet_polling: bool = True) -> dict[str, float]:
    files = write_flow_files(root / "files")
    figures: dict[str, float] = {}
    began = time.perf_counter()
    runtime = "inference-server" if scoring else "null"
    with running_emulator(root / "state", mode=mode, runtime=runtime) as emu:
        figures["emulator start"] = time.perf_counter() - began
        mark = time.perf_counter()
        ml = emu.ml_client()
        ml.workspaces.get(emu.identity.workspace)  # first request: token + TLS + workspace
        figures["client + first call"] = time.perf_counter() - mark
        last = [time.perf_counter()]

        def observe(step: str) -> None:
            now = time.perf_counter()
            figures[step] = now - last[0]
            last[0] = now

        flow_start = time.perf_counter()
        stdout = sys.stdout
        if quiet_polling:  # the SDK prints a dot per poll; keep the report readable
            sys.stdout = open("/dev/null", "w")
        try:
            run_flow(ml, files, "bench-ep", observe, score=scoring)
        finally:
            if quiet_polling:
                sys.stdout.close()
                sys.stdout = stdout
        figures["flow"] = time.perf_counter() - flow_start
        figures["total (start + client + flow)"] = time.perf_counter() - began
        stop = time.perf_counter()
    figures["emulator stop"] = time.perf_counter() - stop
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["proxy", "direct", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-scoring", action="store_true", help="deployments run no code (control plane only)")
    args = parser.parse_args()

    began = time.perf_counter()
    import azure.ai.ml
    import azure.ai.ml.entities  # noqa: F401

    print(f"import azure.ai.ml (once per process): {time.perf_counter() - began:.3f} s")

    modes = ["proxy", "direct"] if args.mode == "both" else [args.mode]
    for mode in modes:
        runs = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="amlemu-bench-") as folder:
                runs.append(one_run(mode, Path(folder), scoring=not args.no_scoring))
        what = "control plane only" if args.no_scoring else "with scoring"
        print(f"\n{mode} mode, {what}, {args.runs} runs (median, min, max in seconds):")
        for name in runs[0]:
            values = [run[name] for run in runs]
            print(f"  {name:34s} {statistics.median(values):7.3f} {min(values):7.3f} {max(values):7.3f}")


if __name__ == "__main__":
    main()
