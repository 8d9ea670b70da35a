"""Hostile and odd input: every rule runs, nothing raises, the tool's exit status stays honest."""

from __future__ import annotations

import os
import time

import pytest

ARTICLE = (
    '# Odd input\n\n:::code language="azurecli" source="~/samples/odd.sh" id="r":::\n\n'
    ':::code language="yaml" source="~/samples/odd.yml":::\n\n[link](other.md#part)\n'
)
ALL = {"docs/article.md": ARTICLE}


def codes(report):
    return {d.code for d in report.diagnostics}


@pytest.mark.parametrize(
    "content",
    [
        "",
        "\n",
        "x" * 2_000_000,
        "# <r>\r\necho crlf\r\n# </r>\r\n",
        "\ufeff# <r>\necho bom\n# </r>",
        "\x00\x01\x02binary",
        "caf\udce9\n",
        "# <r>\n" + "echo " + "a" * 500_000 + "\n# </r>\n",
    ],
    ids=["empty", "newline", "huge-line", "crlf", "bom", "binary", "latin1", "huge-region"],
)
def test_odd_sources_never_raise(docset, content):
    report = docset({**ALL, "samples/odd.sh": content, "samples/odd.yml": content})
    assert "INT001" not in codes(report), [d.format_text() for d in report.diagnostics]
    assert report.exit_code in (0, 1)


@pytest.mark.parametrize(
    "content",
    [
        "",
        "\ufeff---\ntitle: x\n---\n",
        "# A\r\n\r\ntk\r\n",
        "a" * 1_000_000,
        "```\nunclosed fence\n",
        ':::code source="~/samples/a.sh\n',
        "{>> open",
    ],
    ids=["empty", "bom", "crlf", "huge-line", "unclosed-fence", "unclosed-directive", "open-critic"],
)
def test_odd_articles_never_raise(docset, content):
    report = docset({"docs/article.md": content, "samples/a.sh": "# <a>\necho a\n# </a>\n"})
    assert "INT001" not in codes(report)


def test_binary_article_is_a_finding_not_a_crash(docset):
    report = docset({"docs/article.md": "\x00\x00binary"})
    assert codes(report) == {"SRC003"} and report.exit_code == 1


def test_source_escaping_the_root_is_refused(docset, tmp_path):
    article = '# X\n\n:::code language="bash" source="~/samples/../../../etc/passwd":::\n'
    report = docset({"docs/article.md": article})
    assert "SRC002" in codes(report)
    assert not any("root:" in d.message for d in report.diagnostics)


def test_symlink_out_of_the_root_is_refused(docset, tmp_path):
    (tmp_path / "samples").mkdir()
    outside = tmp_path / "outside.sh"
    outside.write_text("# <secret>\necho secret\n# </secret>\n")
    os.symlink(outside, tmp_path / "samples" / "link.sh")
    report = docset({"docs/article.md": '# X\n\n:::code language="bash" source="~/samples/link.sh" id="secret":::\n'})
    assert "SRC002" in codes(report)


def test_yaml_alias_bomb_is_refused_quickly(docset):
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefghijkl", "bcdefghijklm", strict=True)
    )
    started = time.perf_counter()
    report = docset(
        {
            "docs/article.md": '# X\n\n:::code language="yaml" source="~/samples/bomb.yml":::\n',
            "samples/bomb.yml": bomb + "name: x\n$schema: https://x/managedOnlineEndpoint.schema.json\n",
        }
    )
    assert time.perf_counter() - started < 20
    assert "YML002" in codes(report) and "INT001" not in codes(report)


def test_include_cycle(docset):
    report = docset(
        {
            "docs/a.md": "# A\n\n[!INCLUDE [b](includes/b.md)]\n",
            "docs/includes/b.md": "[!INCLUDE [c](c.md)]\n",
            "docs/includes/c.md": "[!INCLUDE [b](b.md)]\n",
        },
        {"max_include_depth": 5},
    )
    assert "INC002" in codes(report) and "INT001" not in codes(report)


def test_a_broken_command_checker_is_reported_once(docset):
    files = {"docs/a.md": "# A\n\n```bash\naz ml online-endpoint show -n x\n```\n\n```bash\naz version\n```\n"}
    report = docset(files, {"command_checkers": {"az": "no_such_module_anywhere:check"}})
    assert [d.code for d in report.diagnostics] == ["CFG001"]
    assert "cannot import `no_such_module_anywhere`" in report.diagnostics[0].message


def test_no_exec_checks_skips_external_programs(docset):
    files = {"docs/a.md": "# A\n\n```bash\nif true; then\n```\n"}
    assert "SH001" in codes(docset(files))
    assert "SH001" not in codes(docset(files, exec_checks=False))


def test_a_thousand_deep_include_chain_is_walked_without_recursion(docset):
    files = {f"docs/includes/i{n}.md": f"Level {n}.\n\n[!INCLUDE [next](i{n + 1}.md)]\n" for n in range(999)}
    files["docs/includes/i999.md"] = "Bottom.\n\n[!INCLUDE [gone](gone.md)]\n"
    files["docs/a.md"] = "# A\n\n[!INCLUDE [first](includes/i0.md)]\n"
    report = docset(files, {"max_include_depth": 2000})
    assert [(d.path, d.code) for d in report.diagnostics] == [("docs/includes/i999.md", "INC001")], [
        d.format_text() for d in report.diagnostics
    ][:3]
    assert len(report.checked) == 1001


def test_crlf_and_cr_only_articles_find_their_includes(docset):
    report = docset(
        {
            "docs/a.md": "# A\r\r[!INCLUDE [x](includes/gone.md)]\r",
            "docs/b.md": "# B\r\n\r\n[!INCLUDE [x](gone.md)]\r\n",
        }
    )
    assert sorted((d.path, d.code, d.line) for d in report.diagnostics) == [
        ("docs/a.md", "INC001", 3),
        ("docs/b.md", "INC001", 3),
    ]
