"""Time the checker and the site extension on hostile pages and YAML: scanning and YAML bounds.

    .venv/bin/python benchmarks/worst_case.py [--only NAME,...] [--timeout 60] [--memory-gb 4]

Each case is a page (or a page and the YAML source it shows) in a small docset of
its own. Two measurements per case, each in a fresh process so the peak memory
is that case's own:

- `check`: `check-snippets --no-cache --no-exec-checks` on that one page, called
  in-process after a warm-up run on a one-line page (imports excluded);
- `convert`: `markdown.Markdown(extensions=["docskit.mdext.learn"]).convert(page)`,
  after a warm-up conversion; `plain` is the same page converted with the
  companions the extension registers (SuperFences, tabbed, callouts, critic)
  but without the extension, so the difference is what the extension adds.

Cases: the two crafted CriticMarkup pages of the hardening report, a 1 MB page of
each construct (and of the pathological form of each scanner's input), and YAML
alias bombs, a self-referencing alias, deep nesting, an 8 MB YAML source (refused by the
YAML budget) and a 50 MB one (refused by the size any file may have).
Target: every page under 1 s in both; every YAML refused under 1 s with bounded
memory. A process is stopped after `--timeout` seconds and limited to
`--memory-gb` of address space, so an unbounded case shows as `timeout` or
`MemoryError` instead of taking the machine down. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000

SCRIPT = "#!/bin/bash\n# <step>\necho step\n# </step>\n"
INCLUDE = "Included text with a [link](../page.md).\n"
ENDPOINT = "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\nname: my-endpoint\nauth_mode: key\n"
FRONT = "---\ntitle: Worst case\ndescription: A page built to stress one scanner.\nms.topic: how-to\nms.date: 04/24/2021\n---\n\n# Worst case\n\n"


def repeat(unit: str, size: int = MB) -> str:
    return unit * max(1, size // len(unit))


def random_text(size: int = MB) -> str:
    """Random bytes read as text: every printable ASCII character, tabs and newlines, seeded."""
    rng = random.Random(10)
    alphabet = [chr(c) for c in range(32, 127)] + ["\n", "\t", "\r"]
    return "".join(rng.choice(alphabet) for _ in range(size))


def bomb(levels: int) -> str:
    """A "billion laughs": each level ten aliases of the one before."""
    names = "abcdefghijklmnopqrstuvwxyz"
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for previous, name in zip(names, names[1:levels], strict=False):
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    return text


def yaml_source_page() -> str:
    return FRONT + ':::code language="yaml" source="~/samples/endpoint.yml":::\n'


def pages() -> dict[str, dict[str, str]]:
    """Case name -> files of its docset (relative paths); `docs/page.md` is the page timed."""
    big_yaml = "items:\n" + repeat(
        "  - {name: deployment, instance_type: Standard_DS3_v2, instance_count: 1}\n", 50 * MB
    )
    return {
        "crafted: {~~ x1200 then ~> x1200": {"docs/page.md": "{~~" * 1200 + "~>" * 1200},
        "crafted: {>> x32000": {"docs/page.md": "{>>" * 32000},
        "directives": {
            "docs/page.md": FRONT + repeat(':::code language="bash" source="~/samples/s.sh" id="step":::\n\n')
        },
        "directives, unclosed quotes": {"docs/page.md": FRONT + repeat(':::code source="' + "a " * 50 + "\n")},
        "includes": {"docs/page.md": FRONT + repeat("[!INCLUDE [p](includes/p.md)]\n\n")},
        "includes, unclosed": {"docs/page.md": FRONT + repeat("[!INCLUDE [")},
        "alerts": {"docs/page.md": FRONT + repeat("> [!NOTE]\n> Read this first.\n\n")},
        "tabs": {
            "docs/page.md": FRONT
            + repeat("# [Azure CLI](#tab/cli)\n\nText.\n\n# [Python](#tab/python)\n\nText.\n\n---\n\n")
        },
        "critic, closed marks of each form": {
            "docs/page.md": FRONT
            + repeat("Text {>>a comment<<} and {++added++} and {--gone--} and {~~old~>new~~} and {==seen==}.\n\n")
        },
        "critic, unclosed {>>": {"docs/page.md": repeat("{>>")},
        "critic, unclosed {++": {"docs/page.md": repeat("{++")},
        "critic, unclosed {--": {"docs/page.md": repeat("{--")},
        "critic, unclosed {~~": {"docs/page.md": repeat("{~~")},
        "critic, unclosed {==": {"docs/page.md": repeat("{==")},
        "critic, {~~ without ~>": {"docs/page.md": repeat("{~~a~~} ")},
        "links": {"docs/page.md": FRONT + repeat("See [the other page](page.md#worst-case) and ![img](a.png).\n\n")},
        "links, one line of brackets": {"docs/page.md": repeat("[a](")},
        "links, nested brackets": {"docs/page.md": repeat("[[a]")},
        "inline code": {"docs/page.md": FRONT + repeat("Run `az ml online-endpoint show` now.\n\n")},
        "inline code, one line of backticks": {"docs/page.md": repeat("`` a ")},
        "fences": {"docs/page.md": FRONT + repeat("```bash\necho hello\n```\n\n")},
        "fences, unclosed": {"docs/page.md": repeat("```bash\n")},
        "headings": {"docs/page.md": FRONT + repeat("## A heading with `code` and a [link](page.md)\n\n")},
        "headings, one line of ' #'": {"docs/page.md": "# a" + repeat(" #") + "x\n"},
        "front matter, 1 MB": {
            "docs/page.md": "---\n" + "".join(f"key{i}: value {i}\n" for i in range(MB // 16)) + "---\n\n# Page\n"
        },
        "plain text": {"docs/page.md": repeat("The quick brown fox jumps over the lazy dog. " * 2 + "\n\n")},
        "random characters": {"docs/page.md": random_text()},
        "YAML: 9-level alias bomb in front matter": {"docs/page.md": "---\n" + bomb(9) + "---\n\n# Page\n"},
        "YAML: a: &a [*a] in front matter": {"docs/page.md": "---\na: &a [*a]\n---\n\n# Page\n"},
        "YAML: 100,000 [ in front matter": {"docs/page.md": "---\na: " + "[" * 100_000 + "\n---\n\n# Page\n"},
        "YAML: 9-level alias bomb in a source": {"docs/page.md": yaml_source_page(), "samples/endpoint.yml": bomb(9)},
        "YAML: 50 MB source": {"docs/page.md": yaml_source_page(), "samples/endpoint.yml": big_yaml},
        "YAML: 8 MB source (YAML budget)": {
            "docs/page.md": yaml_source_page(),
            "samples/endpoint.yml": big_yaml[: 8 * MB],
        },
    }


def write_docset(root: Path, files: dict[str, str]) -> None:
    base = {
        "docs/small.md": "# Small\n",
        "docs/includes/p.md": INCLUDE,
        "samples/s.sh": SCRIPT,
        "samples/endpoint.yml": ENDPOINT,
        "mkdocs.yml": "site_name: worst case\nmarkdown_extensions:\n  - docskit.mdext.learn:\n      roots: {samples: samples}\n",
    }
    for relative, text in {**base, **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def child(mode: str, root: Path) -> None:
    """Run in the measuring process: warm up, time one run, print JSON."""
    page = root / "docs" / "page.md"
    if mode == "check":
        from docskit.cli import main

        def run(target: Path) -> None:
            main(
                ["--no-cache", "--no-exec-checks", "--config", str(root / "mkdocs.yml"), "-o", os.devnull, str(target)]
            )

        run(root / "docs" / "small.md")
        start, cpu = time.perf_counter(), time.process_time()
        run(page)
    else:
        import markdown

        from docskit.mdext.learn import _add_missing_companions

        text = page.read_text(encoding="utf-8")
        if mode == "convert":
            md = markdown.Markdown(
                extensions=["docskit.mdext.learn"],
                extension_configs={"docskit.mdext.learn": {"roots": {"samples": str(root / "samples")}}},
            )
        else:
            md = markdown.Markdown()
            _add_missing_companions(md)
            md.registerExtensions(["pymdownx.critic"], {})
        md.docskit_page = root / "docs" / "small.md"
        md.convert("# Small\n")
        md.reset()
        md.docskit_page = page
        start, cpu = time.perf_counter(), time.process_time()
        md.convert(text)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak": peak}))


def measure(mode: str, root: Path, timeout: float, memory: int) -> str:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {"PYTHONPATH": str(REPO / "tools"), **os.environ}  # PYTHONPATH set: time that copy of the toolkit
    env.pop("DOCSKIT_PREVIEW", None)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(root)],
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return f"timeout > {timeout:.0f} s"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]
        return f"failed: {last[:60]}"
    figures = json.loads(lines[-1])
    return f"{figures['cpu']:6.2f} {figures['seconds']:6.2f} s {figures['peak'] / 2**20:5.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated substrings of case names")
    parser.add_argument("--modes", default="check,convert,plain")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory-gb", type=float, default=4)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    modes = args.modes.split(",")
    memory = int(args.memory_gb * 2**30)
    print(f"{'case':44} {'page':>9}  " + "  ".join(f"{m + ' cpu, wall, peak':>24}" for m in modes), flush=True)
    for name, files in pages().items():
        if wanted and not any(w in name for w in wanted):
            continue
        with tempfile.TemporaryDirectory(prefix="docskit-worst-") as folder:
            root = Path(folder)
            write_docset(root, files)
            size = max(len(text.encode("utf-8")) for text in files.values())
            figures = [measure(mode, root, args.timeout, memory) for mode in modes]
        print(f"{name:44} {size / 1000:7.0f} kB  " + "  ".join(f"{f:>24}" for f in figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
