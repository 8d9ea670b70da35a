"""Every YAML the toolkit reads is read within one budget, and refused with its real cause.

Front matter, YAML sources shown by `:::code`, YAML fences and mkdocs.yml itself go
through `docskit.yaml_budget.load_yaml`: too large (refused unread), too deep, too
many nodes, too many through aliases, an alias inside its own anchor, and a value
YAML cannot construct are each a finding on that file, in check-snippets and in
the site extension alike.
"""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest
import yaml

from docskit.cli import main
from docskit.config import ConfigError, load_config
from docskit.learn import parse_article
from docskit.sourcefile import MAX_FILE_BYTES
from docskit.yaml_budget import YamlBudget, load_yaml


def bomb(levels: int) -> str:
    """A "billion laughs": each level ten aliases of the one before (378 bytes for 9 levels)."""
    names = "abcdefghijklmnopqrstuvwxyz"
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for previous, name in zip(names, names[1:levels], strict=False):
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    return text


def test_an_alias_bomb_is_refused_as_one():
    document = load_yaml(bomb(9))
    assert document.refused and "expands to more than 200,000 nodes through aliases" in document.error


def test_an_alias_inside_its_own_anchor_is_refused():
    document = load_yaml("a: &a [*a]\n")
    assert document.refused and "`*a` refers to a node that contains it" in document.error
    assert (document.error_line, document.error_column) == (1, 8)


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100 + "]" * 100, "a: " + "[" * 100_000, "".join(" " * i + "k:\n" for i in range(200))],
    ids=["flow", "flow-unclosed", "block"],
)
def test_deep_nesting_is_refused_by_its_depth(text):
    document = load_yaml(text)
    assert document.refused and document.error == "the YAML nests deeper than 64 levels"


def test_many_nodes_without_aliases_are_not_called_an_alias_bomb():
    document = load_yaml("[" + "1, " * 300 + "1]", YamlBudget(max_nodes=100))
    assert document.refused and document.error == "the YAML holds more than 100 nodes"


def test_a_text_over_the_size_limit_is_refused_before_it_is_parsed(monkeypatch):
    def not_parsed(*args, **kwargs):
        raise AssertionError("a YAML over the size limit was parsed")

    monkeypatch.setattr(yaml, "parse", not_parsed)
    monkeypatch.setattr(yaml, "compose_all", not_parsed)
    document = load_yaml("a: é\n" * 300, YamlBudget(max_bytes=1000))
    assert document.refused
    assert document.error == (
        "too large: 1,800 bytes, the limit is 1,000 (setting `max_yaml_bytes` of docskit.mdext.learn in mkdocs.yml)"
    )


def test_an_impossible_date_is_an_error_at_its_node():
    document = load_yaml("title: x\nms.date: 2024-13-45\n")
    assert not document.refused and "month must be in 1..12" in document.error
    assert (document.error_line, document.error_column) == (2, 10)


def test_ordinary_yaml_keeps_its_data_and_key_lines():
    document = load_yaml("name: blue\nmodel:\n  path: ../model\nshared: &s {a: 1}\nagain: *s\nlist: [x, {k: v}]\n")
    assert document.ok and document.data["again"] == {"a": 1}
    assert document.line_of(("model", "path")) == 3 and document.line_of(("list", "1", "k")) == 6


@pytest.mark.parametrize(
    "front,expected",
    [
        (bomb(9), "front matter refused: the YAML expands to more than 200,000 nodes through aliases"),
        ("a: &a [*a]\n", "front matter refused: the alias `*a` refers to a node that contains it"),
        (
            "title: x\nms.date: 2024-13-45\n",
            "front matter is not valid YAML: cannot read the value: month must be in 1..12",
        ),
    ],
)
def test_front_matter_goes_through_the_budget(front, expected):
    matter = parse_article("a.md", f"---\n{front}---\n\n# A\n").front_matter
    assert matter.data is None and matter.error.startswith(expected)


# check-snippets and the site extension


def docset(root: Path, files: dict[str, str], options: str = "") -> None:
    config = "site_name: x\nmarkdown_extensions:\n  - docskit.mdext.learn:\n      roots: {samples: samples}\n" + options
    for relative, text in {"mkdocs.yml": config, **files}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


def check(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root)
    main(["--no-cache", "--no-exec-checks", "-o", "report.txt", "docs"])
    return (root / "report.txt").read_text(encoding="utf-8").splitlines()


