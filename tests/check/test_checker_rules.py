"""Every rule's documented examples: the bad docset is reported, the good one is not."""

from __future__ import annotations

import pytest

from docskit.check.runner import OPT_IN
from docskit.rules import RULES

CHECKERS = {"az": "amlemu.az.command_line_check:check_command_line"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_is_reported(docset, rule):
    report = docset(rule.bad, rule.options, **({"select": [rule.code]} if rule.code in OPT_IN else {}))
    assert rule.code in {d.code for d in report.diagnostics}, [d.format_text() for d in report.diagnostics]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_good_example_is_not_reported(docset, rule):
    report = docset(rule.good, rule.options, **({"select": [rule.code]} if rule.code in OPT_IN else {}))
    assert rule.code not in {d.code for d in report.diagnostics}, [d.format_text() for d in report.diagnostics]


def test_every_catalogue_code_has_a_rule_or_is_the_tools_own():
    from docskit.catalog import CODES

    ruled = {r.code for r in RULES}
    assert {c.code for c in CODES} - ruled == {"CFG001", "INT001"}
