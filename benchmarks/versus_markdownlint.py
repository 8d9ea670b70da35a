"""Time `check-snippets` and `markdownlint-cli2` side by side on the same pages.

    .venv/bin/python benchmarks/versus_markdownlint.py [--articles 2000] [--repeat 3] [--corpus DIR]

The pages: the synthetic corpus of `check_snippets_corpus.py` with `--shell-blocks`
(2,000 articles, 12,000 `:::code` directives, four small fenced `azurecli` blocks in
every article), or `--corpus DIR`, a docset with its own `mkdocs.yml` (for example a
real-docset fixture). Both tools get the same Markdown files; check-snippets runs
every rule, `bash -n` and shellcheck included. Printed: wall time and CPU time
(user + system of the tool and its children) of each run, cold (no cache) and warm
for check-snippets, and the ratio cold / markdownlint-cli2. Target: the ratio at most
0.5. Asserts nothing.

markdownlint-cli2 comes from npm and is looked for in $MARKDOWNLINT_CLI2 (the
executable), then on PATH; install it outside the repository, for example:

    npm install --prefix ~/.cache/markdownlint markdownlint-cli2
    export MARKDOWNLINT_CLI2=~/.cache/markdownlint/node_modules/.bin/markdownlint-cli2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_snippets_corpus import LAUNCHER, REPO, generate

INSTALL_HINT = (
    "markdownlint-cli2 not found: install with `npm install --prefix DIR markdownlint-cli2` and set "
    "MARKDOWNLINT_CLI2=DIR/node_modules/.bin/markdownlint-cli2 (or put it on PATH)"
)


def find_markdownlint() -> str | None:
    named = os.environ.get("MARKDOWNLINT_CLI2")
    if named:
        return named if os.access(named, os.X_OK) else None
    return shutil.which("markdownlint-cli2")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, ok: tuple[int, ...]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything it started)."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in ok:
        sys.exit(f"{command[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")
    return wall, children_cpu() - cpu


def report(label: str, runs: list[tuple[float, float]]) -> float:
    best = min(runs)
    print(
        f"{label:34s} best {best[0]:6.2f} s wall {best[1]:6.2f} s CPU   "
        f"(runs: {', '.join(f'{w:.2f}/{c:.2f}' for w, c in runs)})"
    )
    return best[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is reported)")
    parser.add_argument("--corpus", type=Path, help="a docset folder with mkdocs.yml, instead of the synthetic corpus")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "tools")], check=True, capture_output=True)
    made = None
    if args.corpus:
        root = args.corpus.resolve()
    else:
        root = made = Path(tempfile.mkdtemp(prefix="check-snippets-vs-markdownlint-"))
        generate(root, args.articles, with_shell=True)
    pages = sorted(str(p.relative_to(root)) for p in (root / "docs").rglob("*.md"))
    fences = sum(p.read_text(encoding="utf-8").count("```azurecli") for p in (root / "docs").rglob("*.md"))
    print(f"corpus: {len(pages)} Markdown pages, {fences} fenced azurecli blocks, in {root}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.1f}")
    cache = root / ".check-snippets-cache"
    colds = []
    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(timed([str(LAUNCHER)], root, (0, 1)))
    warms = [timed([str(LAUNCHER)], root, (0, 1)) for _ in range(args.repeat)]
    cold = report("check-snippets, cold", colds)
    report("check-snippets, warm", warms)
    markdownlint = find_markdownlint()
    if markdownlint is None:
        print(INSTALL_HINT)
    else:
        # its default rules, on exactly the pages check-snippets read; exit 1 means it found something
        lints = [timed([markdownlint, *pages], root, (0, 1)) for _ in range(args.repeat)]
        other = report("markdownlint-cli2", lints)
        print(f"cold check-snippets / markdownlint-cli2: {cold / other:.2f} (target <= 0.5)")
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
