"""Output formats: each module turns a report into text for one consumer (a person, CI, code scanning).

`FORMAT_NAMES` is the one list of formats (the command line offers exactly these);
a format's module is imported only when a report is rendered in it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docskit.check.report import Report

_MODULES = {"text": "text", "json": "json_list", "github": "github", "sarif": "sarif", "junit": "junit"}
FORMAT_NAMES: tuple[str, ...] = tuple(_MODULES)


def renderer(name: str) -> Callable[[Report], str]:
    """The `render(report) -> str` function of format `name` (one of `FORMAT_NAMES`)."""
    return import_module(f"{__name__}.{_MODULES[name]}").render
