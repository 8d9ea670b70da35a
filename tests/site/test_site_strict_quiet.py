"""A strict site build fails on a broken snippet whatever the log level, `-q` included.

MkDocs drops records below ERROR when run with `-q`, before its strict-mode
counter sees them; an error-severity finding must still fail the build, while a
warning-severity finding stays a warning.
"""

from __future__ import annotations

import json

import pytest

from site_project import SCRIPT, mkdocs_build


def _project(root, page: str, options: dict | None = None):
    (root / "docs").mkdir(parents=True)
    (root / "snippets" / "cli").mkdir(parents=True)
    (root / "snippets" / "cli" / "deploy.sh").write_text(SCRIPT, encoding="utf-8")
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    entry = {"roots": {"examples": "snippets"}, **(options or {})}
    (root / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\nmarkdown_extensions:\n  - docskit.mdext.learn: "
                                     + json.dumps(entry) + "\n", encoding="utf-8")
    return root


BROKEN = '# Page\n\n:::code language="azurecli" source="~/examples/cli/deploy.sh" id="no_such_region":::\n'
GOOD = '# Page\n\n:::code language="azurecli" source="~/examples/cli/deploy.sh" id="create_endpoint":::\n'


@pytest.mark.parametrize("extra", [(), ("-q",)], ids=["default", "quiet"])
def test_a_broken_region_id_fails_the_strict_build(tmp_path, extra):
    project = _project(tmp_path / "project", BROKEN)
    result = mkdocs_build(project, *extra)
    assert result.returncode != 0, result.stderr[-2000:]
    assert "Aborted with 1 errors in strict mode" in result.stdout + result.stderr
    if not extra:
        assert "ERROR   -  docs/index.md:3:" in result.stderr and "REG001 error" in result.stderr


def test_a_quiet_strict_build_of_good_pages_passes(tmp_path):
    result = mkdocs_build(_project(tmp_path / "project", GOOD), "-q")
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_warning_stays_a_warning(tmp_path):
    """Downgraded to a warning, the finding fails `--strict` but not `--strict -q` (MkDocs' own rule for warnings)."""
    project = _project(tmp_path / "project", BROKEN, {"severity": {"REG001": "warning"}})
    loud = mkdocs_build(project)
    assert loud.returncode != 0 and "WARNING -  docs/index.md:3:" in loud.stderr
    assert mkdocs_build(project, "-q").returncode == 0


def _zensical(project, *extra):
    from site_project import run_tool

    return run_tool(["zensical", "build", *extra], project)


def test_zensical_strict_build_fails_on_a_broken_region_id(tmp_path):
    """Zensical's `--strict` counts only its own checks; the extension ends the build with status 1 itself."""
    project = _project(tmp_path / "project", BROKEN)
    strict = _zensical(project, "--strict")
    output = strict.stdout + strict.stderr
    assert strict.returncode == 1, output[-2000:]
    assert "docs/index.md:3:63: REG001 error" in output
    assert "docskit: 1 error finding(s) above; aborted in strict mode" in output
    assert _zensical(project).returncode == 0  # not strict: the finding is reported, the build stands


def test_zensical_strict_build_of_good_pages_passes(tmp_path):
    result = _zensical(_project(tmp_path / "project", GOOD), "-s")
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
