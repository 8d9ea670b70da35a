from __future__ import annotations

from checker_support import REPO

from docskit.check.reference import render


def test_rules_reference_is_up_to_date():
    page = REPO / "docs" / "reference" / "check-snippets-rules.md"
    assert page.read_text(encoding="utf-8") == render(), (
        "regenerate: .venv/bin/python -m docskit.check.reference docs/reference/check-snippets-rules.md"
    )


def test_every_code_has_a_section():
    from docskit.catalog import CODES

    page = render()
    assert all(f"## {c.code} {c.name}" in page for c in CODES)
