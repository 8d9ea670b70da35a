"""Every scanner of a page answers the same on ordinary text and stays linear on crafted text.

The crafted pages are those that made the old scanners cubic or quadratic (an opener
repeated without its closer, one long line of brackets or backticks); each test
checks the answer, the benchmark `benchmarks/worst_case.py` prints the times.
"""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import markdown
import pytest

from docskit.cli import main
from docskit.learn import parse_article
from docskit.learn.critic import find_critic_marks
from docskit.learn.headings import find_heading, slugify
from docskit.learn.inline_code import blank_inline_code
from docskit.learn.links import find_links

# The regular expressions the scanners used to be: the reference for ordinary input.
_CRITIC_REFERENCE = (
    ("comment", re.compile(r"\{>>(.*?)<<\}", re.DOTALL)),
    ("addition", re.compile(r"\{\+\+(.*?)\+\+\}", re.DOTALL)),
    ("deletion", re.compile(r"\{--(.*?)--\}", re.DOTALL)),
    ("substitution", re.compile(r"\{~~(.*?~>.*?)~~\}", re.DOTALL)),
    ("highlight", re.compile(r"\{==(.*?)==\}", re.DOTALL)),
)
_SPAN_REFERENCE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


def reference_marks(text: str) -> list[tuple[int, int, str, str]]:
    marks = []
    for kind, pattern in _CRITIC_REFERENCE:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            marks.append((line, column, kind, match.group(1).strip()))
    return sorted(marks, key=lambda m: (m[0], m[1]))


