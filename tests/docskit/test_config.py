"""Roots come from .openpublishing.publish.config.json, mkdocs.yml and --root, in that order."""

from __future__ import annotations

import json

import pytest

from docskit.config import ConfigError, build_roots, load_config
from docskit.diagnostics import Severity


def test_roots_from_mkdocs_yml_with_python_tags(tmp_path):
    (tmp_path / "snips").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "  - docskit.mdext.learn:\n      roots:\n        samples: snips\n      severity:\n        REG: warning\n        REG007: off\n"
    )
    config = load_config(cwd=tmp_path)
    roots = build_roots(config)
    assert roots.named == {"samples": (tmp_path / "snips").resolve()}
    assert config.severity_for("REG001", Severity.ERROR) == Severity.WARNING
    assert config.severity_for("REG007", Severity.INFO) is None
    assert config.severity_for("TXT001", Severity.ERROR) == Severity.ERROR


def test_openpublishing_dependent_repositories_and_override(tmp_path):
    (tmp_path / ".openpublishing.publish.config.json").write_text(
        json.dumps(
            {
                "dependent_repositories": [
                    {
                        "path_to_root": "azureml-examples-main",
                        "url": "https://github.com/Azure/azureml-examples",
                        "branch": "main",
                    }
                ]
            }
        )
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    roots = build_roots(load_config(cwd=tmp_path))
    assert roots.named["azureml-examples-main"] == (tmp_path / "azureml-examples-main").resolve()
    assert roots.urls["azureml-examples-main"] == "https://github.com/Azure/azureml-examples/blob/main/{path}"
    overridden = build_roots(load_config(cwd=tmp_path), {"azureml-examples-main": tmp_path / "elsewhere"})
    assert overridden.named["azureml-examples-main"] == (tmp_path / "elsewhere").resolve()


def test_unknown_option_is_a_one_line_error(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - docskit.mdext.learn:\n      rootz: {}\n")
    with pytest.raises(ConfigError, match=r"mkdocs.yml: unknown option `rootz`"):
        load_config(cwd=tmp_path)


def test_broken_mkdocs_yml_names_line_and_column(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:2:1: not valid YAML"):
        load_config(cwd=tmp_path)
