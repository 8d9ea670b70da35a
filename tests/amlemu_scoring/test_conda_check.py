"""The conda-file check: imports that would fail on Azure are named with path:line:column."""

from __future__ import annotations

from pathlib import Path

from amlemu.scoring.conda_check import check_scoring_imports, declared_distributions, imported_modules

REPO = Path(__file__).resolve().parents[2]
MODEL_1 = REPO / "snippets" / "cli" / "endpoints" / "online" / "model-1"


def write(tmp_path: Path, script: str, conda: str) -> tuple[Path, Path, Path]:
    code = tmp_path / "onlinescoring"
    code.mkdir()
    (code / "score.py").write_text(script)
    (tmp_path / "conda.yaml").write_text(conda)
    return code / "score.py", tmp_path / "conda.yaml", code


CONDA = """\
name: env
channels: [conda-forge]
dependencies:
  - python=3.11
  - conda-forge::numpy=1.26
  - pip
  - pip:
      - scikit-learn==1.5.0
      - inference-schema[numpy-support]==1.8.0
      - --extra-index-url https://example.invalid/simple
"""


def test_the_articles_model_1_passes_the_check():
    code = MODEL_1 / "onlinescoring"
    assert check_scoring_imports(code / "score.py", MODEL_1 / "environment" / "conda.yaml", code) == []


def test_distribution_names_are_mapped_to_import_names_and_requirements_count(tmp_path):
    script = "import os, json\nimport numpy as np\nfrom sklearn.linear_model import Ridge\nimport joblib\nfrom inference_schema.schema_decorators import input_schema\n"
    # joblib is not listed but scikit-learn requires it; sklearn is scikit-learn's import name.
    assert check_scoring_imports(*write(tmp_path, script, CONDA)) == []


def test_an_unprovided_import_is_named_with_path_line_and_column(tmp_path):
    script = "import json\n\ndef init():\n    import yaml\n    from requests import get\n"
    warnings = check_scoring_imports(*write(tmp_path, script, CONDA))
    assert [w.split(": warning: ")[0] for w in warnings] == ["onlinescoring/score.py:4:5", "onlinescoring/score.py:5:5"]
    assert "'yaml' is imported, but neither conda.yaml nor the Python standard library provides it" in warnings[0]
    assert "ModuleNotFoundError" in warnings[0]


def test_modules_of_the_code_folder_and_relative_imports_are_not_flagged(tmp_path):
    script = "import helpers\nfrom . import sibling\nfrom __future__ import annotations\n"
    score, conda, code = write(tmp_path, script, CONDA)
    (code / "helpers.py").write_text("")
    assert check_scoring_imports(score, conda, code) == []


def test_a_listed_module_that_is_not_installed_here_is_not_flagged(tmp_path):
    """The deployment's environment is built from the conda file, so the listed module will be there."""
    conda = "dependencies:\n  - pip:\n      - surely-not-installed-dist\n"
    assert check_scoring_imports(*write(tmp_path, "import surely_not_installed_dist\n", conda)) == []


def test_a_conda_file_that_is_not_yaml_is_reported_with_its_position(tmp_path):
    warnings = check_scoring_imports(*write(tmp_path, "import numpy\n", "dependencies:\n  - [unclosed\n"))
    assert len(warnings) == 1
    assert warnings[0].startswith("conda.yaml:3:1: warning: the conda file is not valid YAML")


def test_a_script_that_is_not_python_is_reported_with_its_position(tmp_path):
    warnings = check_scoring_imports(*write(tmp_path, "def init(:\n", CONDA))
    assert warnings[0].startswith("onlinescoring/score.py:1:10: warning: the scoring script is not valid Python")


def test_declared_distributions_reads_conda_and_pip_entries():
    assert declared_distributions(
        [
            "python=3.11",
            "conda-forge::NumPy>=1",
            {"pip": ["Scikit_Learn==1", "pkg[extra]>=2", "-r req.txt", "git+https://x/y.git#egg=from-git"]},
        ]
    ) == {"python", "numpy", "scikit-learn", "pkg", "from-git"}


def test_imported_modules_keeps_the_first_position_of_each_top_level_module():
    assert imported_modules("import a.b\nimport a\nfrom c.d import e\n", "x.py") == {"a": (1, 1), "c": (3, 1)}
