"""The result cache: same findings warm as cold, no Azure ML SDK import when every YAML is cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from checker_support import write_files, write_mkdocs

FILES = {
    "docs/a.md": '# A\n\n:::code language="yaml" source="~/samples/endpoint.yml":::\n\nA tk here.\n',
    "samples/endpoint.yml": "$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineEndpoint.schema.json\n"
    "name: my-endpoint\ntype: online\n",
}
PROBE = """
import json, sys
from docskit.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "azure": "azure.ai.ml" in sys.modules}), file=sys.stderr)
"""


def probe(root, *args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--format", "json", *args], cwd=root, capture_output=True, text=True, timeout=300
    )
    return json.loads(done.stdout), json.loads(done.stderr.strip().splitlines()[-1])


def test_warm_run_reuses_results_without_importing_the_sdk(tmp_path):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    cold, cold_state = probe(tmp_path)
    assert cold_state == {"code": 1, "azure": True}
    assert {d["code"] for d in cold} == {"AML001", "TXT001"}
    assert (tmp_path / ".check-snippets-cache" / "results.json").is_file()
    warm, warm_state = probe(tmp_path)
    assert warm == cold and warm_state == {"code": 1, "azure": False}


def test_an_edited_source_invalidates_the_article(tmp_path):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    probe(tmp_path)
    (tmp_path / "samples" / "endpoint.yml").write_text(FILES["samples/endpoint.yml"].replace("type: online\n", ""))
    fixed, _ = probe(tmp_path)
    assert {d["code"] for d in fixed} == {"TXT001"}


def test_cache_location_is_configurable_and_safe_to_delete(tmp_path):
    write_files(tmp_path, FILES)
    write_mkdocs(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    first, _ = probe(tmp_path, "--cache-dir", str(elsewhere))
    assert (elsewhere / "results.json").is_file() and not (tmp_path / ".check-snippets-cache").exists()
    (elsewhere / "results.json").write_text("{ damaged")
    again, _ = probe(tmp_path, "--cache-dir", str(elsewhere))
    assert again == first


CHECKER = """
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    token_index: int
    code: str
    message: str
    hint: str | None = None


def check(argv, cwd):
    return {problems}
