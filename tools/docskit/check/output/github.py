"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=CODE::message`."""

from __future__ import annotations

from docskit.check.report import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for d in report.diagnostics:
        message = f"{d.message} ({d.hint})" if d.hint else d.message
        place = f"file={_property(d.path)},line={max(d.line, 1)},col={max(d.column, 1)}"
        lines.append(f"::{_LEVEL[d.severity.value]} {place},title={_property(d.code)}::{_data(message)}\n")
    return "".join(lines)
