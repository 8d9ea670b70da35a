"""Output formats, exit statuses and command-line errors, through the real command line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from checker_support import write_files, write_mkdocs

from docskit.cli import main

FILES = {
    "docs/a.md": "# A\n\nSee [tk](tk).\n\n<!-- check-snippets-disable-next-line TXT001 -->\nAn allowed tk.\n\n"
    "<!-- check-snippets-disable critic-markup -->\n{>> hidden <<}\n<!-- check-snippets-enable critic-markup -->\n"
    "{>> shown <<}\n",
    "docs/b.md": '# B\n\n:::code language="yaml" source="~/samples/e.yml" id="x" range="1":::\n',
    "samples/e.yml": "# <x>\nname: e\n# </x>\n",
}


def cli(tmp_path, monkeypatch, capsys, *args):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main(["--no-cache", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_and_suppressions(tmp_path, monkeypatch, capsys):
    code, out, err = cli(tmp_path, monkeypatch, capsys)
    lines = out.splitlines()
    assert code == 1
    assert "docs/a.md:3:6: TXT001 error placeholder `tk` left in (write the real text, link or value)" in lines
    assert not any(line.startswith("docs/a.md:6:") for line in lines)  # disable-next-line
    assert not any("hidden" in line for line in lines) and any("shown" in line for line in lines)  # span
    assert "docs/b.md:3:57: DIR005 warning" in out
    assert "error(s)" in err


def test_json_has_exactly_the_documented_keys(tmp_path, monkeypatch, capsys):
    code, out, _ = cli(tmp_path, monkeypatch, capsys, "--format", "json")
    items = json.loads(out)
    assert code == 1 and items
    assert all(set(item) == {"path", "line", "column", "code", "severity", "message", "rule"} for item in items)
    assert {
        "path": "docs/b.md",
        "line": 3,
        "column": 57,
        "code": "DIR005",
        "severity": "warning",
        "rule": "id-with-range",
    }.items() <= next(i for i in items if i["code"] == "DIR005").items()


def test_github_annotations(tmp_path, monkeypatch, capsys):
    _, out, _ = cli(tmp_path, monkeypatch, capsys, "--format", "github")
    assert "::error file=docs/a.md,line=3,col=6,title=TXT001::placeholder `tk` left in" in out
    assert "::warning file=docs/b.md,line=3,col=57,title=DIR005::" in out


def test_github_is_the_default_on_github_actions(tmp_path, monkeypatch, capsys):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    main(["--no-cache"])
    assert capsys.readouterr().out.startswith("::")


def test_sarif_structure(tmp_path, monkeypatch, capsys):
    _, out, _ = cli(tmp_path, monkeypatch, capsys, "--format", "sarif")
    log = json.loads(out)
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "check-snippets"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["message"]["text"]
    assert {r["ruleId"] for r in run["results"]} == {"TXT001", "TXT002", "DIR005"}


def test_junit_is_valid_xml_with_one_failure_per_finding(tmp_path, monkeypatch, capsys):
    _, out, _ = cli(tmp_path, monkeypatch, capsys, "--format", "junit")
    root = ET.fromstring(out)
    failures = root.findall(".//failure")
    assert int(root.get("failures")) == len(failures) == 4


def test_select_ignore_and_docfx_aliases(tmp_path, monkeypatch, capsys):
    code, out, _ = cli(tmp_path, monkeypatch, capsys, "--select", "invalid-code")
    assert code == 0 and "DIR005" in out and "TXT" not in out
    code, out, _ = cli(tmp_path, monkeypatch, capsys, "--ignore", "TXT,DIR")
    assert code == 0 and out == ""


def test_tool_failures_exit_2_with_one_line(tmp_path, monkeypatch, capsys):
    for args in (["--format", "xml"], ["--select", "NOPE999"], ["no/such/path"], ["--root", "bad"], ["--bogus"]):
        code, out, err = cli(tmp_path, monkeypatch, capsys, *args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and err.startswith("check-snippets: "), (args, err)
        assert "Traceback" not in err


def test_unreadable_config_exits_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions: [\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache"]) == 2
    assert capsys.readouterr().err.startswith("check-snippets: ")
