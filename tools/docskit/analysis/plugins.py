"""Configured per-program hooks (`command_checkers`, `command_normalizers`): "module:function".

The docs toolkit knows no CLI; a project maps a program name (`az`) to a function
of its own that checks or normalises that program's command lines. A hook that
cannot be imported is reported once (CFG001), never raised.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


class Plugins:
    def __init__(self, checkers: dict[str, str], normalizers: dict[str, str]) -> None:
        self._specs = {"checker": dict(checkers), "normalizer": dict(normalizers)}
        self._loaded: dict[tuple[str, str], Callable[..., Any] | None] = {}
        self.problems: list[str] = []  # one line per hook that could not be loaded

    def programs(self, kind: str) -> set[str]:
        return set(self._specs[kind])

    def get(self, kind: str, program: str) -> Callable[..., Any] | None:
        key = (kind, program)
        if key in self._loaded:
            return self._loaded[key]
        spec = self._specs[kind].get(program)
        function = None
        if spec:
            function = self._load(kind, program, spec)
        self._loaded[key] = function
        return function

    def _load(self, kind: str, program: str, spec: str) -> Callable[..., Any] | None:
        module_name, _, attribute = spec.partition(":")
        option = "command_checkers" if kind == "checker" else "command_normalizers"
        if not module_name or not attribute:
            self.problems.append(f"{option}: `{program}: {spec}` is not of the form module:function")
            return None
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - any import failure of a configured hook is a configuration problem
            self.problems.append(
                f"{option}: cannot import `{module_name}` for `{program}` ({type(exc).__name__}: {exc})"
            )
            return None
        function = getattr(module, attribute, None)
        if not callable(function):
            self.problems.append(f"{option}: `{module_name}` has no function `{attribute}` for `{program}`")
            return None
        return function
