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
    "[!INCLUDE [x](includes/inc.md)]\n",
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
    stored = StoredFindings(config, roots, resolver.cache, default_cache_dir(config.base)).for_page(
        page, "docs/a.md", SITE_CODES
    )
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
    for changed, text in (
        ("samples/s.sh", "# <step>\necho one\necho two\necho three\necho four\n# </step>\n"),
        ("docs/includes/inc.md", "Included text.\n"),
        ("docs/a.md", "# A\n"),
    ):
        lint(tmp_path)
        (tmp_path / changed).write_text(text)
        stored, fresh = stored_and_fresh(tmp_path)
        assert stored is None, changed
    lint(tmp_path)
    stored, fresh = stored_and_fresh(tmp_path)
    assert stored == fresh == []


def _stored_entries(root: Path):
    import json

    cache_file = default_cache_dir(root) / "results.json"
    return cache_file, json.loads(cache_file.read_text())


def test_a_damaged_or_emptied_stored_entry_means_checking_the_page_here(tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    lint(tmp_path)
    cache_file, data = _stored_entries(tmp_path)
    page_key = str(tmp_path / "docs" / "a.md")
    for damage in (
        lambda entry: entry.update(diags=[]),
        lambda entry: entry["diags"][0].__setitem__(5, "fatal"),
        lambda entry: entry.update(deps="x"),
    ):
        damaged = json.loads(json.dumps(data))
        damage(damaged["articles"][page_key])
        cache_file.write_text(json.dumps(damaged))
        stored, fresh = stored_and_fresh(tmp_path)
        assert stored is None and fresh


def test_a_stored_file_symlinked_to_dev_zero_is_never_read(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    lint(tmp_path)
    cache_file, _ = _stored_entries(tmp_path)
    cache_file.unlink()
    os.symlink("/dev/zero", cache_file)
    assert stored_and_fresh(tmp_path)[0] is None


def test_a_same_size_edit_with_the_mtime_put_back_is_not_served_from_the_store(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"docs/a.md": "# A\n\nAn okay.\n"})
    write_mkdocs(tmp_path)
    lint(tmp_path)
    page = tmp_path / "docs" / "a.md"
    before = os.stat(page)
    page.write_text("# A\n\nA tk ok.\n")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    stored, fresh = stored_and_fresh(tmp_path)
    assert stored is None and [d.code for d in fresh] == ["TXT001"]
