"""`--changed-since` checks exactly the articles that changed or that show a changed file."""

from __future__ import annotations

import subprocess

import pytest
from checker_support import write_files, write_mkdocs

from docskit.check.runner import RunError, RunOptions, run
from docskit.config import load_config

FILES = {
    "docs/a.md": '# A\n\n:::code language="azurecli" source="~/samples/one.sh" id="x":::\n',
    "docs/b.md": '# B\n\n:::code language="azurecli" source="~/samples/two.sh" id="x":::\n',
    "docs/c.md": '# C\n\n:::code language="azurecli" source="~/samples/one.sh" id="y":::\n',
    "docs/d.md": "# D\n\nNo code here.\n",
    "samples/one.sh": "# <x>\necho one\n# </x>\n# <y>\necho why\n# </y>\n",
    "samples/two.sh": "# <x>\necho two\n# </x>\n",
}


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "start")
    return tmp_path


@pytest.mark.parametrize("cached", [False, True])
def test_only_articles_using_the_changed_source(repo, cached):
    config = load_config(repo / "mkdocs.yml", repo)
    cache = repo / ".cache" if cached else None
    if cached:
        full = run(config, RunOptions(cache_dir=cache), repo)
        assert sorted(full.checked) == ["docs/a.md", "docs/b.md", "docs/c.md", "docs/d.md"]
    (repo / "samples" / "one.sh").write_text(FILES["samples/one.sh"].replace("echo one", "echo uno"))
    report = run(config, RunOptions(changed_since="HEAD", cache_dir=cache), repo)
    assert sorted(report.checked) == ["docs/a.md", "docs/c.md"]


def test_a_changed_article_is_checked(repo):
    (repo / "docs" / "d.md").write_text("# D\n\nNow with a tk.\n")
    report = run(load_config(repo / "mkdocs.yml", repo), RunOptions(changed_since="HEAD"), repo)
    assert report.checked == ["docs/d.md"]
    assert [(d.code, d.line) for d in report.diagnostics] == [("TXT001", 3)]


def test_an_unknown_ref_is_a_tool_error(repo):
    with pytest.raises(RunError, match="--changed-since no-such-ref"):
        run(load_config(repo / "mkdocs.yml", repo), RunOptions(changed_since="no-such-ref"), repo)
