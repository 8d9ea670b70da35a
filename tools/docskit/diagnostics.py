"""A finding about a file position: the one value every part of the toolkit reports.

The parser, the resolver, the linter rules and the Markdown extension all produce
`Diagnostic` values, so the site build and `check-snippets` print the same code and
message for the same defect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. `line` and `column` are 1-based; 0 means "the whole file"."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def located(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def with_severity(self, severity: Severity) -> "Diagnostic":
        return replace(self, severity=severity)

    def format_text(self) -> str:
        text = f"{self.located()}: {self.code} {self.severity.value} {self.message}"
        return f"{text} ({self.hint})" if self.hint else text
