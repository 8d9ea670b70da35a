"""One file never ends the run: a failure while checking a file is one INT001 on that file.

Every other file's findings stand, the exit status says the tool failed (2), and what a
careless or hostile page holds (a NUL in a path, a name too long for the file system) is
an ordinary finding on its own line, never an internal error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from checker_support import write_files, write_mkdocs

from docskit.check import article as article_module
from docskit.check import check_page
from docskit.config import load_config
from docskit.snippets.resolver import Resolver
from docskit.snippets.roots import Roots

FILLER = "Some prose that fills the page.\n" * 300  # > 8 KB: a NUL after it is not taken as a binary file
SOURCE = "# <a>\necho a\n# </a>\n"
OTHER = '# Other\n\n:::code language="bash" source="~/samples/missing.sh":::\n'  # SRC001 on line 3


def codes(report):
    return {d.code for d in report.diagnostics}


def of(report, path: str) -> list:
    return [d for d in report.diagnostics if d.path == path]


@pytest.mark.parametrize("source", ["~/samples/a\x00.sh", "a\x00b.sh", "../samples/a.sh\x00", "~/samples/\x00/../a.sh"])
def test_a_nul_in_a_source_path_after_8_kb_is_an_ordinary_finding(docset, source):
    page = f'# Page\n\n{FILLER}\n:::code language="bash" source="{source}":::\n'
    line = page[: page.index(":::code")].count("\n") + 1
    report = docset({"docs/page.md": page, "docs/other.md": OTHER, "samples/a.sh": SOURCE})
    [finding] = of(report, "docs/page.md")
    assert finding.code in ("SRC001", "SRC002") and finding.line == line, finding.format_text()
    assert "NUL" in finding.message
    assert [d.code for d in of(report, "docs/other.md")] == ["SRC001"]
    assert report.exit_code == 1


@pytest.mark.parametrize(
    "source",
    [
        "~/samples/" + "n" * 300 + ".sh",
        "~/" + "d" * 300 + "/a.sh",
        "n" * 300 + "/a.sh",
        "~/samples/" + "/".join(["d" * 200] * 30) + "/a.sh",
    ],
)
def test_a_source_name_too_long_for_the_file_system_is_a_finding(docset, source):
    report = docset(
        {"docs/page.md": f'# Page\n\n:::code language="bash" source="{source}":::\n', "samples/a.sh": SOURCE}
    )
    [finding] = report.diagnostics
    assert finding.code in ("SRC001", "SRC003", "SRC005") and finding.line == 3, finding.format_text()


def _failing(real, name: str):
    def parse(path, text, *args):
        if path.endswith(name):
            raise ValueError("parser bug\nsecond line")
        return real(path, text, *args)

    return parse


def test_a_file_that_cannot_be_parsed_is_int001_and_the_others_stand(docset, monkeypatch):
    monkeypatch.setattr(article_module, "parse_article", _failing(article_module.parse_article, "broken.md"))
    report = docset({"docs/broken.md": "# Broken\n\ntk\n", "docs/other.md": OTHER, "docs/clean.md": "# Clean\n"})
    [failure] = of(report, "docs/broken.md")
    assert (failure.code, failure.line, failure.column) == ("INT001", 1, 1)
    assert "ValueError: parser bug second line" in failure.message and "\n" not in failure.message
    assert failure.hint
    assert [d.code for d in of(report, "docs/other.md")] == ["SRC001"]
    assert "docs/clean.md" in report.checked
    assert report.exit_code == 2


def test_a_directive_that_cannot_be_resolved_is_int001_on_its_line(docset, monkeypatch):
    real = Resolver.resolve

    def resolve(self, article_path, article, directive):
        if directive.id == "boom":
            raise RuntimeError("resolver bug")
        return real(self, article_path, article, directive)

    monkeypatch.setattr(Resolver, "resolve", resolve)
    page = (
        '# Page\n\n:::code language="bash" source="~/samples/a.sh" id="boom":::\n\n'
        ':::code language="bash" source="~/samples/a.sh" id="nope":::\n'
    )
    report = docset({"docs/page.md": page, "docs/other.md": OTHER, "samples/a.sh": SOURCE})
    found = sorted((d.code, d.line) for d in of(report, "docs/page.md"))
    assert found == [("INT001", 3), ("REG001", 5)], [d.format_text() for d in report.diagnostics]
    assert [d.code for d in of(report, "docs/other.md")] == ["SRC001"]
    assert report.exit_code == 2


def test_check_page_turns_a_failure_into_int001(tmp_path: Path, monkeypatch):
    write_files(tmp_path, {"docs/broken.md": "# Broken\n", "samples/a.sh": SOURCE})
    config = load_config(write_mkdocs(tmp_path), tmp_path)
    monkeypatch.setattr(article_module, "parse_article", _failing(article_module.parse_article, "broken.md"))
    resolver = Resolver(Roots(tmp_path / "docs", {"samples": tmp_path / "samples"}))
    [failure] = check_page(tmp_path / "docs/broken.md", "docs/broken.md", "# Broken\n", config, resolver)
    assert (failure.path, failure.code, failure.line) == ("docs/broken.md", "INT001", 1)


def test_check_page_reports_a_nul_in_a_source_path(tmp_path: Path):
    write_files(tmp_path, {"samples/a.sh": SOURCE})
    (tmp_path / "docs").mkdir()
    config = load_config(write_mkdocs(tmp_path), tmp_path)
    resolver = Resolver(Roots(tmp_path / "docs", {"samples": tmp_path / "samples"}))
    page = FILLER + ':::code language="bash" source="~/samples/a\x00.sh":::\n'
    found = check_page(tmp_path / "docs/p.md", "docs/p.md", page, config, resolver)
    assert [(d.code, d.line) for d in found] in ([("SRC001", 301)], [("SRC002", 301)])


def test_a_nul_in_an_include_path_does_not_stop_a_cached_run(docset, tmp_path: Path):
    page = f"# Page\n\n{FILLER}\n[!INCLUDE [x](includes/in\x00c.md)]\n"
    report = docset({"docs/page.md": page, "docs/other.md": OTHER}, cache_dir=tmp_path / "cache")
    assert "INC001" in {d.code for d in of(report, "docs/page.md")}
    assert [d.code for d in of(report, "docs/other.md")] == ["SRC001"]
    assert report.exit_code == 1


def test_a_failing_source_rule_is_int001_and_the_others_stand(docset, monkeypatch):
    import dataclasses

    from docskit.check import runner

    def broken(index):
        raise KeyError("rule bug")

    rules = tuple(dataclasses.replace(r, docset_check=broken) if r.code == "REG007" else r for r in runner.RULES)
    monkeypatch.setattr(runner, "RULES", rules)  # the registry as the runner sees it
    source = "# <a>\necho a\n# </a>\n# <open>\necho open\n"  # REG003 on `open`, from another source rule
    report = docset(
        {
            "docs/page.md": '# Page\n\n:::code language="bash" source="~/samples/a.sh" id="a":::\n',
            "docs/other.md": OTHER,
            "samples/a.sh": source,
        },
        select=["REG007", "REG", "SRC"],
    )
    assert {(d.path, d.code) for d in report.diagnostics} == {  # the failure is named on the docset root
        (".", "INT001"),
        ("samples/a.sh", "REG003"),
        ("docs/other.md", "SRC001"),
    }, [d.format_text() for d in report.diagnostics]
    assert report.exit_code == 2
