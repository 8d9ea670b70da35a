"""SARIF 2.1.0, the format GitHub code scanning ingests (and which can block a pull request)."""

from __future__ import annotations

import json

from docskit.catalog import CODES
from docskit.check.report import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
RULES_PAGE = "docs/reference/check-snippets-rules.md"


def render(report: Report) -> str:
    rules = [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary},
            "fullDescription": {"text": c.summary},
            "helpUri": f"{RULES_PAGE}#{c.code.lower()}-{c.name}",
            "defaultConfiguration": {"level": _LEVEL[c.severity.value]},
            "properties": {"tags": [c.docfx] if c.docfx else []},
        }
        for c in CODES
    ]
    index = {c.code: i for i, c in enumerate(CODES)}
    results = []
    for d in report.diagnostics:
        message = f"{d.message} ({d.hint})" if d.hint else d.message
        result = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity.value],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "check-snippets",
                        "informationUri": RULES_PAGE,
                        "version": "0.1.0",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