"""


def test_an_edited_command_checker_invalidates_cached_results(tmp_path):
    files = {"docs/a.md": "# A\n\n```bash\naz ml online-endpoint show --name x\n```\n"}
    write_files(tmp_path, files)
    write_mkdocs(tmp_path, {"command_checkers": {"az": "cachecheck_plugin:check"}})
    plugin = tmp_path / "plugins" / "cachecheck_plugin.py"
    plugin.parent.mkdir()
    plugin.write_text(CHECKER.replace("{problems}", "[]"))
    env = {**os.environ, "PYTHONPATH": str(plugin.parent)}

    def lint():
        done = subprocess.run(
            [sys.executable, "-m", "docskit.cli", "--format", "json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return [d["code"] for d in json.loads(done.stdout)]

    assert lint() == []
    plugin.write_text(CHECKER.replace("{problems}", "[Problem(2, 'unknown-command', 'no such command')]"))
    assert lint() == ["CMD002"]


FRONT_MATTER = (
    "---\ntitle: T\ndescription: D\nauthor: a\nms.author: a\nms.service: machine-learning\n"
    "ms.topic: how-to\nms.date: 2021-04-24\n---\n\n# T\n"
)
JSONSCHEMA_PROBE = PROBE.replace('"azure": "azure.ai.ml" in sys.modules', '"jsonschema": "jsonschema" in sys.modules')


def test_front_matter_verdicts_are_kept_so_an_edited_body_needs_no_schema_import(tmp_path):
    write_files(tmp_path, {"docs/a.md": FRONT_MATTER})
    write_mkdocs(tmp_path)

    def lint():
        done = subprocess.run(
            [sys.executable, "-c", JSONSCHEMA_PROBE, "--format", "json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return [d["code"] for d in json.loads(done.stdout)], json.loads(done.stderr.strip().splitlines()[-1])

    assert lint() == (["FMT001"], {"code": 1, "jsonschema": True})
    (tmp_path / "docs" / "a.md").write_text(FRONT_MATTER + "\nA new paragraph.\n")  # the article is checked again
    assert lint() == (["FMT001"], {"code": 1, "jsonschema": False})


# A cache file of the wrong shape, a symlink, a tampered entry or a racy timestamp: never a crash, never a stale pass.

from docskit.check.runner import RunOptions, run  # noqa: E402
from docskit.config import load_config  # noqa: E402

PAGES = {
    "docs/a.md": '# A\n\nA tk here.\n\n:::code language="azurecli" source="~/samples/s.sh" id="gone":::\n',
    "docs/b.md": "# B\n\nFine.\n",
    "samples/s.sh": "# <step>\necho hi\n# </step>\n",
}


def run_cached(root):
    report = run(load_config(root / "mkdocs.yml", root), RunOptions(cache_dir=root / "cache"), root)
    return sorted(d.format_text() for d in report.diagnostics), report


def cached_docset(root):
    write_files(root, PAGES)
    write_mkdocs(root)
    cold, report = run_cached(root)
    assert {line.split()[1] for line in cold} == {"TXT001", "REG001"} and report.notes == []
    return cold, root / "cache" / "results.json"


def _article(data, name="a.md"):
    return next(v for k, v in data["articles"].items() if k.endswith(name))


def _deep(data):
    _article(data)["fp"] = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]


WRONG_SHAPES = {
    "articles-a-list": lambda data: data.update(articles=[]),
    "entry-a-string": lambda data: data["articles"].update({next(iter(data["articles"])): "x"}),
    "diagnostic-with-two-fields": lambda data: _article(data)["diags"].__setitem__(0, ["docs/a.md", 3]),
    "unknown-severity": lambda data: _article(data)["diags"][0].__setitem__(5, "fatal"),
    "deep-nesting": _deep,
    "record-with-a-string-size": lambda data: _article(data)["self"].__setitem__(0, "12"),
    "deps-a-list": lambda data: _article(data).update(deps=[]),
    "entry-without-deps": lambda data: _article(data).pop("deps"),
    "tools-a-string": lambda data: data.update(tools="x"),
    "line-a-boolean": lambda data: _article(data)["diags"][0].__setitem__(1, True),
}


@pytest.mark.parametrize("damage", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_cache_entry_of_the_wrong_shape_is_ignored_and_rebuilt(tmp_path, damage):
    cold, cache_file = cached_docset(tmp_path)
    data = json.loads(cache_file.read_text())
    damage(data)
    cache_file.write_text(json.dumps(data))
    again, report = run_cached(tmp_path)
    assert again == cold
    assert len(report.notes) == 1 and "do not validate" in report.notes[0] and "rebuilt" in report.notes[0]
    third, report = run_cached(tmp_path)
    assert third == cold and report.notes == [] and report.cache_hits == 2


def test_a_cache_nested_beyond_the_parser_is_ignored(tmp_path):
    cold, cache_file = cached_docset(tmp_path)
    cache_file.write_text("[" * 200_000 + "]" * 200_000)
    again, report = run_cached(tmp_path)
    assert again == cold and report.notes and "nested too deeply" in report.notes[0]


def test_a_cache_file_symlinked_to_dev_zero_is_never_read(tmp_path):
    cold, cache_file = cached_docset(tmp_path)
    cache_file.unlink()
    os.symlink("/dev/zero", cache_file)
    again, report = run_cached(tmp_path)
    assert again == cold and report.notes and "symlink" in report.notes[0]
    assert cache_file.is_file() and not cache_file.is_symlink()  # replaced by a real cache


def test_an_entry_whose_findings_were_emptied_is_not_trusted(tmp_path):
    cold, cache_file = cached_docset(tmp_path)
    data = json.loads(cache_file.read_text())
    _article(data)["diags"] = []
    cache_file.write_text(json.dumps(data))
    again, report = run_cached(tmp_path)
    assert again == cold and len(report.notes) == 1


def test_a_same_size_edit_with_the_mtime_put_back_is_seen(tmp_path):
    write_files(tmp_path, {"docs/a.md": "# A\n\nAn okay.\n"})
    write_mkdocs(tmp_path)
    page = tmp_path / "docs" / "a.md"
    assert run_cached(tmp_path)[0] == []
    before = os.stat(page)
    page.write_text("# A\n\nA tk ok.\n")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(page).st_size == before.st_size
    found, _ = run_cached(tmp_path)
    assert [line.split()[1] for line in found] == ["TXT001"]


def test_a_touched_but_unchanged_file_is_hashed_once_then_trusted_by_its_stamp(tmp_path, monkeypatch):
    import docskit.sourcefile

    cold, _ = cached_docset(tmp_path)
    long_ago = os.stat(tmp_path / "docs" / "b.md").st_mtime - 60
    for name in PAGES:
        os.utime(tmp_path / name, (long_ago, long_ago))
    reads = []
    real = docskit.sourcefile.read_source_file
    monkeypatch.setattr(docskit.sourcefile, "read_source_file", lambda path: reads.append(path.name) or real(path))
    assert run_cached(tmp_path)[0] == cold and "b.md" in reads  # a new mtime: compared by digest, then recorded
    reads.clear()
    assert run_cached(tmp_path)[0] == cold and not {"a.md", "b.md"} & set(reads)  # (sources feed docset rules)
