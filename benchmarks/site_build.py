"""How much the Learn extension adds to a site build, on the 2,000-page synthetic corpus.

    .venv/bin/python benchmarks/site_build.py [--articles 2000] [--repeat 1] [--keep DIR]

Four MkDocs builds of the same pages, same theme and extensions otherwise:

- `learn`: the corpus as written, rendered by `docskit.mdext.learn` (every page
  checked, every `:::code` resolved and turned into a highlighted block), with no
  check-snippets results at hand;
- `learn+c`: the same build right after `check-snippets` ran on the same
  configuration, as `make site` runs them: the build reuses the findings the
  linter stored for every unchanged page instead of checking it again;
- `pasted`: the same pages with each directive already replaced by the fenced
  block the extension writes, so both builds highlight the same code: the
  difference is the extension's own cost (reading, resolving, checking);
- `raw`: the corpus as written with the extension removed, so directives stay
  one line of text and no snippet is highlighted at all.

The corpus is the check-snippets benchmark's (`benchmarks/check_snippets_corpus.py`,
`generate`), with the extension options its mkdocs.yml sets; without that module,
the compatible generator below writes 2,000 articles with six directives each
(12,000 in all) over 300 source files, shell scripts with regions and YAML files.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIONS_PER_SCRIPT = 10
SCRIPTS = 150
YAML_FILES = 150
DIRECTIVES_PER_ARTICLE = 6

BASE_CONFIG = """\
site_name: Corpus
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
  features: [content.code.copy, content.tabs.link]
plugins: [search]
nav: [{first}]
not_in_nav: "*.md"
exclude_docs: includes/
markdown_extensions:
  - toc
  - tables
  - admonition
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - github-callouts
  - pymdownx.critic
"""

FALLBACK_OPTIONS = {
    "roots": {"examples": "snippets"},
    "source_urls": {"examples": "https://github.com/example/examples/blob/main/{path}"},
}


def generate_fallback_corpus(root: Path, articles: int) -> None:
    """Shell scripts with regions, YAML files, and articles that show them with `:::code`."""
    for n in range(SCRIPTS):
        lines = ["#!/usr/bin/env bash", "set -e", ""]
        for r in range(REGIONS_PER_SCRIPT):
            lines += [
                f"# <step_{r}>",
                f"az ml online-deployment update --name blue-{n} \\",
                f"  --endpoint-name ep-{n} --set instance_count={r + 1}",
                f'echo "step {r} of script {n}"',
                f"# </step_{r}>",
                "",
            ]
        _write(root / f"snippets/cli/script_{n:03}.sh", "\n".join(lines))
    for n in range(YAML_FILES):
        body = [
            "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json",
            f"name: green-{n}",
            f"endpoint_name: ep-{n}",
            "model:",
            f"  path: ../model-{n % 2 + 1}/model/",
            "code_configuration:",
            f"  code: ../model-{n % 2 + 1}/onlinescoring/",
            "  scoring_script: score.py",
            "environment:",
            "  conda_file: environment/conda.yaml",
            "  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
            "instance_type: Standard_DS3_v2",
            f"instance_count: {n % 3 + 1}",
        ]
        _write(root / f"snippets/cli/deployments/deployment_{n:03}.yml", "\n".join(body) + "\n")
    _write(
        root / "snippets/cli/deployments/environment/conda.yaml", "name: model-env\ndependencies:\n  - python=3.10\n"
    )
    for model in (1, 2):
        _write(root / f"snippets/cli/model-{model}/model/model.pkl", "model\n")
        _write(
            root / f"snippets/cli/model-{model}/onlinescoring/score.py",
            "def init():\n    pass\n\n\ndef run(raw_data):\n    return []\n",
        )
    _write(root / "docs/index.md", "# Corpus\n\nSynthetic articles for the site build benchmark.\n")
    for a in range(articles):
        parts = [
            f"# Article {a}",
            "",
            f"This article shows steps of script {a % SCRIPTS}.",
            "",
            "> [!NOTE]",
            "> Each step applies one file.",
            "",
        ]
        for d in range(DIRECTIVES_PER_ARTICLE):
            if d % 2 == 0:
                script, region = (a + d) % SCRIPTS, (a * 7 + d) % REGIONS_PER_SCRIPT
                parts += [
                    f"Step {d}:",
                    "",
                    f':::code language="azurecli" source="~/examples/cli/script_{script:03}.sh" id="step_{region}" highlight="1":::',
                    "",
                ]
            else:
                number = (a + d) % YAML_FILES
                parts += [
                    f"State {d}:",
                    "",
                    f':::code language="yaml" source="~/examples/cli/deployments/deployment_{number:03}.yml" range="2-13" highlight="11":::',
                    "",
                ]
        parts += [
            "# [Azure CLI](#tab/cli)",
            "",
            "Run the commands above.",
            "",
            "# [Python SDK](#tab/python)",
            "",
            "Use `MLClient` instead.",
            "",
            "---",
            "",
        ]
        _write(root / f"docs/articles/{a // 100:02}/article_{a:04}.md", "\n".join(parts))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(root: Path, articles: int) -> tuple[str, dict]:
    """Write the corpus; returns where it came from and the extension options it needs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from check_snippets_corpus import generate as generate_corpus  # type: ignore[import-not-found]
    except ImportError:
        generate_fallback_corpus(root, articles)
        return "benchmarks/site_build.py (compatible generator)", FALLBACK_OPTIONS
    generate_corpus(root, articles)
    from docskit.config import Options, load_config

    options = load_config(root / "mkdocs.yml").options
    return "benchmarks/check_snippets_corpus.py", {k: v for k, v in vars(options).items() if v != getattr(Options(), k)}


