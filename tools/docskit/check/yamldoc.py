"""YAML read for checking: bounded against alias bombs, with the line of every key.

A pull request controls the YAML it adds, so a "billion laughs" document (aliases
of aliases) must be refused before anything walks it: the node graph is composed
(linear in the text), its expanded size is counted with memoisation, and a
document that would expand past `MAX_NODES` is refused without being built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_NODES = 200_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


@dataclass
class YamlDocument:
    data: Any = None
    error: str | None = None  # why it does not parse
    error_line: int = 0  # 1-based line in the file
    error_column: int = 0
    refused: bool = False  # an alias bomb or a recursive alias
    key_lines: dict[tuple[str, ...], int] = field(default_factory=dict)  # key path -> 1-based line

    @property
    def ok(self) -> bool:
        return self.error is None

    def line_of(self, path: tuple[str, ...]) -> int:
        """The line of the deepest known key on `path` (0 when none is known)."""
        for length in range(len(path), 0, -1):
            line = self.key_lines.get(tuple(path[:length]))
            if line:
                return line
        return 0


class _Refused(Exception):
    pass


def _expanded_size(node: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise _Refused("a YAML alias refers to itself")
    active.add(key)
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, sizes, active)
            if total > MAX_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _expanded_size(k, sizes, active) + _expanded_size(v, sizes, active)
            if total > MAX_NODES:
                break
    active.discard(key)
    if total > MAX_NODES:
        raise _Refused(f"the YAML expands to more than {MAX_NODES:,} nodes through aliases (an alias bomb?)")
    sizes[key] = total
    return total


def _key_lines(node: yaml.Node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int], seen: set[int]) -> None:
    if id(node) in seen:  # an alias: its keys are recorded where it is defined
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                path = (*prefix, str(key.value))
                out.setdefault(path, key.start_mark.line + 1)
                _key_lines(value, path, out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _key_lines(child, (*prefix, str(index)), out, seen)


def load_yaml(text: str) -> YamlDocument:
    """Parse every document of `text`; keep the first document's data and key lines."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = f"{context}: {problem}" if context and problem else problem
        return YamlDocument(error=message, error_line=(mark.line + 1) if mark else 1,
                            error_column=(mark.column + 1) if mark else 1)
    except RecursionError:
        return YamlDocument(error="the YAML nests too deeply", error_line=1, error_column=1, refused=True)
    sizes: dict[int, int] = {}
    try:
        for node in nodes:
            if node is not None:
                _expanded_size(node, sizes, set())
    except _Refused as exc:
        return YamlDocument(error=str(exc), error_line=1, error_column=1, refused=True)
    except RecursionError:
        return YamlDocument(error="the YAML nests too deeply", error_line=1, error_column=1, refused=True)
    if not nodes or nodes[0] is None:
        return YamlDocument(data=None)
    try:
        data = yaml.SafeLoader("").construct_document(nodes[0])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return YamlDocument(error=getattr(exc, "problem", None) or str(exc).splitlines()[0],
                            error_line=(mark.line + 1) if mark else 1, error_column=(mark.column + 1) if mark else 1)
    lines: dict[tuple[str, ...], int] = {}
    _key_lines(nodes[0], (), lines, set())
    return YamlDocument(data=data, key_lines=lines)
