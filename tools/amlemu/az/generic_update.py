"""The CLI's generic update: `--set`, `--add`, `--remove`, `--force-string` on a fetched object.

`update` commands first get the current object, apply these edits in the order
they appear on the command line (every occurrence of each), then send it back. Paths are dotted, with `[n]` list indexes (`a.b[0].c`). Values are
read as JSON when they parse (so `instance_count=2` is the integer 2) unless
`--force-string` is given. Works on dicts, lists and SDK entity objects alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from knack.util import CLIError

_INDEX = re.compile(r"^(?P<name>[^\[\]]*)(?P<indexes>(\[-?\d+\])*)$")


def _parse_value(text: str, force_string: bool) -> Any:
    if force_string:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _split_path(path: str) -> list[str | int]:
    """'a.b[0].c' -> ['a', 'b', 0, 'c']."""
    parts: list[str | int] = []
    for segment in path.split("."):
        match = _INDEX.match(segment)
        if not match:
            raise CLIError(f"invalid property path '{path}'")
        if match.group("name"):
            parts.append(match.group("name"))
        parts.extend(int(i) for i in re.findall(r"-?\d+", match.group("indexes")))
    return parts


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _get(container: Any, key: str | int, path_so_far: str) -> Any:
    if isinstance(key, int):
        try:
            return container[key]
        except (IndexError, TypeError, KeyError):
            raise CLIError(f"index {key} doesn't exist on {path_so_far}") from None
    if isinstance(container, dict):
        for candidate in (key, _snake(key)):
            if candidate in container:
                return container[candidate]
        raise CLIError(f"Couldn't find '{key}' in '{path_so_far}'. Available options: {sorted(container)}")
    for candidate in (key, _snake(key)):
        if hasattr(container, candidate):
            return getattr(container, candidate)
    options = sorted(k for k in vars(container) if not k.startswith("_")) if hasattr(container, "__dict__") else []
    raise CLIError(f"Couldn't find '{key}' in '{path_so_far}'. Available options: {options}")


def _set(container: Any, key: str | int, value: Any) -> None:
    if isinstance(key, int) or isinstance(container, dict):
        if isinstance(container, dict) and isinstance(key, str) and key not in container and _snake(key) in container:
            key = _snake(key)
        container[key] = value
        return
    attribute = key if hasattr(container, key) or not hasattr(container, _snake(key)) else _snake(key)
    setattr(container, attribute, value)


def _walk(instance: Any, parts: list[str | int]) -> Any:
    current, walked = instance, ""
    for part in parts:
        nxt = _get(current, part, walked or "object")
        if nxt is None and not isinstance(part, int):
            nxt = {}
            _set(current, part, nxt)
        current = nxt
        walked = f"{walked}[{part}]" if isinstance(part, int) else (f"{walked}.{part}" if walked else part)
    return current


def apply_set(instance: Any, expressions: list[str], force_string: bool) -> None:
    for expression in expressions:
        if "=" not in expression:
            raise CLIError("usage error: --set property1.property2=value")
        path, text = expression.split("=", 1)
        parts = _split_path(path)
        parent = _walk(instance, parts[:-1])
        _set(parent, parts[-1], _parse_value(text, force_string))


def apply_add(instance: Any, arguments: list[str], force_string: bool) -> None:
    if not arguments:
        return
    path, values = arguments[0], arguments[1:]
    target = _walk(instance, _split_path(path))
    if not isinstance(target, list):
        raise CLIError(f"invalid syntax: --add {path}: the property is not a list")
    pairs = [v for v in values if "=" in v]
    if pairs and len(pairs) == len(values):
        target.append({k: _parse_value(v, force_string) for k, v in (p.split("=", 1) for p in pairs)})
    else:
        target.extend(_parse_value(v, force_string) for v in values)


def apply_remove(instance: Any, arguments: list[str]) -> None:
    if not arguments:
        return
    path = arguments[0]
    parts = _split_path(path)
    if len(arguments) > 1:
        target = _walk(instance, parts)
        try:
            del target[int(arguments[1])]
        except (ValueError, IndexError, TypeError):
            raise CLIError(f"index {arguments[1]} doesn't exist on {path}") from None
        return
    parent = _walk(instance, parts[:-1])
    last = parts[-1]
    if isinstance(parent, (dict, list)):
        try:
            del parent[last]  # type: ignore[index]
        except (KeyError, IndexError):
            raise CLIError(f"Couldn't find '{last}' in '{path}'.") from None
    else:
        _set(parent, last, None)


def apply(instance: Any, ordered_arguments: list[tuple[str, list[str]]] | None, force_string: bool) -> Any:
    """Apply every `--set`, `--add` and `--remove` occurrence in command-line order, as azure-cli-core does.

    `ordered_arguments` is what the parser recorded: (option string, values) per occurrence.
    """
    for option, values in ordered_arguments or []:
        if option == "--set":
            apply_set(instance, values, force_string)
        elif option == "--add":
            apply_add(instance, values, force_string)
        elif option == "--remove":
            apply_remove(instance, values)
    return instance
