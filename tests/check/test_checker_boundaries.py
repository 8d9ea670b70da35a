"""Nothing outside the docset is read or revealed: includes, link targets and pages are refused when they leave it.

A pull request can add a symlink or a `../../..` path; `check-snippets` must
answer with a finding on that line and never quote, list or suggest a file
from outside. Over-long names are an ordinary finding too, not a rule crash.
"""

from __future__ import annotations

import os

from checker_support import check_docset

SECRET = "SECRET-TEXT tk {>>a private comment<<}\n"


def _outside(tmp_path):
    """A folder beside the project (the docset is tmp_path/project/docs) with files nobody may see."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    (outside / "hostname").write_text("a-host\n", encoding="utf-8")
    return outside


def _check(tmp_path, files, *paths, **run_options):
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    report = check_docset(project, files, paths=[project / p for p in paths], **run_options)
    return project, report


def _revealed(report, *words):
    text = "\n".join(d.format_text() for d in report.diagnostics)
    return [w for w in words if w in text]


def test_a_symlinked_include_leaving_the_docset_is_refused_unread(tmp_path):
    outside = _outside(tmp_path)
    project = tmp_path / "project"
    (project / "docs" / "includes").mkdir(parents=True)
    os.symlink(outside / "secret.md", project / "docs" / "includes" / "x.md")
    _, report = _check(tmp_path, {"docs/a.md": "# A\n\n[!INCLUDE [x](includes/x.md)]\n"})
    assert [(d.code, d.line, d.severity.value) for d in report.diagnostics] == [("INC001", 3, "error")]
    assert all("outside the docset" in d.message for d in report.diagnostics)
    assert _revealed(report, "SECRET", "private comment", "elsewhere") == []


def test_an_absolute_include_outside_the_docset_is_an_error(tmp_path):
    outside = _outside(tmp_path)
    _, report = _check(tmp_path, {"docs/a.md": f"# A\n\n[!INCLUDE [y]({outside / 'secret.md'})]\n"})
    assert [(d.code, d.line) for d in report.diagnostics] == [("INC001", 3)]
    assert "outside the docset" in report.diagnostics[0].message
    assert _revealed(report, "SECRET") == []


def test_no_suggestion_names_a_file_outside_the_docset(tmp_path):
    _outside(tmp_path)
    _, report = _check(
        tmp_path, {"docs/a.md": "# A\n\n[host](../../elsewhere/hostnam)\n\n[!INCLUDE [s](../../elsewhere/secre.md)]\n"}
    )
    assert sorted((d.code, d.line) for d in report.diagnostics) == [("INC001", 5), ("LNK001", 3)]
    assert all("outside the docset" in d.message for d in report.diagnostics)
    assert _revealed(report, "hostname", "secret.md") == []


def test_a_symlinked_link_target_leaving_the_docset_is_refused(tmp_path):
    outside = _outside(tmp_path)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    os.symlink(outside / "secret.md", project / "docs" / "other.md")
    _, report = _check(tmp_path, {"docs/a.md": "# A\n\n[other](other.md#part)\n"})
    assert [(d.path, d.code, d.line) for d in report.diagnostics] == [
        ("docs/a.md", "LNK001", 3),
        ("docs/other.md", "SRC002", 1),
    ]
    assert all("outside the docset" in d.message for d in report.diagnostics)


def test_a_page_symlinked_out_of_the_docset_is_refused_unread(tmp_path):
    outside = _outside(tmp_path)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    os.symlink(outside / "secret.md", project / "docs" / "leak.md")
    for paths in ((), ("docs/leak.md",)):  # found by walking docs_dir, and named on the command line
        _, report = _check(tmp_path, {"docs/a.md": "# A\n"}, *paths)
        assert [(d.path, d.code, d.line) for d in report.diagnostics] == [("docs/leak.md", "SRC002", 1)], paths
        assert _revealed(report, "SECRET", "private comment") == []


def test_symlinks_inside_the_docset_still_work(tmp_path):
    project = tmp_path / "project"
    (project / "docs" / "includes").mkdir(parents=True)
    (project / "docs" / "shared.md").write_text("# Shared\n\n## Part\n", encoding="utf-8")
    os.symlink(project / "docs" / "shared.md", project / "docs" / "includes" / "x.md")
    _, report = _check(tmp_path, {"docs/a.md": "# A\n\n[!INCLUDE [x](includes/x.md)]\n\n[x](includes/x.md#part)\n"})
    assert report.diagnostics == []


LONG = "n" * 300


def test_an_over_long_include_name_is_a_finding_and_keeps_the_rules_other_findings(tmp_path):
    _, report = _check(
        tmp_path,
        {
            "docs/a.md": f"# A\n\n[!INCLUDE [long](includes/{LONG}.md)]\n\n[!INCLUDE [near](includes/prerequisite.md)]\n",
            "docs/includes/prerequisites.md": "You need a workspace.\n",
        },
    )
    found = sorted((d.code, d.line) for d in report.diagnostics)
    assert found == [("INC001", 3), ("INC001", 5)], [d.format_text() for d in report.diagnostics]
    assert "too long" in next(d.message for d in report.diagnostics if d.line == 3)


def test_an_over_long_link_name_is_a_finding_and_keeps_the_rules_other_findings(tmp_path):
    _, report = _check(
        tmp_path,
        {
            "docs/a.md": f"# A\n\n[long]({LONG}.md)\n\n[near](how-to-manage-workspaces.md)\n\n[anchor]({LONG}/x.md#a)\n",
            "docs/how-to-manage-workspace.md": "# Manage\n",
        },
    )
    found = sorted((d.code, d.line) for d in report.diagnostics)
    assert found == [("LNK001", 3), ("LNK001", 5), ("LNK001", 7)], [d.format_text() for d in report.diagnostics]


def test_a_refused_target_is_never_opened_not_even_to_cache_its_digest(tmp_path, monkeypatch):
    import docskit.sourcefile

    outside = _outside(tmp_path)
    project = tmp_path / "project"
    (project / "docs" / "includes").mkdir(parents=True)
    os.symlink(outside / "secret.md", project / "docs" / "includes" / "x.md")
    opened = []
    real = docskit.sourcefile.read_source_file
    monkeypatch.setattr(
        docskit.sourcefile, "read_source_file", lambda path: opened.append(os.path.realpath(path)) or real(path)
    )
    for _ in range(2):  # cold, then warm from the cache
        _, report = _check(
            tmp_path,
            {"docs/a.md": "# A\n\n[!INCLUDE [x](includes/x.md)]\n\n[s](includes/x.md)\n"},
            cache_dir=project / "cache",
        )
        assert [(d.code, d.line) for d in report.diagnostics] == [("INC001", 3), ("LNK001", 5)]
    assert opened and not any(p.startswith(str(outside)) for p in opened)
