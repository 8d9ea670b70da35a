"""An `az ml` command given a YAML file of another kind: `batch-endpoint create -f` on a deployment.

The CLI picks its SDK loader from the command group, not from the file, so a
batch *deployment* YAML passed to `az ml batch-endpoint create` fails with a
list of unknown fields (or, worse, creates something else). The YAML's kind is
read from its `$schema` (and, for batch deployments, `type`), the same way the
schema rule picks its loader, and compared with the command's group. The file is
found the way a reader finds it: a YAML file the article shows (or the script's
folder, for commands in a sample script), or a fenced YAML block that the prose
just before it names (Learn's "create a YAML file, *endpoint.yml*:").
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from docskit.analysis.azureml_kinds import kind_for
from docskit.analysis.commands import SimpleCommand, Word, simple_commands
from docskit.analysis.context import ArticleContext, Snippet
from docskit.diagnostics import Diagnostic
from docskit.rules.base import Rule
from docskit.yaml_budget import load_yaml

# The `az ml` command groups whose `create`/`update` take a YAML file of one kind.
FILE_GROUPS = frozenset(
    {
        "online-endpoint",
        "online-deployment",
        "batch-endpoint",
        "batch-deployment",
        "job",
        "component",
        "environment",
        "model",
        "data",
        "compute",
        "datastore",
    }
)
_FILE_OPTIONS = ("-f", "--file")
_PROSE_LOOKBACK = 3  # lines of prose before a fenced YAML block that may name its file


@dataclass(frozen=True)
class FileCommand:
    """An `az ml GROUP VERB --file PATH` in a shell snippet of the article."""

    snippet: Snippet
    command: SimpleCommand
    group: str
    file_word: Word

    def option(self, *names: str) -> str | None:
        """The value of the first of `names` on the command line (`--name x` or `--name=x`)."""
        argv = self.command.argv
        for index, word in enumerate(argv):
            for name in names:
                if word == name and index + 1 < len(argv):
                    return argv[index + 1]
                if name.startswith("--") and word.startswith(name + "="):
                    return word[len(name) + 1 :]
        return None

    def sets(self, field: str) -> bool:
        """Whether the command passes `field` itself (`--set field=…`)."""
        argv = self.command.argv
        return any(
            word == "--set" and index + 1 < len(argv) and argv[index + 1].startswith(field + "=")
            for index, word in enumerate(argv)
        )


def file_commands(ctx: ArticleContext) -> list[FileCommand]:
    """Every `az ml GROUP VERB -f FILE` of the article's shell snippets."""
    found = []
    for snippet in ctx.snippets:
        if not snippet.is_shell or "az" not in snippet.text or " ml " not in snippet.text:
            continue
        for command in simple_commands(snippet.text):
            argv = command.argv
            if len(argv) < 4 or os.path.basename(argv[0]) != "az" or argv[1] != "ml" or argv[2] not in FILE_GROUPS:
                continue
            for index, word in enumerate(argv[3:], start=3):
                value_at = None
                if word in _FILE_OPTIONS and index + 1 < len(argv):
                    value_at = index + 1
                elif word.startswith("--file="):
                    value_at = index
                if value_at is not None:
                    found.append(FileCommand(snippet, command, argv[2], command.words[value_at]))
                    break
    return found


def _file_value(command: FileCommand) -> str:
    text = command.file_word.text
    return text[len("--file=") :] if text.startswith("--file=") else text


def _suffix_matches(path: Path, value: str) -> bool:
    parts = [p for p in PurePosixPath(value).parts if p not in (".", "..")]
    return bool(parts) and list(path.parts[-len(parts) :]) == parts


def yaml_paths_for(ctx: ArticleContext, command: FileCommand) -> list[Path]:
    """The YAML files the command's `-f` names: by the script's folder, else among the files the article shows."""
    value = _file_value(command)
    if not value or "$" in value or "<" in value:
        return []
    cwd = command.snippet.cwd
    if cwd is not None:
        target = Path(os.path.normpath(cwd / value))
        if target.is_file():
            return [target]
    return [path for _, path, _ in ctx.yaml_sources() if _suffix_matches(path, value)]


def _fenced_yaml_named(ctx: ArticleContext, command: FileCommand) -> tuple[Snippet, Any] | None:
    """The nearest fenced YAML block before the command whose prose names the command's file."""
    name = PurePosixPath(_file_value(command)).name
    if not name or "$" in name:
        return None
    line, _ = command.snippet.article_position(command.file_word.line)
    lines = ctx.article.lines
    pattern = re.compile(r"(?<![\w.-])" + re.escape(name) + r"(?![\w.-])")
    for snippet in sorted(
        (s for s in ctx.snippets if s.fence is not None and s.is_yaml and s.line < line),
        key=lambda s: s.line,
        reverse=True,
    ):
        prose = lines[max(0, snippet.line - 1 - _PROSE_LOOKBACK) : snippet.line - 1]
        if any(pattern.search(text) for text in prose):
            document = ctx.memo.once(
                ("azureml-fenced-yaml", snippet.text), load_yaml, snippet.text, ctx.config.yaml_budget
            )
            return (snippet, document.data) if document.ok else None
    return None


def _kind_of(data: Any) -> str | None:
    return kind_for(data) if isinstance(data, dict) else None


def check(ctx: ArticleContext) -> Iterable[Diagnostic]:
    for command in file_commands(ctx):
        yield from _mismatches(ctx, command)


def _mismatches(ctx: ArticleContext, command: FileCommand) -> Iterator[Diagnostic]:
    named: list[tuple[str, str]] = []  # (what the file is called in the report, its kind)
    for path in yaml_paths_for(ctx, command):
        document = ctx.memo.yaml_of(path)
        ctx.deps.add(path)
        kind = _kind_of(document.data) if document is not None and document.ok else None
        if kind:
            named.append((ctx.memo.display(path) if hasattr(ctx.memo, "display") else str(path), kind))
    if not named:
        fenced = _fenced_yaml_named(ctx, command)
        if fenced is not None:
            snippet, data = fenced
            kind = _kind_of(data)
            if kind:
                named.append((f"the YAML on line {snippet.line}", kind))
    for where, kind in named[:1]:
        if kind == command.group:
            continue
        verb = command.command.argv[3]
        yield ctx.at_snippet(
            command.snippet,
            command.file_word.line,
            "AML004",
            f"`az ml {command.group} {verb} -f {_file_value(command)}`: {where} is a "
            f"{kind} YAML (its `$schema`/`type`), not a {command.group}",
            f"use `az ml {kind} {verb}` for this file, or pass the {command.group} YAML",
            column=command.file_word.column,
        )


_DEPLOYMENT = (
    "$schema: https://azuremlschemas.azureedge.net/latest/batchDeployment.schema.json\n"
    "endpoint_name: heart-classifier-batch\nname: classifier-xgboost\ntype: model\n"
    "model: azureml:heart-classifier@latest\ncompute: azureml:low-pri-cluster\n"
)
_ARTICLE = (
    "# Use low priority VMs\n\nCreate a YAML configuration file, *deployment.yml*:\n\n"
    "```yaml\n" + _DEPLOYMENT + "```\n\nThen create the deployment:\n\n```azurecli\n{command}\n```\n"
)
RULES = (
    Rule(
        "AML004",
        check,
        {"docs/article.md": _ARTICLE.format(command="az ml batch-endpoint create -f deployment.yml")},
        {"docs/article.md": _ARTICLE.format(command="az ml batch-deployment create -f deployment.yml")},
    ),
)
