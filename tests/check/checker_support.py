"""Helpers for the check-snippets tests: write a throwaway docset and check it."""

from __future__ import annotations

import json
from pathlib import Path

from docskit.check.runner import Report, RunOptions, run
from docskit.config import load_config

REPO = Path(__file__).resolve().parents[2]


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))


def write_mkdocs(root: Path, options: dict | None = None) -> Path:
    entry = {"roots": {"samples": "samples"}, **(options or {})}
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: test\ndocs_dir: docs\nmarkdown_extensions:\n  - docskit.mdext.learn: " + json.dumps(entry) + "\n",
        encoding="utf-8",
    )
    return config


def check_docset(root: Path, files: dict[str, str], options: dict | None = None, **run_options) -> Report:
    """Write a docset into `root` and check it the way `check-snippets` does (without a cache)."""
    write_files(root, files)
    config = load_config(write_mkdocs(root, options), root)
    (root / "docs").mkdir(exist_ok=True)
    return run(config, RunOptions(**run_options), root)


def pairs(report: Report) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in report.diagnostics]
