"""A finding is one printable line, whatever a page quotes into it."""

from __future__ import annotations

from docskit.diagnostics import Diagnostic


def test_control_characters_quoted_from_a_page_are_escaped():
    finding = Diagnostic("docs/a\x00b.md", 3, 1, "INC001", "`inc\x00\nx\r.md` was not found", hint="tab\there")
    text = finding.format_text()
    assert text == "docs/a\\0b.md:3:1: INC001 error `inc\\0\\nx\\r.md` was not found (tab\\there)"
    assert text.isprintable()


def test_printable_text_is_kept_as_written():
    finding = Diagnostic("docs/été.md", 1, 2, "TXT001", "placeholder `tk` — «left in»")
    assert finding.message == "placeholder `tk` — «left in»" and finding.path == "docs/été.md"
