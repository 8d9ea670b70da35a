"""`path:line:col: CODE severity message (hint)`, one finding per line, for people and editors."""

from __future__ import annotations

from docskit.check.report import Report


def render(report: Report) -> str:
    return "".join(d.format_text() + "\n" for d in report.diagnostics)
