"""A finding about a file position: the one value every part of the toolkit reports.

The parser, the resolver, the linter rules and the Markdown extension all produce
`Diagnostic` values, so the site build and `check-snippets` print the same code and
message for the same defect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

# A finding is one line of a terminal, a log or a CI annotation: control characters quoted from a
# page (a NUL in a path, a CR in a name) are shown escaped, never written raw.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127)} | {0: "\\0", 9: "\\t", 10: "\\n", 13: "\\r"}


class Severity(str, Enum):  # noqa: UP042 - StrEnum would change str(severity), which reports and caches print
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

    def __post_init__(self) -> None:
        for name in ("path", "message", "hint"):
            value = getattr(self, name)
            if value and not value.isprintable():
                object.__setattr__(self, name, value.translate(_ESCAPES))

    def located(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def format_text(self) -> str:
        text = f"{self.located()}: {self.code} {self.severity.value} {self.message}"
        return f"{text} ({self.hint})" if self.hint else text
