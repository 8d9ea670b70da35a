"""Azure ML YAML that the Azure ML SDK itself would reject, with the SDK's own messages.

The YAML is loaded offline with the real `azure-ai-ml` loader its `$schema`
names (`load_online_endpoint`, `load_online_deployment`, …), so "Unknown field."
and "Missing data for required field." are exactly what the CLI would print.
The SDK takes over a second to import, so it is imported only when a file is not
already in the result cache (keyed by the file's content, the existence of the
files it points at, and the SDK version); a warm run never imports it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from docskit.check.context import ArticleContext
from docskit.diagnostics import Diagnostic
from docskit.rules.azureml_paths import referenced_paths
from docskit.rules.base import Rule

LOADERS = {
    "managedonlineendpoint": "load_online_endpoint", "kubernetesonlineendpoint": "load_online_endpoint",
    "onlineendpoint": "load_online_endpoint", "managedonlinedeployment": "load_online_deployment",
    "kubernetesonlinedeployment": "load_online_deployment", "onlinedeployment": "load_online_deployment",
    "batchendpoint": "load_batch_endpoint", "batchdeployment": "load_batch_deployment",
    "modelbatchdeployment": "load_batch_deployment", "pipelinecomponentbatchdeployment": "load_batch_deployment",
    "environment": "load_environment", "model": "load_model", "data": "load_data",
    "commandjob": "load_job", "pipelinejob": "load_job", "sweepjob": "load_job", "commandcomponent": "load_component",
    "amlcompute": "load_compute", "computeinstance": "load_compute", "workspace": "load_workspace",
}


def loader_for(schema: Any) -> str | None:
    if not isinstance(schema, str):
        return None
    name = schema.rstrip("/").rsplit("/", 1)[-1].lower()
    for suffix in (".schema.json", ".json"):
        name = name.removesuffix(suffix)
    return LOADERS.get(name)


@lru_cache(maxsize=1)
def _sdk_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("azure-ai-ml")
    except PackageNotFoundError:
        return ""


def _flatten(value: Any, path: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, path if key == "_schema" else (*path, str(key)))
    elif isinstance(value, list):
        if any(isinstance(v, (str, list)) and ("FileNotFoundError" in str(v) or "No such file" in str(v)) for v in value):
            return  # a missing local file: the path rule reports it once, clearly
        if all(isinstance(v, str) for v in value):
            text = " ".join(" ".join(v.split()) for v in value)
            if text:
                yield path, text
        else:
            for item in value:
                yield from _flatten(item, path)
                break  # alternatives of a union field: the first one speaks for all
    elif isinstance(value, str) and value.strip():
        yield path, " ".join(value.split())


def sdk_messages(exc: BaseException) -> list[tuple[tuple[str, ...], str]]:
    """The field messages in an SDK validation error: its text embeds a JSON object after "failed:"."""
    text = "\n".join(str(m) for m in getattr(exc, "messages", [])) if isinstance(getattr(exc, "messages", None), list) else str(exc)
    at = text.find("failed:")
    if at >= 0:
        body = text[at + len("failed:"):].lstrip()
        try:
            data, _ = json.JSONDecoder().raw_decode(body)
            found = list(_flatten(data, ()))
            if found:
                return found
        except ValueError:
            pass
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return [((), first)]


def validate(path: Path, loader: str) -> list[tuple[tuple[str, ...], str]]:
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import azure.ai.ml as aml  # heavy: only here

    logging.getLogger("azure").setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(aml, loader)(source=str(path))
    except Exception as exc:  # the SDK raises marshmallow, its own and plain errors
        return [item for item in sdk_messages(exc) if not _is_file_message(item[1])]
    return []


def _is_file_message(message: str) -> bool:
    return "FileNotFoundError" in message or "No such file" in message


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for snippet, path, document in ctx.yaml_sources():
        if not document.ok or not isinstance(document.data, dict):
            continue
        loader = loader_for(document.data.get("$schema"))
        if loader is None:
            continue
        file = ctx.memo.read(path)
        exists = sorted(f"{local}:{os.path.exists(path.parent / (base or '') / local)}"
                        for _, local, base in referenced_paths(document.data))
        key = hashlib.blake2b("\0".join([file.digest, loader, _sdk_version(), *exists]).encode(), digest_size=16).hexdigest()
        found = ctx.memo.azureml_results.get(key)
        if found is None:
            found = [[list(p), m] for p, m in validate(path, loader)]
            ctx.memo.azureml_results[key] = found
            ctx.memo.azureml_new = True
        for key_path, message in found:
            line = document.line_of(tuple(key_path))
            field = ".".join(k for k in key_path if not k.isdigit())
            text = f"`{field}`: {message}" if field else message
            yield ctx.diag(snippet.line, snippet.column, "AML001",
                           f"{text} ({snippet.source_name}{':' + str(line) if line else ''})",
                           "see https://aka.ms/ml-cli-v2-endpoint-online-yaml-reference" if "endpoint" in loader else None)


_ARTICLE = '# Endpoint\n\n:::code language="yaml" source="~/samples/endpoint.yml":::\n'
_SCHEMA = "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\n"
RULES = (
    Rule("AML001", check,
         {"docs/article.md": _ARTICLE, "samples/endpoint.yml": _SCHEMA + "name: my-endpoint\ntype: online\nauth_mode: key\n"},
         {"docs/article.md": _ARTICLE, "samples/endpoint.yml": _SCHEMA + "name: my-endpoint\nauth_mode: key\n"},
         site=False),
)