def convert(root: Path, page: str, caplog: pytest.LogCaptureFixture, **options: object) -> list[str]:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.docskit")
    md = markdown.Markdown(
        extensions=["docskit.mdext.learn"],
        extension_configs={"docskit.mdext.learn": {"roots": {"samples": str(root / "samples")}, **options}},
    )
    md.docskit_page = root / "docs" / page
    md.convert((root / "docs" / page).read_text(encoding="utf-8"))
    return [
        r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.docskit" and r.levelno >= logging.WARNING
    ]


PAGES = {
    "docs/bomb.md": f"---\n{bomb(9)}---\n\n# Bomb\n",
    "docs/recursive.md": "---\na: &a [*a]\n---\n\n# Recursive\n",
    "docs/date.md": "---\ntitle: Date\nms.date: 2024-13-45\n---\n\n# Date\n",
    "docs/other.md": "# Other\n\nA tk left in.\n",
}


def test_check_snippets_reports_each_front_matter_and_goes_on(tmp_path, monkeypatch):
    docset(tmp_path, PAGES)
    report = check(tmp_path, monkeypatch)
    assert any(line.startswith("docs/bomb.md:7:1: FMT001") and "expands to more than" in line for line in report), (
        report
    )
    assert any(
        line.startswith("docs/recursive.md:2:1: FMT001") and "refers to a node that contains it" in line
        for line in report
    )
    assert any(line.startswith("docs/date.md:3:1: FMT001") and "month must be in 1..12" in line for line in report)
    assert any(line.startswith("docs/other.md:3:") and "TXT001" in line for line in report)


@pytest.mark.parametrize(
    "page,where,cause",
    [
        ("bomb.md", "7:1", "expands to more than"),
        ("recursive.md", "2:1", "refers to a node that contains it"),
        ("date.md", "3:1", "month must be in 1..12"),
    ],
)
def test_the_site_extension_reports_each_front_matter(tmp_path, caplog, page, where, cause):
    docset(tmp_path, PAGES)
    logged = convert(tmp_path, page, caplog)
    assert any(f"{page}:{where}: FMT001" in message and cause in message for message in logged), logged


SOURCE_PAGE = '# Endpoint\n\n:::code language="yaml" source="~/samples/endpoint.yml":::\n'
LARGE = "items:\n" + "  - {name: blue, instance_count: 1}\n" * 40


def test_a_source_over_the_configured_size_is_refused_by_its_size(tmp_path, monkeypatch, caplog):
    docset(tmp_path, {"docs/a.md": SOURCE_PAGE, "samples/endpoint.yml": LARGE}, "      max_yaml_bytes: 1000\n")
    expected = "YAML refused: too large: 1,447 bytes, the limit is 1,000 (setting `max_yaml_bytes`"
    assert any(line.startswith("docs/a.md:3:1: YML002") and expected in line for line in check(tmp_path, monkeypatch))
    assert any(expected in message for message in convert(tmp_path, "a.md", caplog, max_yaml_bytes=1000))


def test_a_file_over_the_size_any_file_may_have_is_refused_unread_by_checker_and_site(tmp_path, monkeypatch, caplog):
    docset(tmp_path, {"docs/a.md": SOURCE_PAGE, "samples/endpoint.yml": "a: 1\n"})
    with open(tmp_path / "samples/endpoint.yml", "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # a sparse file: nothing of it is written, and nothing should be read
    expected = "cannot be shown: it is larger than 16 MiB, the limit for any file read"
    assert any(
        line.startswith("docs/a.md:3:") and "SRC003" in line and expected in line
        for line in check(tmp_path, monkeypatch)
    )
    assert any("SRC003" in message and expected in message for message in convert(tmp_path, "a.md", caplog))


def test_a_source_within_the_default_size_is_read(tmp_path, monkeypatch):
    docset(tmp_path, {"docs/a.md": SOURCE_PAGE, "samples/endpoint.yml": LARGE})
    assert not any("YML00" in line for line in check(tmp_path, monkeypatch))


def test_an_alias_bomb_source_is_refused_as_one(tmp_path, monkeypatch):
    docset(tmp_path, {"docs/a.md": SOURCE_PAGE, "samples/endpoint.yml": bomb(9)})
    assert any(
        "YML002" in line and "through aliases" in line and "(endpoint.yml:" in line
        for line in check(tmp_path, monkeypatch)
    )


def test_the_size_setting_is_checked_and_mkdocs_yml_has_the_same_budget(tmp_path):
    docset(tmp_path, {}, "      max_yaml_bytes: lots\n")
    with pytest.raises(ConfigError, match="max_yaml_bytes must be a positive number of bytes"):
        load_config(tmp_path / "mkdocs.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n" + bomb(9), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:\d+:\d+: refused: the YAML expands to more than"):
        load_config(tmp_path / "mkdocs.yml")
