"""The seed article (April 2021) against the seed-era fixture: the complete report, pinned.

The seed is read from `<repo>/../shared/seed/` at test time and never copied
into the repository; without it these tests are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from checker_support import REPO

from docskit.check.runner import RunOptions, run
from docskit.config import load_config

SEED = REPO.parent / "shared" / "seed" / "000_adacd73c93b39043.txt"
FIXTURE = REPO / "tests" / "fixtures" / "seed-era" / "azureml-examples-cli-preview"
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"the seed article is not at {SEED}")

ARTICLE = [
    ("TXT002", 18),
    ("TXT002", 20),
    ("INC001", 26),
    ("LNK001", 30),
    ("TXT001", 32),
    ("TXT001", 35),
    ("SRC001", 37),
    ("TXT001", 37),
    ("TXT001", 39),
    ("TXT001", 39),
    ("TXT001", 41),
    ("TXT001", 41),
    ("TXT002", 45),
    ("TXT003", 46),
    ("TXT001", 50),
    ("TXT001", 50),
    ("AML001", 52),
    ("AML001", 52),
    ("AML002", 52),
    ("AML003", 52),
    ("TXT002", 53),
    ("CMD001", 57),
    ("CMD002", 57),
    ("AML001", 63),
    ("AML001", 63),
    ("AML002", 63),
    ("AML002", 63),
    ("AML003", 63),
    ("AML003", 63),
    ("CMD001", 67),
    ("CMD002", 67),
    ("CMD001", 73),
    ("CMD002", 73),
    ("CMD002", 73),
    ("DUP001", 73),
    ("TXT002", 74),
    ("TXT001", 79),
    ("AML001", 86),
    ("AML001", 86),
    ("AML002", 86),
    ("AML002", 86),
    ("CMD001", 90),
    ("CMD002", 90),
    ("DUP001", 90),
    ("AML001", 98),
    ("AML001", 98),
    ("AML002", 98),
    ("AML002", 98),
    ("CMD001", 102),
    ("CMD002", 102),
    ("AML001", 108),
    ("AML001", 108),
    ("AML002", 108),
    ("AML003", 108),
    ("CMD001", 112),
    ("CMD002", 112),
    ("CMD002", 118),
    ("TXT001", 121),
    ("TXT001", 121),
    ("TXT001", 122),
    ("LNK001", 122),
    ("TXT002", 123),
]
# The article's findings on the sample files it shows: region defects, never regions it does not show
# (REG007 is an audit of a whole docset, asked for with `--select REG007`).
CONFIGURE = [("REG003", 40), ("REG004", 54), ("REG003", 60), ("REG003", 62)]


def seed_config(folder: Path) -> Path:
    entry = {
        "roots": {"azureml-examples-cli-preview": str(FIXTURE)},
        "command_checkers": {"az": "amlemu.az.command_line_check:check_command_line"},
        "command_normalizers": {"az": "amlemu.az.command_line_check:normalize_command_line"},
    }
    path = folder / "mkdocs.yml"
    path.write_text("site_name: seed\nmarkdown_extensions:\n  - docskit.mdext.learn: " + json.dumps(entry) + "\n")
    return path


def test_the_complete_report_is_pinned(tmp_path):
    config = load_config(seed_config(tmp_path), tmp_path)
    report = run(config, RunOptions(paths=[SEED]), tmp_path)
    by_file: dict[str, list[tuple[str, int]]] = {}
    for d in report.diagnostics:
        by_file.setdefault(Path(d.path).name, []).append((d.code, d.line))
    assert by_file == {SEED.name: ARTICLE, "how-to-configure-cli.sh": CONFIGURE}
    assert report.exit_code == 1


def test_the_findings_the_issue_names(tmp_path):
    config = load_config(seed_config(tmp_path), tmp_path)
    found = run(config, RunOptions(paths=[SEED]), tmp_path).diagnostics
    text = "\n".join(d.format_text() for d in found)
    assert sum(1 for d in found if d.code == "TXT001") > 10
    assert '`id="test_green"` shows the same code as `id="green_10pct_traffic"` on line 90' in text
    assert "`--name my-new-endpoint` overrides `name: my-endpoint`" in text
    assert "intelmpi2018.3-ubuntu16.04:20210301.v1` is deprecated" in text
    assert "mojibake `â€™`" in text and "did you mean `’`?" in text
    assert "ambiguous option: --f" in text
    assert "model-1/model/sklearn_regression_model.pkl` does not exist" in text


def test_the_command_from_the_issue(tmp_path):
    """`tools/check-snippets --root …=tests/fixtures/… ../shared/seed/…` from the repository root."""
    env = {**os.environ, "CHECK_SNIPPETS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            str(REPO / "tools" / "check-snippets"),
            "--format",
            "json",
            "--root",
            "azureml-examples-cli-preview=tests/fixtures/seed-era/azureml-examples-cli-preview",
            os.path.relpath(SEED, REPO),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    found = {(d["code"], d["line"]) for d in json.loads(done.stdout) if d["path"].endswith(SEED.name)}
    for expected in [
        ("TXT002", 18),
        ("TXT003", 46),
        ("INC001", 26),
        ("SRC001", 37),
        ("TXT001", 37),
        ("DUP001", 73),
        ("CMD001", 57),
        ("AML003", 52),
        ("AML002", 52),
    ]:
        assert expected in found
