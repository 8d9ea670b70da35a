"""What a run gives: a `Report`, or a `RunError` when it cannot start.

Kept apart from the runner, which imports every rule: the command line names these before it knows
whether it will run at all (`--help` does not), and the output formats need only the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docskit.diagnostics import Diagnostic, Severity


class RunError(Exception):
    """The run cannot start (bad path, git failure); one line for the user, exit status 2."""


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # articles (and include files) whose findings are reported
    sources: int = 0  # source files linted by docset rules
    cache_hits: int = 0
    notes: list[str] = field(default_factory=list)  # one-line remarks for stderr

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def exit_code(self) -> int:
        if any(d.code == "INT001" for d in self.diagnostics):
            return 2
        return 1 if self.count(Severity.ERROR) else 0
