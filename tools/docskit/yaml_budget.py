"""Every YAML the toolkit reads, read within one budget: size, nesting depth, nodes.

A pull request controls the YAML it adds: a front matter, a referenced source, a
fenced snippet. So before anything is built, a text is refused when it is larger
than `YamlBudget.max_bytes` (by its length alone), and otherwise its event stream
is walked once, without recursion, counting nesting depth and the nodes the
document would hold once every alias is expanded (a "billion laughs" of aliases of
aliases is refused when the count passes `max_nodes`, long before it is built; an
alias inside its own anchor is refused outright). Only a text that fits is
composed and constructed, and a value that YAML cannot construct (an impossible
date, say) is an error of that file at that node, like a syntax error.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import yaml

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster
SIZE_SETTING = "max_yaml_bytes"


@dataclass(frozen=True)
class YamlBudget:
    """What one YAML text may cost; `max_bytes` is the `max_yaml_bytes` option, the rest are fixed."""

    max_bytes: int = 1_048_576
    max_depth: int = 64
    max_nodes: int = 200_000


@dataclass
class YamlDocument:
    data: Any = None
    error: str | None = None  # why it does not parse, or why it is refused
    error_line: int = 0  # 1-based line in the text
    error_column: int = 0
    refused: bool = False  # over the budget: too large, too deep, too many nodes, a recursive alias
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


class GuardedLoader(yaml.SafeLoader):
    """The safe constructor, with any failure of a constructor reported as a YAML error at its node."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - ValueError from dates, OverflowError, TypeError: all the file's
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value: {exc}", node.start_mark
            ) from None


class _Refused(Exception):
    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.mark = mark


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def too_large(size: int, budget: YamlBudget) -> str | None:
    """The refusal of a YAML text of `size` bytes, or None when it fits."""
    if size <= budget.max_bytes:
        return None
    return (
        f"too large: {size:,} bytes, the limit is {budget.max_bytes:,} (setting `{SIZE_SETTING}` of "
        f"docskit.mdext.learn in mkdocs.yml)"
    )


def _check_events(text: str, budget: YamlBudget) -> None:
    """Walk the event stream once: refuse deep nesting, recursive aliases and too many (expanded) nodes."""
    sizes: dict[str, int] = {}  # anchor -> expanded size of its node
    open_anchors: set[str] = set()
    stack: list[list[Any]] = []  # per open collection: [anchor, expanded size so far]
    nodes = expanded = 0
    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                open_anchors.discard(anchor)
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise _Refused(f"the alias `*{event.anchor}` refers to a node that contains it", event.start_mark)
            size = sizes.get(event.anchor, 0)  # an undefined alias: composing reports it with its position
        elif isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            size = 1
            nodes += 1
        else:
            continue
        expanded += size
        if nodes > budget.max_nodes:
            raise _Refused(f"the YAML holds more than {budget.max_nodes:,} nodes", event.start_mark)
        if expanded > budget.max_nodes:
            raise _Refused(
                f"the YAML expands to more than {budget.max_nodes:,} nodes through aliases (an alias bomb?)",
                event.start_mark,
            )
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            if stack:
                stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            if stack:
                stack[-1][1] += size
        else:
            if len(stack) >= budget.max_depth:
                raise _Refused(f"the YAML nests deeper than {budget.max_depth} levels", event.start_mark)
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append([event.anchor, 1])


def _key_lines(root: yaml.Node) -> dict[tuple[str, ...], int]:
    """The 1-based line of every key path, breadth first, each node once (an alias's keys are where it is defined)."""
    out: dict[tuple[str, ...], int] = {}
    seen: set[int] = set()
    queue: deque[tuple[yaml.Node, tuple[str, ...]]] = deque([(root, ())])
    while queue:
        node, prefix = queue.popleft()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    path = (*prefix, str(key.value))
                    out.setdefault(path, key.start_mark.line + 1)
                    queue.append((value, path))
        elif isinstance(node, yaml.SequenceNode):
            queue.extend((child, (*prefix, str(index))) for index, child in enumerate(node.value))
    return out


def _problem(exc: yaml.YAMLError) -> YamlDocument:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context and problem else problem
    return YamlDocument(
        error=message, error_line=(mark.line + 1) if mark else 1, error_column=(mark.column + 1) if mark else 1
    )


def load_yaml(
    text: str, budget: YamlBudget | None = None, loader: type[yaml.SafeLoader] = GuardedLoader
) -> YamlDocument:
    """Parse every document of `text` within `budget`; keep the first document's data and key lines.

    `loader` constructs the data (a subclass of `GuardedLoader` to add tags).
    """
    budget = budget or YamlBudget()
    refusal = too_large(utf8_size(text), budget) if len(text) * 4 > budget.max_bytes else None
    if refusal:
        return YamlDocument(error=refusal, error_line=1, error_column=1, refused=True)
    try:
        _check_events(text, budget)
        nodes = list(yaml.compose_all(text, Loader=_PARSER))
    except _Refused as exc:
        mark = exc.mark
        return YamlDocument(
            error=str(exc),
            error_line=(mark.line + 1) if mark else 1,
            error_column=(mark.column + 1) if mark else 1,
            refused=True,
        )
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit, met while scanning ahead
            found = _problem(exc)
            found.error, found.refused = f"the YAML nests deeper than {budget.max_depth} levels", True
            return found
        return _problem(exc)
    if not nodes or nodes[0] is None:
        return YamlDocument(data=None)
    try:
        data = loader("").construct_document(nodes[0])
    except yaml.YAMLError as exc:
        return _problem(exc)
    return YamlDocument(data=data, key_lines=_key_lines(nodes[0]))
