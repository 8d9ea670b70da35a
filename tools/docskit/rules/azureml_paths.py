"""A local path inside an Azure ML YAML (model, code, scoring script, conda file) that does not exist.

The CLI resolves these paths relative to the YAML file and fails at deployment
time, after the reader has waited for an endpoint. The seed-era files pointed at a
model file that was git-ignored, so every deployment step failed on a fresh clone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docskit.analysis.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule


def _local(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.startswith("file:"):
        text = text[5:]
    if text.startswith("azureml:") or "://" in text or "$" in text or text.startswith("${{"):
        return None
    return text


def referenced_paths(data: Any) -> Iterator[tuple[tuple[str, ...], str, str | None]]:
    """(key path, local path, folder it is relative to or None for the YAML's folder)."""

    def walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, str | None]]:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, (*path, str(index)))
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            key = str(key)
            here = (*path, key)
            if key == "model" and isinstance(value, dict):
                for field in ("path", "local_path"):
                    local = _local(value.get(field))
                    if local:
                        yield (*here, field), local, None
            elif key == "code_configuration" and isinstance(value, dict):
                code = value.get("code")
                key_path = (*here, "code")
                if isinstance(code, dict):
                    field = "local_path" if "local_path" in code else "path"
                    code, key_path = code.get(field), (*here, "code", field)
                local = _local(code)
                if local:
                    yield key_path, local, None
                    script = _local(value.get("scoring_script"))
                    if script:
                        yield (*here, "scoring_script"), script, local
            elif key == "environment" and isinstance(value, dict):
                for field in ("conda_file", "path"):
                    local = _local(value.get(field))
                    if local:
                        yield (*here, field), local, None
            elif key == "code" and not path and isinstance(value, str):
                local = _local(value)
                if local:
                    yield here, local, None
            if isinstance(value, (dict, list)) and key not in ("model", "code_configuration", "environment"):
                yield from walk(value, here)

    yield from walk(data, ())


def local_targets(path: Path, data: Any) -> list[tuple[tuple[str, ...], str, Path, bool]]:
    """(key path, local path as written, the file it names, whether that exists) for a YAML file's data."""
    found = []
    for key_path, local, base in referenced_paths(data):
        folder = path.parent / base if base else path.parent
        target = Path(os.path.normpath(folder / local))
        found.append((key_path, local, target, target.exists()))
    return found


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet, path, document in ctx.yaml_sources():
        if not document.ok or not isinstance(document.data, dict):
            continue
        for key_path, local, target, exists in ctx.memo.once(("AML002", path), local_targets, path, document.data):
            ctx.deps.add(target)
            if not exists:
                line = document.line_of(key_path)
                yield ctx.diag(
                    snippet.line,
                    snippet.column,
                    "AML002",
                    f"`{'.'.join(k for k in key_path if not k.isdigit())}: {local}` does not exist "
                    f"({snippet.source_name}:{line})",
                    "paths in Azure ML YAML are relative to the YAML file",
                )


_ARTICLE = '# Deploy\n\n:::code language="yaml" source="~/samples/endpoints/blue.yml":::\n'
_YAML = (
    "name: blue\nendpoint_name: my-endpoint\nmodel:\n  path: ../model-1/model.pkl\ncode_configuration:\n"
    "  code: ../model-1/onlinescoring/\n  scoring_script: score.py\n"
)
RULES = (
    Rule(
        "AML002",
        check,
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoints/blue.yml": _YAML,
            "samples/model-1/onlinescoring/score.py": "def init():\n    pass\n",
        },
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoints/blue.yml": _YAML,
            "samples/model-1/model.pkl": "model\n",
            "samples/model-1/onlinescoring/score.py": "def init():\n    pass\n",
        },
    ),
)
