"""Sybil parsers for Learn articles: `:::code` shell snippets and their expected output.

A parser makes regions; an evaluator runs them (Sybil's model). Here a region is
a `:::code` directive whose language is a shell; its evaluator runs the
*resolved* snippet — exactly the lines a reader sees — in the document's shell
session, from the folder of the snippet's source file (samples repositories run
their scripts from there). A fenced ```output``` block that follows a command
is compared with what that command printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from sybil import Document, Example, Region

from docskit.doctest.shell_session import ShellSession
from docskit.languages import SHELL_LANGUAGES
from docskit.learn import parse_article
from docskit.snippets import Resolver

SESSION = "shell"  # the namespace key of the document's ShellSession
LAST = "last_output"


@dataclass(frozen=True)
class ShellBlock:
    text: str
    cwd: Path | None
    line: int


@dataclass(frozen=True)
class ExpectedOutput:
    text: str
    language: str
    line: int


def _offsets(text: str) -> list[int]:
    starts, total = [], 0
    for line in text.split("\n"):
        starts.append(total)
        total += len(line) + 1
    return starts


class CodeDirectiveParser:
    """Regions for the shell `:::code` directives of a Learn article, resolved through `resolver`."""

    def __init__(self, resolver_factory: Callable[[], Resolver], languages: Iterable[str] = SHELL_LANGUAGES) -> None:
        self._resolver_factory = resolver_factory
        self._languages = frozenset(languages)

    def __call__(self, document: Document) -> Iterable[Region]:
        article = parse_article(document.path, document.text)
        resolver = self._resolver_factory()
        starts = _offsets(document.text)
        for directive in article.code_directives:
            if (directive.language or "").lower() not in self._languages:
                continue
            snippet = resolver.resolve(Path(document.path), document.path, directive)
            problems = [d for d in snippet.diagnostics if d.severity.value == "error"]
            start = starts[directive.line - 1]
            end = start + len(article.lines[directive.line - 1])
            if problems or not snippet.text:
                message = "; ".join(d.format_text() for d in problems) or "the snippet is empty"
                yield Region(start, end, message, _unresolvable)
                continue
            cwd = snippet.source.path.parent if snippet.source else None
            yield Region(start, end, ShellBlock(snippet.text, cwd, directive.line), evaluate_shell_block)


class ExpectedOutputParser:
    """Regions for fenced blocks whose info string is `output`: what the command before printed.

    An output block belongs to the directive before it. When that directive is not
    run (a Python tab next to a CLI tab), the block is not checked, unless it stands
    outside any tab group: then it belongs to the last shell directive before it.
    """

    _FENCE_LANGUAGES = ("output", "console-output")

    def __init__(self, languages: Iterable[str] = _FENCE_LANGUAGES, shell_languages: Iterable[str] = SHELL_LANGUAGES) -> None:
        self._languages = frozenset(languages)
        self._shells = frozenset(shell_languages)

    def __call__(self, document: Document) -> Iterable[Region]:
        article = parse_article(document.path, document.text)
        starts = _offsets(document.text)
        for fence in article.fences:
            if fence.language.lower() not in self._languages or not self._follows_a_shell_command(article, fence.line):
                continue
            start = starts[fence.line - 1]
            end = starts[fence.end_line - 1] + len(article.lines[fence.end_line - 1])
            yield Region(start, end, ExpectedOutput("\n".join(fence.body), fence.language, fence.line), evaluate_expected_output)


    def _follows_a_shell_command(self, article: Any, line: int) -> bool:
        before = [d for d in article.code_directives if d.line < line]
        if not before:
            return False
        if (before[-1].language or "").lower() in self._shells:
            return True
        in_tabs = any(group.line <= line <= group.end_line for group in article.tab_groups)
        return not in_tabs and any((d.language or "").lower() in self._shells for d in before)


def _unresolvable(example: Example) -> str:
    return f"the snippet cannot be run: {example.parsed}"


def evaluate_shell_block(example: Example) -> str | None:
    session = session_for(example.namespace)
    block: ShellBlock = example.parsed
    result = session.run(block.text, block.cwd)
    example.namespace[LAST] = result.output
    if result.status != 0:
        tail = "\n".join(result.output.rstrip().splitlines()[-25:])
        return f"the command exited with status {result.status}:\n$ {block.text}\n{tail}"
    return None


def evaluate_expected_output(example: Example) -> str | None:
    expected: ExpectedOutput = example.parsed
    actual = example.namespace.get(LAST)
    if actual is None:
        return "an expected-output block with no command before it"
    if outputs_match(expected.text, actual):
        return None
    return f"the command printed:\n{actual.rstrip()}\nbut the article expects:\n{expected.text}"


def outputs_match(expected: str, actual: str) -> bool:
    """Compare as JSON when both are JSON (numbers to the precision the article shows), else as text.

    In text, `...` in the expected output matches any run of characters, and
    runs of whitespace compare equal.
    """
    parsed_expected, parsed_actual = _as_json(expected), _as_json(actual)
    if parsed_expected is not _NOT_JSON and parsed_actual is not _NOT_JSON:
        return _json_close(parsed_expected, parsed_actual)
    pattern = re.escape(" ".join(expected.split())).replace(re.escape("..."), ".*")
    return re.fullmatch(pattern, " ".join(actual.split()), re.DOTALL) is not None


_NOT_JSON = object()


def _as_json(text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return _NOT_JSON
    if isinstance(value, str):  # `az ml online-endpoint invoke` prints the answer as a JSON string
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _json_close(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        decimals = _decimals(expected)
        return abs(expected - actual) <= 0.5 * 10 ** (-decimals) + 1e-12
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(_json_close(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(_json_close(expected[k], actual[k]) for k in expected)
    return expected == actual


def _decimals(number: float | int) -> int:
    text = repr(number)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


ENVIRONMENT = "tutorial_env"  # the namespace key (a pytest fixture) holding the shell's environment


def session_for(namespace: dict[str, Any]) -> ShellSession:
    """The document's shell session, opened at its first block.

    Opened lazily because Sybil runs a document's `setup` before pytest fixtures reach
    the namespace; by the first block, the environment fixture is there.
    """
    session = namespace.get(SESSION)
    if session is None:
        session = namespace[SESSION] = ShellSession(env=namespace.get(ENVIRONMENT))
    return session


def stop_session(namespace: dict[str, Any]) -> None:
    """Sybil `teardown`: close the document's shell session, if a block opened one."""
    session = namespace.pop(SESSION, None)
    if session is not None:
        session.close()
