"""Output formats: each module turns a report into text for one consumer (a person, CI, code scanning)."""

from __future__ import annotations

from collections.abc import Callable

from docskit.check.output import github, json_list, junit, sarif, text
from docskit.check.runner import Report

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render, "json": json_list.render, "github": github.render, "sarif": sarif.render, "junit": junit.render,
}
