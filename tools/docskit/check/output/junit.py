"""JUnit XML: one test suite per file, one failing test case per finding, a passing one for a clean file."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from docskit.check.report import Report


def render(report: Report) -> str:
    by_file: dict[str, list] = {path: [] for path in report.checked}
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    root = ET.Element("testsuites", name="check-snippets", tests="0", failures="0")
    total = failures = 0
    for path, found in sorted(by_file.items()):
        suite = ET.SubElement(root, "testsuite", name=path)
        failing = [d for d in found if d.severity.value in ("error", "warning")]
        if not found:
            ET.SubElement(suite, "testcase", name="check-snippets", classname=path)
        for d in found:
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.line}:{d.column}", classname=path)
            message = f"{d.message} ({d.hint})" if d.hint else d.message
            if d in failing:
                failure = ET.SubElement(case, "failure", message=message, type=d.severity.value)
                failure.text = d.format_text()
            else:
                ET.SubElement(case, "system-out").text = d.format_text()
        count = max(len(found), 1)
        suite.set("tests", str(count))
        suite.set("failures", str(len(failing)))
        total += count
        failures += len(failing)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
