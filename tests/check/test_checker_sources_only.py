from __future__ import annotations

from checker_support import REPO

from docskit.check.runner import RunOptions, run
from docskit.config import Config, Options

FIXTURE = REPO / "tests" / "fixtures" / "seed-era" / "azureml-examples-cli-preview"


def test_marker_defects_of_the_seed_era_configure_script(tmp_path):
    config = Config(Options(), tmp_path, tmp_path / "docs")
    report = run(config, RunOptions(sources_only=True, roots={"azureml-examples-cli-preview": FIXTURE}), tmp_path)
    found = {(d.path.rsplit("/", 1)[-1], d.code, d.line): d for d in report.diagnostics}
    assert set(found) == {
        ("how-to-configure-cli.sh", "REG003", 40),
        ("how-to-configure-cli.sh", "REG004", 54),
        ("how-to-configure-cli.sh", "REG003", 60),
        ("how-to-configure-cli.sh", "REG003", 62),
    }
    # an opener closed by a different name
    assert (
        found[("how-to-configure-cli.sh", "REG004", 54)].hint
        == "did you mean `# </check_job_status_detailed>` (opened on line 40)?"
    )
    assert "line 54 has `# </check_job_status>`" in found[("how-to-configure-cli.sh", "REG003", 40)].hint
    # an opener used where a closer was meant
    assert (
        "line 62 opens `check_extension_list` where a closer seems meant"
        in found[("how-to-configure-cli.sh", "REG003", 60)].hint
    )
    assert report.exit_code == 1 and report.sources > 3


def test_sources_only_on_clean_sources(tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "a.sh").write_text("# <a>\necho a\n# </a>\n")
    config = Config(Options(roots={"samples": "samples"}), tmp_path, tmp_path / "docs")
    report = run(config, RunOptions(sources_only=True), tmp_path)
    assert report.diagnostics == [] and report.exit_code == 0 and report.sources == 1
