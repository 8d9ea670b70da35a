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
from pathlib import Path

from docskit.analysis.azureml_kinds import KINDS, loader_for
from docskit.analysis.context import ArticleContext, Snippet
from docskit.analysis.pending import Pending
from docskit.analysis.placeholders import placeholder_paths
from docskit.diagnostics import Diagnostic
from docskit.rules.azureml_command_kind import file_commands, yaml_paths_for
from docskit.rules.azureml_paths import referenced_paths
from docskit.rules.base import Rule
from docskit.sourcefile import SourceFile
from docskit.yaml_budget import YamlDocument

ENDPOINT_NAME_OPTIONS = ("--endpoint-name", "-e")
# Loaders of deployment files: the commands that take them also take the endpoint's name.
DEPLOYMENT_LOADERS = frozenset(loader for loader, kind in KINDS.items() if kind.endswith("-deployment"))


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
    exists = sorted(
        f"{local}:{os.path.exists(path.parent / (base or '') / local)}"
        for _, local, base in referenced_paths(document.data)
    )
    return hashlib.blake2b(
        "\0".join([file.digest, loader, _sdk_version(), *exists]).encode(), digest_size=16
    ).hexdigest()


def check(ctx: ArticleContext) -> Iterable[Diagnostic | Pending]:
    for snippet, path, document in ctx.yaml_sources():
        if not document.ok or not isinstance(document.data, dict):
            continue
        loader = loader_for(document.data)
        if loader is None:
            continue
        ignored = _supplied_elsewhere(ctx, path, document.data, loader)
        key = ctx.memo.once(("AML001", path, loader), result_key, ctx.memo.read(path), document, loader)
        sdk = ctx.memo.azureml
        found = sdk.results.get(key)
        if found is not None:
            yield from _report(ctx, snippet, document, loader, found, ignored)
        else:
            sdk.request(key, path, loader)
            yield Pending(
                lambda snippet=snippet, document=document, loader=loader, key=key, ignored=ignored, sdk=sdk: _report(
                    ctx, snippet, document, loader, sdk.result(key), ignored
                )
            )


def _supplied_elsewhere(ctx: ArticleContext, path: Path, data: dict, loader: str) -> list[tuple[str, ...]]:
    """Fields the reader supplies: values shown as `<placeholders>`, and a deployment's `endpoint_name`.

    `az ml online-deployment create` and `az ml batch-deployment create` take the endpoint's name on
    the command line (`--endpoint-name`, `-e`), so a deployment file without `endpoint_name` is a
    valid file; only the SDK's loader demands the field. It is missing only when the article itself
    runs a command on the file that passes the name neither as an option nor through `--set`.
    """
    ignored = placeholder_paths(data)
    if (
        "endpoint_name" not in data
        and loader in DEPLOYMENT_LOADERS
        and not any(
            path in yaml_paths_for(ctx, command)
            and command.option(*ENDPOINT_NAME_OPTIONS) is None
            and not command.sets("endpoint_name")
            for command in file_commands(ctx)
        )
    ):
        ignored.append(("endpoint_name",))
    return ignored


def _under(key_path: tuple[str, ...], ignored: list[tuple[str, ...]]) -> bool:
    return any(key_path[: len(prefix)] == prefix for prefix in ignored)


def _report(
    ctx: ArticleContext,
    snippet: Snippet,
    document: YamlDocument,
    loader: str,
    found: list,
    ignored: list[tuple[str, ...]] = (),
) -> Iterable[Diagnostic]:
    for key_path, message in found:
        if ignored and key_path and _under(tuple(key_path), ignored):
            continue
        line = document.line_of(tuple(key_path))
        field = ".".join(k for k in key_path if not k.isdigit())
        text = f"`{field}`: {message}" if field else message
        yield ctx.diag(
            snippet.line,
            snippet.column,
            "AML001",
            f"{text} ({snippet.source_name}{':' + str(line) if line else ''})",
            "see https://aka.ms/ml-cli-v2-endpoint-online-yaml-reference" if "endpoint" in loader else None,
        )


_ARTICLE = '# Endpoint\n\n:::code language="yaml" source="~/samples/endpoint.yml":::\n'
_SCHEMA = "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\n"
RULES = (
    Rule(
        "AML001",
        check,
        {
            "docs/article.md": _ARTICLE,
            "samples/endpoint.yml": _SCHEMA + "name: my-endpoint\ntype: online\nauth_mode: key\n",
        },
        {"docs/article.md": _ARTICLE, "samples/endpoint.yml": _SCHEMA + "name: my-endpoint\nauth_mode: key\n"},
        site=False,
    ),
)
