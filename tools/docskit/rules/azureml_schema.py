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
import os
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from docskit.check.context import ArticleContext, Snippet
from docskit.check.pending import Pending
from docskit.yaml_budget import YamlDocument
from docskit.diagnostics import Diagnostic
from docskit.rules.azureml_paths import referenced_paths
from docskit.rules.base import Rule
from docskit.sourcefile import SourceFile

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


def result_key(file: SourceFile, document: YamlDocument, loader: str) -> str:
    """What the SDK's verdict depends on: the file, the loader, the SDK version, which referenced files exist."""
    path = file.path
    exists = sorted(f"{local}:{os.path.exists(path.parent / (base or '') / local)}"
                    for _, local, base in referenced_paths(document.data))
    return hashlib.blake2b("\0".join([file.digest, loader, _sdk_version(), *exists]).encode(), digest_size=16).hexdigest()


def check(ctx: ArticleContext) -> Iterable[Diagnostic | Pending]:
    for snippet, path, document in ctx.yaml_sources():
        if not document.ok or not isinstance(document.data, dict):
            continue
        loader = loader_for(document.data.get("$schema"))
        if loader is None:
            continue
        key = ctx.memo.once(("AML001", path, loader), lambda: result_key(ctx.memo.read(path), document, loader))
        sdk = ctx.memo.azureml
        found = sdk.results.get(key)
        if found is not None:
            yield from _report(ctx, snippet, document, loader, found)
        else:
            sdk.request(key, path, loader)
            yield Pending(lambda snippet=snippet, document=document, loader=loader, key=key:
                          _report(ctx, snippet, document, loader, sdk.result(key)))


def _report(ctx: ArticleContext, snippet: Snippet, document: YamlDocument, loader: str,
            found: list) -> Iterable[Diagnostic]:
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