def scanned(text: str) -> list[tuple[int, int, str, str]]:
    """The scanner alone, on text with nothing to blank."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return [(m.line, m.column, m.kind, m.text) for m in find_critic_marks(text, text, starts)]


def marks_of(text: str) -> list[tuple[int, int, str, str]]:
    return [(m.line, m.column, m.kind, m.text) for m in parse_article("a.md", text).critic_marks]


def test_critic_marks_of_all_five_forms_spanning_lines():
    text = (
        "{>> a comment <<} {++ added ++} {-- removed --} {~~ old ~> new ~~} {== marked ==}\n{>> spans\ntwo lines <<}\n"
    )
    assert marks_of(text) == [
        (1, 1, "comment", "a comment"),
        (1, 19, "addition", "added"),
        (1, 33, "deletion", "removed"),
        (1, 49, "substitution", "old ~> new"),
        (1, 68, "highlight", "marked"),
        (2, 1, "comment", "spans\ntwo lines"),
    ]


def test_critic_marks_in_fences_and_code_spans_are_examples():
    text = "```markdown\n{>> in a fence <<}\n```\n\nSee `{++ in code ++}` and {-- real --}.\n"
    assert marks_of(text) == [(5, 27, "deletion", "real")]


def test_a_substitution_needs_its_arrow():
    assert marks_of("{~~ no arrow ~~} then {~~ a ~> b ~~}\n") == [
        (1, 1, "substitution", "no arrow ~~} then {~~ a ~> b")
    ]
    assert marks_of("{~~ no arrow ~~}\n") == []


@pytest.mark.parametrize("seed", range(4))
def test_critic_marks_are_those_the_regular_expressions_found(seed):
    rng = random.Random(seed)
    pieces = [
        "{",
        "}",
        "~",
        ">",
        "<",
        "a",
        " ",
        "\n",
        "{~~",
        "~~}",
        "~>",
        "{>>",
        "<<}",
        "{++",
        "++}",
        "{--",
        "--}",
        "{==",
        "==}",
        "+",
        "-",
        "=",
    ]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert scanned(text) == reference_marks(text), repr(text)


@pytest.mark.parametrize("opener,closer", [("{>>", "<<}"), ("{++", "++}"), ("{--", "--}"), ("{==", "==}")])
def test_a_page_of_unclosed_openers_has_no_mark_and_one_closer_closes_the_first(opener, closer):
    page = opener * 300_000
    assert marks_of(page) == []
    kind = {"{>>": "comment", "{++": "addition", "{--": "deletion", "{==": "highlight"}[opener]
    assert marks_of(page + closer) == [(1, 1, kind, (opener * 300_000)[3:])]


def test_the_crafted_substitution_pages_of_the_report():
    assert marks_of("{~~" * 1200 + "~>" * 1200) == []
    assert marks_of("{>>" * 32000) == []
    page = "{~~" * 200_000 + "~>" * 200_000
    assert marks_of(page) == []
    assert marks_of(page + "~~}") == [(1, 1, "substitution", page[3:])]


@pytest.mark.parametrize("seed", range(2))
def test_code_spans_are_those_the_regular_expression_found(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        line = "".join(rng.choice("``` a") for _ in range(rng.randint(0, 16)))
        expected = _SPAN_REFERENCE.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(1), line)
        assert blank_inline_code(line) == expected, repr(line)


def test_a_long_unmatched_backtick_run_blanks_nothing():
    line = "`" * 2000 + " tk " * 200_000
    assert blank_inline_code(line) == line
    assert blank_inline_code(line + "`") == "`" + " " * (len(line) - 1) + "`"


def test_headings_keep_their_text_and_closing_hashes_are_dropped():
    assert find_heading(1, "## Deploy  ##  ").text == "Deploy"
    assert find_heading(1, "# Title#").text == "Title#"
    assert find_heading(1, "# Title # #").text == "Title #"
    assert find_heading(1, "# a" + " " * 500_000 + "x").text == "a" + " " * 500_000 + "x"
    assert find_heading(1, "# a" + " #" * 300_000 + "x").text.endswith("#x")
    assert find_heading(1, "# Set up {#setup}").anchor == "setup"
    assert find_heading(1, "# A" + " {#a" * 200_000).anchor == slugify("A" + " {#a" * 200_000)


def test_links_on_ordinary_lines_and_on_a_line_of_brackets():
    found = find_links(1, 'See [the [other] page](other.md#part "t") and ![alt](<img/a b.png>).')
    assert [(link.text, link.target, link.image) for link in found] == [
        ("the [other] page", "other.md#part", False),
        ("alt", "img/a b.png", True),
    ]
    assert find_links(1, "[a](" * 250_000) == []
    [link] = find_links(1, "[" * 500_000 + "a](b)")
    assert (link.column, link.text, link.target, link.target_column) == (500_000, "a", "b", 500_004)
    assert find_links(1, "[[a]" * 250_000) == []
    assert slugify("[a](" * 100_000 + "<" * 100_000) == "a" * 100_000


def test_includes_and_notebooks_on_a_line_of_unclosed_openers():
    article = parse_article(
        "a.md",
        "[!INCLUDE [" * 100_000
        + "\n"
        + "[!notebook-python[" * 60_000
        + "\n"
        + "[!INCLUDE [p](includes/p.md)] " * 30_000
        + "\n",
    )
    assert [include.line for include in article.includes] == [3] * 30_000
    assert article.notebooks == [] and article.links == []


# check-snippets and the site extension on the crafted pages


def check(tmp_path: Path, page: str) -> list[str]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - docskit.mdext.learn\n", encoding="utf-8"
    )
    (tmp_path / "docs" / "page.md").write_text(page, encoding="utf-8")
    report = tmp_path / "report.txt"
    main(
        [
            "--no-cache",
            "--no-exec-checks",
            "--config",
            str(tmp_path / "mkdocs.yml"),
            "-o",
            str(report),
            str(tmp_path / "docs"),
        ]
    )
    return report.read_text(encoding="utf-8").splitlines()


def convert(tmp_path: Path, page: str, caplog: pytest.LogCaptureFixture) -> tuple[str, list[str]]:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.docskit")
    path = tmp_path / "docs" / "page.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(page, encoding="utf-8")
    md = markdown.Markdown(extensions=["docskit.mdext.learn"], extension_configs={"docskit.mdext.learn": {}})
    md.docskit_page = path
    html = md.convert(page)
    return html, [
        r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.docskit" and r.levelno >= logging.WARNING
    ]


@pytest.mark.parametrize("page", ["{~~" * 1200 + "~>" * 1200, "{>>" * 32000], ids=["substitution", "comment"])
def test_crafted_critic_pages_are_checked_and_converted(tmp_path, caplog, page):
    assert not any("TXT002" in line for line in check(tmp_path, page))
    html, logged = convert(tmp_path, page, caplog)
    assert html and not any("TXT002" in message for message in logged)


def test_a_closed_crafted_comment_is_one_finding(tmp_path, caplog):
    page = "{>>" * 32000 + "<<}\n"
    found = [line for line in check(tmp_path, page) if "TXT002" in line]
    assert len(found) == 1 and "page.md:1:1: TXT002" in found[0]
    html, logged = convert(tmp_path, page, caplog)
    assert len([m for m in logged if "TXT002" in m]) == 1
