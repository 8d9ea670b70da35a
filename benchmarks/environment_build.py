"""Deployment environment builds, and the tutorial script end to end.

    .venv/bin/python benchmarks/environment_build.py [--cold-uv] [--skip-tutorial]

Prints: the first build of an environment (scikit-learn, numpy, scipy pinned as
the public sample `deploy-moe-minimal-single-model-registered.sh` pins them,
other versions than amlemu's own) into an empty environment cache; the same
environment again (a cache hit); and `amlemu run -- bash
snippets/cli/deploy-safe-rollout-online-endpoints.sh` (whose conda file amlemu's
own environment satisfies, so nothing is built). `--cold-uv` also empties uv's
download cache for the first build, so every wheel comes from PyPI.
Target: the tutorial under 15 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from amlemu.scoring.environments import EnvironmentCache, read_conda_file

REPO = Path(__file__).resolve().parents[1]
SAMPLE_ENV = """\
name: model-env
channels:
  - conda-forge
dependencies:
  - python=3.12
  - numpy=2.3.1
  - pip=25.1.1
  - scikit-learn=1.7.0
  - scipy=1.16.0
  - pip:
    - azureml-inference-server-http
    - joblib==1.5.1
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cold-uv", action="store_true", help="empty uv's own cache for the first build")
    parser.add_argument("--skip-tutorial", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="amlemu-env-bench-") as scratch:
        folder = Path(scratch)
        if options.cold_uv:
            os.environ["UV_CACHE_DIR"] = str(folder / "uv-cache")
        conda = folder / "env.yml"
        conda.write_text(SAMPLE_ENV, encoding="utf-8")
        definition = read_conda_file(conda)
        cache = EnvironmentCache(root=folder / "environments")
        for label in ("first build, empty environment cache", "same environment again (cache hit)"):
            start = time.perf_counter()
            prepared = cache.prepare(definition)
            elapsed = time.perf_counter() - start
            print(f"{label:<44} {elapsed:7.2f} s   ({prepared.python})")
        uv_cache = "empty (--cold-uv)" if options.cold_uv else "uv's default cache, as it was"
        print(f"{'uv download cache':<44} {uv_cache}")

    if not options.skip_tutorial:
        start = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).with_name("amlemu")),
                "run",
                "--",
                "bash",
                "snippets/cli/deploy-safe-rollout-online-endpoints.sh",
            ],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        print(f"{'tutorial script, incl. emulator start':<44} {time.perf_counter() - start:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