def paste_snippets(root: Path, docs: Path, target: Path, options: dict) -> int:
    """Copy `docs` to `target` with every directive replaced by the block the extension writes."""
    import markdown

    from docskit.learn import parse_article
    from docskit.mdext.code_directive import render_directive

    shutil.copytree(docs, target)
    logging.getLogger("mkdocs.plugins.docskit").addHandler(
        logging.NullHandler()
    )  # the builds below report, not this step
    logging.getLogger("mkdocs.plugins.docskit").propagate = False
    md = markdown.Markdown(
        extensions=["docskit.mdext.learn"], extension_configs={"docskit.mdext.learn": _absolute(root, options)}
    )
    count = 0
    for page in sorted(target.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        article = parse_article(str(page), text)
        if not article.code_directives:
            continue
        md.docskit_page = docs / page.relative_to(target)
        md.docskit_tracker.begin([])  # a new page of the same build
        lines = text.split("\n")
        current = md.docskit_tracker.page
        for directive in reversed(article.code_directives):
            lines[directive.line - 1 : directive.line] = render_directive(current, directive)
            count += 1
        page.write_text("\n".join(lines), encoding="utf-8")
    return count


def _absolute(root: Path, options: dict) -> dict:
    return {**options, "roots": {name: str(root / folder) for name, folder in options.get("roots", {}).items()}}


def markdown_breakdown(root: Path, options: dict) -> tuple[float, float, float]:
    """In one process: Markdown conversion of every page with the extension (and the part of it spent
    in the per-page checks) and of the pasted pages without it."""
    import markdown

    from docskit.mdext import reporting

    extensions = [
        "toc",
        "tables",
        "admonition",
        "pymdownx.highlight",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "github-callouts",
        "pymdownx.critic",
    ]
    configs = {"pymdownx.tabbed": {"alternate_style": True}}
    spent = [0.0]
    original = reporting.page_diagnostics

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    reporting.page_diagnostics = timed
    learn_configs = {**configs, "docskit.mdext.learn": _absolute(root, options)}
    owner = object()
    started = time.perf_counter()
    for page in sorted((root / "docs").rglob("*.md")):
        md = markdown.Markdown(extensions=[*extensions, "docskit.mdext.learn"], extension_configs=learn_configs)
        md.docskit_page = page
        md.docskit_build_owner = owner
        md.convert(page.read_text(encoding="utf-8"))
    learn = time.perf_counter() - started
    reporting.page_diagnostics = original
    started = time.perf_counter()
    for page in sorted((root / "docs-pasted").rglob("*.md")):
        markdown.Markdown(extensions=extensions, extension_configs=configs).convert(page.read_text(encoding="utf-8"))
    return learn, spent[0], time.perf_counter() - started


def build(
    root: Path, name: str, docs: str, options: dict | None, repeat: int, check_first: bool = False
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of `repeat` builds; CPU time is steadier on a busy machine.

    With `check_first`, check-snippets runs on the same configuration before each
    build (not timed here: it is the linter's own benchmark)."""
    config = root / f"mkdocs-{name}.yml"
    first = min(p.relative_to(root / docs).as_posix() for p in (root / docs).rglob("*.md"))
    text = BASE_CONFIG.format(docs=docs, site=f"site-{name}", first=first)
    if options is not None:
        text += "  - docskit.mdext.learn: " + json.dumps(options) + "\n"
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        if check_first:
            subprocess.run(
                [sys.executable, "-m", "docskit.cli", "--config", str(config), "--no-exec-checks", "-o", os.devnull],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
            )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        elapsed = (time.perf_counter() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if result.returncode != 0:
            raise SystemExit(f"site_build: the `{name}` build failed:\n{result.stderr[-2000:]}")
        if result.stderr.strip():
            print(f"  ({name} build printed: {result.stderr.strip().splitlines()[0]})")
        best = min(best, elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant; the fastest counts")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="site-build-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        source, options = generate(root, args.articles)
        pages = sum(1 for _ in (root / "docs").rglob("*.md"))
        pasted = paste_snippets(root, root / "docs", root / "docs-pasted", options)
        print(f"corpus: {pages} pages, {pasted} :::code directives (generator: {source})")
        shutil.rmtree(root / ".check-snippets-cache", ignore_errors=True)
        times = {
            "learn": build(root, "learn", "docs", options, args.repeat),
            "learn+c": build(root, "learn", "docs", options, args.repeat, check_first=True),
            "pasted": build(root, "pasted", "docs-pasted", None, args.repeat),
            "raw": build(root, "raw", "docs", None, args.repeat),
        }
        print(f"{'build':<8} {'wall s':>8} {'CPU s':>8}  pages/s (wall)")
        for name, (wall, cpu) in times.items():
            print(f"{name:<8} {wall:8.2f} {cpu:8.2f}  {pages / wall:7.0f}")
        for label, index in (("wall", 0), ("CPU", 1)):
            for variant, how in (("learn+c", "after check-snippets (make site)"), ("learn", "with no stored findings")):
                own = (times[variant][index] / times["pasted"][index] - 1) * 100
                whole = (times[variant][index] / times["raw"][index] - 1) * 100
                print(
                    f"{label}, {how}: extension overhead over the same pages with the snippets pasted in: {own:+.1f}% "
                    f"(target: under 15%); over directives left as plain text (includes highlighting every block): "
                    f"{whole:+.1f}%"
                )
        learn, checks, plain = markdown_breakdown(root, options)
        print(
            f"Markdown conversion alone, all pages: with the extension {learn:.2f} s, of which per-page checks "
            f"(docskit.check.check_page) {checks:.2f} s; pasted pages without it {plain:.2f} s"
        )
        print(
            f"extension cost without the checks: {(learn - checks - plain):+.2f} s "
            f"({(learn - checks) / plain * 100 - 100:+.1f}% of Markdown conversion)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
