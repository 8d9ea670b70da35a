"""The result cache: same findings warm as cold, no Azure ML SDK import when every YAML is cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from checker_support import REPO, write_files, write_mkdocs

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
    done = subprocess.run([sys.executable, "-c", PROBE, "--format", "json", *args], cwd=root, capture_output=True,
                          text=True, timeout=300)
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


CHECKER = '''
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    token_index: int
    code: str
    message: str
    hint: str | None = None


def check(argv, cwd):
    return {problems}
'''


def test_an_edited_command_checker_invalidates_cached_results(tmp_path):
    files = {"docs/a.md": "# A\n\n```bash\naz ml online-endpoint show --name x\n```\n"}
    write_files(tmp_path, files)
    write_mkdocs(tmp_path, {"command_checkers": {"az": "cachecheck_plugin:check"}})
    plugin = tmp_path / "plugins" / "cachecheck_plugin.py"
    plugin.parent.mkdir()
    plugin.write_text(CHECKER.replace("{problems}", "[]"))
    env = {**os.environ, "PYTHONPATH": str(plugin.parent)}

    def lint():
        done = subprocess.run([sys.executable, "-m", "docskit.cli", "--format", "json"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        return [d["code"] for d in json.loads(done.stdout)]

    assert lint() == []
    plugin.write_text(CHECKER.replace("{problems}", "[Problem(2, 'unknown-command', 'no such command')]"))
    assert lint() == ["CMD002"]


FRONT_MATTER = ("---\ntitle: T\ndescription: D\nauthor: a\nms.author: a\nms.service: machine-learning\n"
                "ms.topic: how-to\nms.date: 2021-04-24\n---\n\n# T\n")
JSONSCHEMA_PROBE = PROBE.replace('"azure": "azure.ai.ml" in sys.modules', '"jsonschema": "jsonschema" in sys.modules')


def test_front_matter_verdicts_are_kept_so_an_edited_body_needs_no_schema_import(tmp_path):
    write_files(tmp_path, {"docs/a.md": FRONT_MATTER})
    write_mkdocs(tmp_path)

    def lint():
        done = subprocess.run([sys.executable, "-c", JSONSCHEMA_PROBE, "--format", "json"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        return [d["code"] for d in json.loads(done.stdout)], json.loads(done.stderr.strip().splitlines()[-1])

    assert lint() == (["FMT001"], {"code": 1, "jsonschema": True})
    (tmp_path / "docs" / "a.md").write_text(FRONT_MATTER + "\nA new paragraph.\n")  # the article is checked again
    assert lint() == (["FMT001"], {"code": 1, "jsonschema": False})
