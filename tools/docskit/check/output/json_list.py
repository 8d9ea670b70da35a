"""A JSON list with exactly the keys `path line column code severity message rule` per finding."""

from __future__ import annotations

import json

from docskit.catalog import BY_CODE
from docskit.check.report import Report


def render(report: Report) -> str:
    items = []
    for d in report.diagnostics:
        entry = BY_CODE.get(d.code)
        message = f"{d.message} ({d.hint})" if d.hint else d.message
        items.append(
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "severity": d.severity.value,
                "message": message,
                "rule": entry.name if entry else d.code.lower(),
            }
        )
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
