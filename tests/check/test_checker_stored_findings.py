"""The site build reuses what check-snippets stored for a page, only while it is still true."""

from __future__ import annotations

from pathlib import Path

from checker_support import write_files, write_mkdocs

from docskit.check import check_page
from docskit.check.cache import default_cache_dir
from docskit.check.runner import RunOptions, run
from docskit.check.stored_findings import StoredFindings
from docskit.config import build_roots, load_config
from docskit.rules import SITE_CODES
from docskit.snippets import Resolver

FILES = {
    "docs/a.md": '# A\n\nA tk here.\n\n:::code language="bash" source="~/samples/s.sh" id="step" highlight="4":::\n\n'
                 '[!INCLUDE [x](includes/inc.md)]\n',
    "docs/includes/inc.md": "Included {>> a review comment <<} text.\n",
    "samples/s.sh": "# <step>\necho one\n# </step>\n",
}


def lint(root: Path) -> None:
    config = load_config(root / "mkdocs.yml", root)
    run(config, RunOptions(cache_dir=default_cache_dir(config.base)), root)


def stored_and_fresh(root: Path):
    config = load_config(root / "mkdocs.yml", root)
    roots = build_roots(config)
    resolver = Resolver(roots)
    page = root / "docs" / "a.md"
    stored = StoredFindings(config, roots, resolver.cache, default_cache_dir(config.base)).for_page(page, "docs/a.md", SITE_CODES)
    fresh = check_page(page, "docs/a.md", page.read_text(), config, Resolver(roots))
    return stored, fresh


def test_stored_findings_equal_a_fresh_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path, {"severity": {"RNG004": "warning"}})
    assert stored_and_fresh(tmp_path)[0] is None  # nothing stored yet
    lint(tmp_path)
    stored, fresh = stored_and_fresh(tmp_path)
    assert {d.code for d in fresh} == {"TXT001", "TXT002", "RNG004"}
    assert sorted(stored) == sorted(fresh)
    assert {d.severity.value for d in stored if d.code == "RNG004"} == {"warning"}


def test_a_changed_source_page_or_include_is_checked_afresh(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    for changed, text in (("samples/s.sh", "# <step>\necho one\necho two\necho three\necho four\n# </step>\n"),
                          ("docs/includes/inc.md", "Included text.\n"),
                          ("docs/a.md", "# A\n")):
        lint(tmp_path)
        (tmp_path / changed).write_text(text)
        stored, fresh = stored_and_fresh(tmp_path)
        assert stored is None, changed
    lint(tmp_path)
    stored, fresh = stored_and_fresh(tmp_path)
    assert stored == fresh == []
